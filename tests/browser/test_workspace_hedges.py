"""Hedge suggestions in the workspace: drawn as ghosts, accepted with one key (a HEDGE span at
exact code-point offsets after an emoji and across a no-break space), rejected, undone."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.hedges.models import HedgeDecision
from annotator.hedges.services import hedge_documents_suggest
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 😀 is one code point (two UTF-16 units); "might" is at code points 8-13, after a no-break space.
TEXT = "😀 Talks\u00a0might fail.\n\nThe plan was widely considered dead, and the envoy\u00a0very strongly implied it."
GHOSTS = "#ws-text .seg.ghost[data-ghost]"


def _spans(user):
    return [
        (a.start, a.end, a.quote, a.label.code, a.subtype.code)
        for a in Annotation.objects.filter(annotator=user)
        .select_related("label", "subtype")
        .order_by("start")
    ]


def test_accept_reject_undo_with_one_key(page, login, workspace, screenshot):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    hedge_documents_suggest(project_id=project.pk, documents=[(document.pk, TEXT)], disabled=set())
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    page.wait_for_selector(GHOSTS)
    assert page.locator(GHOSTS).count() == 3
    assert page.locator("#ws-text .seg[data-tag]").count() == 0  # ghosts are not spans
    screenshot("workspace-hedge-suggestions")
    assert Annotation.objects.count() == 0  # nothing counts before a decision

    ws.click_text("might")
    page.wait_for_selector("#ws-text .seg.ghost.gsel")
    page.keyboard.press("a")
    ws.wait_saved()
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(2)
    assert _spans(user) == [(8, 13, "might", "HEDGE", "modal")]
    assert TEXT[7] == "\u00a0" and TEXT[8:13] == "might"
    assert page.locator("#ws-text .seg[data-tag]").count() == 1  # drawn as a real span now

    # the selection moved on to the next suggestion: reject it with X
    assert "widely considered" in page.locator("#ws-hedges-body .hedge-current").inner_text()
    page.keyboard.press("x")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    assert HedgeDecision.objects.get(user=user, suggestion__rule="weasel.widely").state == "rejected"

    # Enter accepts too: "strongly implied" ("very" stays outside the span)
    page.keyboard.press("Enter")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(0)
    ws.wait_saved()
    assert _spans(user)[1][2:] == ("strongly implied", "HEDGE", "insinuation")

    # Ctrl+Z undoes the last three decisions, newest first
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(2)
    ws.wait_saved()
    assert not HedgeDecision.objects.filter(user=user, suggestion__rule="weasel.widely").exists()
    page.keyboard.press("Control+z")
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(3)
    ws.wait_saved()
    assert Annotation.objects.count() == 0
    assert not HedgeDecision.objects.filter(user=user).exists()
    assert page.js_errors == []


def test_accept_all_of_a_rule_and_reload(page, login, workspace):
    project = ProjectFactory()
    text = "It may rain. It may snow. While they may argue, it may not."
    document = DocumentFactory(project=project, text=text)
    hedge_documents_suggest(project_id=project.pk, documents=[(document.pk, text)], disabled=set())
    user = member(project, Role.ANNOTATOR)
    login(user)
    ws = workspace.open(document)
    page.get_by_role(
        "button", name="Accept all 3 confident suggestions of modal.may in this document"
    ).click()
    expect(page.locator("#ws-text .seg.ghost[data-ghost]")).to_have_count(1)
    ws.wait_saved()
    assert [s[0] for s in _spans(user)] == [3, 16, 51]
    page.reload()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator(GHOSTS).count() == 1  # the concessive "may" (0.7) stays pending
    assert page.locator("#ws-text .seg[data-tag]").count() == 3
