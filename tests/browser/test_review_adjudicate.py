"""A reviewer works through the queue in the browser: compare, adjudicate, decide."""

import re

import pytest

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.services import annotation_create
from annotator.documents.seeds import seeds_load
from annotator.projects.models import Role
from annotator.reviews.models import Assignment
from annotator.reviews.services import assignment_submit
from tests.factories import label, member

SELECT_IN_GOLD = """
(phrase) => {
  const editor = document.querySelector('[data-gold-editor]');
  const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const at = node.textContent.indexOf(phrase);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      editor.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}
"""


def _span(document, annotator, phrase, code):
    start = document.text.index(phrase)
    return annotation_create(
        document=document, annotator=annotator, start=start, end=start + len(phrase),
        label=label(document.project, code),
    )  # fmt: skip


@pytest.mark.browser
def test_reviewer_compares_adjudicates_and_decides(page, login, screenshot):
    """Two layers on the first seed document differ in a boundary and a missing HEDGE; the reviewer
    accepts the agreed CLAIM, copies the HEDGE, adds an own span by selecting text, approves ann1
    with A, sends ann2 back with R and a reason; each annotator sees the decision on /review/mine/."""
    document = seeds_load().project.documents.order_by("pk").first()
    project = document.project
    reviewer = member(project, Role.REVIEWER, username="reviewer-b")
    ann1 = member(project, Role.ANNOTATOR, username="ann1-b")
    ann2 = member(project, Role.ANNOTATOR, username="ann2-b")
    claim = "The outcome of this Machiavellian policy is that regional security is jeopardized"
    for annotator, evidence in ((ann1, "Zamir Kabulov raised eyebrows"), (ann2, "Kabulov raised eyebrows")):
        _span(document, annotator, claim, "CLAIM")
        _span(document, annotator, evidence, "EVIDENCE")
    _span(document, ann2, "Hopefully", "HEDGE")
    for annotator in (ann1, ann2):
        assignment_submit(document=document, annotator=annotator)

    login(reviewer)
    page.goto("/review/")
    row = page.get_by_role("row").filter(has_text=document.title)
    assert row.get_by_role("cell").nth(4).inner_text() != "—"  # agreement computed on submit
    screenshot("review-queue")
    page.locator("body[data-review-ready]").wait_for(state="attached")
    page.keyboard.press("j")  # the first (and only) document in the queue
    page.keyboard.press("o")
    page.wait_for_url(re.compile(rf"/review/documents/{document.pk}/$"))

    ann1_layer = page.get_by_role("region", name="Layer of ann1-b")
    ann2_layer = page.get_by_role("region", name="Layer of ann2-b")
    assert ann2_layer.locator("tr", has_text="Hopefully").locator(".diff-missing").count() == 1
    assert ann1_layer.locator("tr", has_text="Zamir").locator(".diff-boundary").count() == 1
    assert ann1_layer.locator("tr", has_text="Machiavellian").locator(".diff-agreed").count() == 1
    screenshot("review-compare")

    gold = page.get_by_role("region", name="Gold layer")
    gold.get_by_role("button", name="Accept all agreed").click()
    page.get_by_text("Accepted 1 agreed span(s)").wait_for()
    ann2_layer.locator("tr", has_text="Hopefully").get_by_role("button", name="To gold").click()
    page.get_by_text("into the gold layer").wait_for()
    page.locator("body[data-review-ready]").wait_for(state="attached")
    assert page.evaluate(SELECT_IN_GOLD, "Nezavisimaya Gazeta")
    assert page.locator("#rv-add-quote").inner_text() == "Nezavisimaya Gazeta"
    page.keyboard.press("o")  # the OPINION label's key adds the selection to gold
    page.get_by_text("Added OPINION").wait_for()

    page.locator("body[data-review-ready]").wait_for(state="attached")
    page.keyboard.press("a")  # the first layer waiting for a decision: ann1's
    page.get_by_text("Approved ann1-b's layer.").wait_for()
    page.locator("body[data-review-ready]").wait_for(state="attached")
    page.keyboard.press("r")  # now ann2's layer is the one waiting
    page.keyboard.type("Kabulov's first name belongs in the EVIDENCE span.")
    page.keyboard.press("Enter")
    page.get_by_text("Sent ann2-b's layer back with your reason.").wait_for()
    screenshot("review-decided", full_page=True)
    assert page.js_errors == []

    states = dict(Assignment.objects.filter(document=document).values_list("annotator__username", "state"))
    assert states == {"ann1-b": "approved", "ann2-b": "changes_requested"}
    gold_spans = Annotation.objects.filter(document=document, layer=Layer.GOLD, annotator=reviewer)
    assert sorted(gold_spans.values_list("quote", "label__code")) == sorted(
        [(claim, "CLAIM"), ("Hopefully", "HEDGE"), ("Nezavisimaya Gazeta", "OPINION")]
    )

    page.context.clear_cookies()
    login(ann2)
    page.goto("/review/mine/")
    mine = page.locator("table.mine tr", has_text=document.title)
    assert "Changes requested" in mine.inner_text()
    assert "Kabulov's first name belongs in the EVIDENCE span." in mine.inner_text()
    assert "reviewer-b" in mine.inner_text()
    page.context.clear_cookies()
    login(ann1)
    page.goto("/review/mine/")
    assert "Approved" in page.locator("table.mine tr", has_text=document.title).inner_text()
    assert "Accepted" in page.locator("table.decided tr", has_text="Machiavellian").inner_text()
    screenshot("review-mine")
