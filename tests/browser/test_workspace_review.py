"""Submitting for review, read-only layers, reviewers' layer switching, side by side, the argument map."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Annotation
from annotator.projects.models import Role
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.services import assignment_request_changes
from tests.browser.conftest import seed_document
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SpeakerFactory,
    label,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_makes_the_layer_read_only_until_sent_back(page, login, workspace):
    """After Submit for review the layer is read-only (buttons disabled, keys do
    nothing); when the reviewer sends it back the page shows their reason and
    editing works again."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Prices rose sharply, officials said on Monday.")
    annotator = member(project, Role.ANNOTATOR)
    reviewer = member(project, Role.REVIEWER)
    login(annotator)
    ws = workspace.open(document)
    ws.select("Prices rose sharply")
    page.keyboard.press("c")
    page.keyboard.press("1")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_selector("#ws-banner:has-text('Submitted for review')")
    assert Assignment.objects.get(document=document, annotator=annotator).state == AssignmentState.SUBMITTED
    assert page.get_by_role("button", name="Label the selection as Claim (shortcut C)").is_disabled()
    ws.select("officials said")
    page.keyboard.press("e")
    assert page.locator("#ws-text .seg[data-tag]").count() == 1
    assert Annotation.objects.filter(document=document).count() == 1

    assignment = Assignment.objects.get(document=document, annotator=annotator)
    assignment_request_changes(
        assignment=assignment, reviewer=reviewer, reason="Mark who said it <b>too</b>."
    )
    page.reload()
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator("#ws-banner").inner_text() == "Changes requested: Mark who said it <b>too</b>."
    ws.select("officials said")
    page.keyboard.press("e")
    page.keyboard.press("Escape")
    ws.wait_saved()
    assert Annotation.objects.filter(document=document).count() == 2


def _rich_layer(document, annotator):
    text = document.text

    def span(phrase, code, occurrence=0):
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        return AnnotationFactory(
            document=document, annotator=annotator, start=start, end=start + len(phrase), label_code=code
        )

    claim = span(
        "America’s drone strike against the late Al Qaeda leader in Kabul in early August was widely "
        "considered to have been passively facilitated by Pakistan",
        "CLAIM",
    )
    hedge = span("widely considered", "HEDGE")
    evidence = span("allowing its traditional ally to transit its airspace", "EVIDENCE")
    claim2 = span("the US seems to hope that it can exploit the Pakistani-Taliban security dilemma", "CLAIM")
    opinion = span("Cynically speaking", "OPINION")
    attack = span("in spite of Islamabad’s unconvincing denials", "EVIDENCE")
    RelationFactory(source=evidence, target=claim, type="supports")
    RelationFactory(source=hedge, target=claim, type="qualifies")
    RelationFactory(source=attack, target=claim, type="attacks")
    RelationFactory(source=opinion, target=claim2, type="qualifies")
    RelationFactory(source=claim2, type="attributed_to", speaker=SpeakerFactory(name="US State Department"))
    return claim


def test_reviewer_switches_layers_compares_and_reads_the_map(page, login, workspace, screenshot):
    """A reviewer picks an annotator's layer (read-only), shows a second layer side
    by side, and opens the argument map, where the unsupported claim stands out
    and clicking a node selects its span in the text."""
    document = seed_document("003_53affd6920c61238.txt")
    alice = member(document.project, Role.ANNOTATOR, username="alice")
    bob = member(document.project, Role.ANNOTATOR, username="bob")
    reviewer = member(document.project, Role.REVIEWER, username="rita")
    claim = _rich_layer(document, alice)
    AnnotationFactory(
        document=document, annotator=bob, start=claim.start, end=claim.end, label_code="OPINION"
    )
    for user in (alice, bob):
        Assignment.objects.create(project=document.project, document=document, annotator=user)
    login(reviewer)
    page.goto("/")
    screenshot("project-list")
    page.get_by_role("link", name=document.project.name).click()
    assert page.locator("tbody tr").count() == 5
    screenshot("project-documents")
    workspace.open(document)
    options = page.locator("#ws-layer option").all_inner_texts()
    assert options == ["My layer", "alice — Assigned", "bob — Assigned", "Gold (adjudicated)"]
    page.locator("#ws-layer").select_option(label="alice — Assigned")
    page.wait_for_url(f"**/documents/{document.pk}/?annotator={alice.pk}&layer=annotator")
    page.wait_for_selector("#ws[data-ready=true]")
    assert page.locator("#ws-banner").inner_text().startswith("alice’s layer")
    assert page.locator("#ws-text .seg[data-tag]").count() == 6
    assert page.get_by_role("button", name="Label the selection as Claim (shortcut C)").is_disabled()

    page.locator("#ws-compare").select_option(label="bob — Assigned")
    page.wait_for_selector("#ws-compare-pane:not([hidden])")
    assert page.locator("#ws-compare-title").inner_text() == "bob — Assigned · 1 span (read-only)"
    assert page.locator("#ws-compare-text .seg[data-tag]").count() == 1
    workspace.click_text("allowing its")
    page.wait_for_selector("#ws-overlay path")
    screenshot("workspace-side-by-side")
    page.locator("#ws-compare").select_option(label="— none —")

    page.get_by_role("tab", name="Argument map").click()
    nodes = page.locator("#ws-map svg g.node")
    assert nodes.count() == 7  # 2 claims, 3 linked to the first, 1 to the second, 1 speaker
    assert page.locator("#ws-map svg g.node.unsupported").count() == 1
    assert "US State Department" in page.locator("#ws-map svg").text_content()
    assert (
        page.locator("#ws-map .map-summary").inner_text()
        == "2 claims · 1 without supporting evidence · 0 spans not linked"
    )
    screenshot("argument-map")
    page.evaluate("document.getElementById('ws-scroll').scrollTop = 1e6")  # the claim is far above
    page.locator("#ws-map g.node.unsupported").click()
    page.wait_for_selector("#ws-text-view:not([hidden])")
    assert page.locator("#ws-inspector-body blockquote").inner_text().startswith("the US seems to hope")
    in_view = page.evaluate(
        "() => { const seg = document.querySelector('#ws-text .seg.sel').getBoundingClientRect();"
        " const box = document.getElementById('ws-scroll').getBoundingClientRect();"
        " return seg.top >= box.top && seg.bottom <= box.bottom; }"
    )
    assert in_view

    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot("workspace-1920")
    page.get_by_role("tab", name="Argument map").click()
    screenshot("argument-map-1920")
    assert page.js_errors == []


def test_keyboard_only_label_and_link(page, login, workspace):
    """Without a mouse: Shift+arrows select words, H labels, N/P move between
    spans, L starts a link, N and Enter pick the target, 3 picks 'qualifies'."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="Experts say the plan may fail. It will fail.")
    user = member(project, Role.ANNOTATOR)
    AnnotationFactory(document=document, annotator=user, start=31, end=44, label_code="CLAIM")
    login(user)
    workspace.open(document)
    page.locator("#ws-text").focus()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("h")
    page.keyboard.press("2")
    workspace.wait_saved()
    hedge = Annotation.objects.get(document=document, label=label(project, "HEDGE"))
    assert (hedge.start, hedge.end, hedge.quote, hedge.subtype.code) == (
        0,
        11,
        "Experts say",
        "vague_attribution",
    )
    page.keyboard.press("l")
    page.keyboard.press("n")  # the next span after the hedge: the claim
    page.keyboard.press("Enter")
    # The preferred type comes from the kinds registry in the page data: a hedge starts "qualifies".
    expect(page.locator(".link-types button.primary")).to_have_text("3 Qualifies")
    page.keyboard.press("3")
    workspace.wait_saved()
    relation = hedge.outgoing.get()
    assert (relation.type, relation.target.quote) == ("qualifies", "It will fail.")


def test_reviewer_edits_the_gold_layer(page, login, workspace):
    """A reviewer opening the gold layer can label spans there; they are stored
    in the gold layer, not in the reviewer's own annotator layer."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text="The report shows exports fell 12 percent.")
    reviewer = member(project, Role.REVIEWER)
    login(reviewer)
    workspace.open(document, "?layer=gold")
    assert page.locator("#ws-banner").inner_text().startswith("Gold layer.")
    assert page.locator("#ws-submit").is_hidden()
    workspace.select("exports fell 12 percent")
    page.keyboard.press("e")
    page.keyboard.press("1")
    workspace.wait_saved()
    span = Annotation.objects.get(document=document)
    assert (span.layer, span.annotator, span.quote, span.subtype.code) == (
        "gold",
        reviewer,
        "exports fell 12 percent",
        "statistic",
    )
