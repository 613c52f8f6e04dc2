"""The review page's gold editor: a selection after CRLF line endings gives the stored offsets."""

import pytest

from annotator.annotations.models import Annotation, Layer
from annotator.annotations.services import annotation_create
from annotator.projects.models import Role
from annotator.reviews.services import assignment_submit
from tests.browser.test_review_adjudicate import SELECT_IN_GOLD
from tests.factories import DocumentFactory, ProjectFactory, label, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "First line.\r\nSecond line.\r\nTwo thumbs up\r\nfor the plan."


def test_gold_span_selected_after_crlf_lines_lands_on_the_stored_offsets(page, login):
    """ "thumbs" is stored at 31-37 after two CRLFs; the editor used to take 29-35 (the HTML
    parser turns CRLF into LF in text nodes unless the CR is written as a character reference)."""
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    reviewer = member(project, Role.REVIEWER, username="crlf-reviewer")
    annotator = member(project, Role.ANNOTATOR, username="crlf-ann")
    annotation_create(document=document, annotator=annotator, start=0, end=5, label=label(project, "CLAIM"))
    assignment_submit(document=document, annotator=annotator)
    start = TEXT.index("thumbs")
    assert (start, start + 6) == (31, 37)

    login(reviewer)
    page.goto(f"/review/documents/{document.pk}/")
    page.locator("body[data-review-ready]").wait_for(state="attached")
    assert page.evaluate(SELECT_IN_GOLD, "thumbs")
    assert page.locator("#rv-add-quote").inner_text() == "thumbs"
    page.keyboard.press("e")  # the EVIDENCE label's key adds the selection to gold
    page.get_by_text("Added EVIDENCE").wait_for()
    span = Annotation.objects.get(document=document, layer=Layer.GOLD)
    assert (span.start, span.end, span.quote) == (31, 37, "thumbs")
