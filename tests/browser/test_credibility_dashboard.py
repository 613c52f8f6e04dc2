"""The source credibility dashboard in Chromium: table, charts, client-side sorting, drill-down."""

import pytest

from annotator.credibility.services import Targets, scores_recompute
from annotator.credibility.signals import scores_signals_suspended
from tests.credibility.corpus import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_table_sorts_and_drills_down_to_unsupported_claims(page, login, screenshot):
    """With the small-sample minimums at 1 document and 0 claims, the outlet table ranks by the
    ratio's lower bound (Outlet A with two documents, Outlet B with one: [0, ∞), the unknown
    outlet with no claims); clicking "Claims" sorts ascending then descending; the unsupported
    link opens the writer's own claims c2 and c3 (c1 is reported speech), which open the gold
    layer in the workspace with that span selected. Two recomputes on one day: one trend point."""
    with scores_signals_suspended():  # otherwise every saved span recomputes (eagerly, no broker)
        c = build_corpus()
        c.project.score_min_documents, c.project.score_min_claims = 1, 0
        c.project.save()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    scores_recompute(project=c.project, targets=Targets(everything=True))  # two snapshots, one day
    login(c.reviewer)
    page.goto(f"/sources/?project={c.project.pk}&kind=outlet")
    names = page.locator("table.scores tbody tr td:nth-child(2)")
    assert names.all_inner_texts() == ["Outlet A", "Outlet B", "Unknown outlet"]
    assert page.locator("svg.ratio-chart g.row").count() == 3
    screenshot("credibility-dashboard")

    header = page.locator("table.scores thead th:nth-child(6)")  # Claims
    assert header.inner_text() == "CLAIMS"
    header.click()
    assert names.all_inner_texts() == ["Unknown outlet", "Outlet B", "Outlet A"]
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert names.all_inner_texts() == ["Outlet A", "Outlet B", "Unknown outlet"]

    page.locator("tr", has_text="Outlet A").get_by_role("link", name="2 unsupported…").click()
    quotes = page.locator("table[aria-label='Spans behind these figures'] q")
    assert quotes.all_inner_texts() == ["bravo delta", "delta gamma"]
    assert page.locator("svg.trend-chart path.point").count() == 1
    screenshot("credibility-detail")
    page.get_by_role("link", name=c.docs["d1"].title).first.click()
    page.wait_for_url(f"**/documents/{c.docs['d1'].pk}/?layer=gold#span-{c.spans['c2'].pk}")
    page.wait_for_selector("#ws[data-ready=true]")
    selected = page.evaluate(
        "() => { const w = window.assayWorkspace; return w.store.spans.get(w.selected).id; }"
    )
    assert selected == c.spans["c2"].pk
    assert page.js_errors == []
