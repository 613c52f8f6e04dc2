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
    """ "thumbs" is stored at 31-37 after two CRLFs; the form used to fill 29-35."""
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
    gold = page.get_by_role("region", name="Gold layer")
    assert gold.get_by_label("Start", exact=True).input_value() == "31"
    assert gold.get_by_label("End", exact=True).input_value() == "37"
    gold.get_by_label("Label of the new gold span").select_option(label="EVIDENCE")
    gold.get_by_role("button", name="Add gold span").click()
    page.get_by_text("Added EVIDENCE").wait_for()
    span = Annotation.objects.get(document=document, layer=Layer.GOLD)
    assert (span.start, span.end, span.quote) == (31, 37, "thumbs")
