"""The managers' back office in the browser: the review queue and a bulk action with a reason."""

import pytest
from django.utils import timezone

from annotator.projects.models import Role
from annotator.reviews.models import Assignment, AssignmentState
from tests.factories import AnnotationFactory, AssignmentFactory, DocumentFactory, ProjectFactory, member


@pytest.mark.browser
def test_manager_sends_work_back_from_the_admin_queue(page, login, screenshot):
    """The queue lists submitted work; "Request changes" asks for the reason on its own page
    and the annotator's assignment then carries it."""
    project = ProjectFactory(name="Back office")
    manager = member(project, Role.MANAGER, username="boss", is_staff=True)
    annotator = member(project, Role.ANNOTATOR, username="writer")
    document = DocumentFactory(project=project, title="Budget op-ed")
    AnnotationFactory(document=document, annotator=annotator, start=0, end=8)
    assignment = AssignmentFactory(
        document=document, annotator=annotator, state=AssignmentState.SUBMITTED, submitted_at=timezone.now()
    )

    login(manager)
    page.goto("/admin/reviews/reviewqueueitem/")
    row = page.locator("#result_list tbody tr", has_text="writer")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("request_changes")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Reason").fill("Mark the hedges too.")
    screenshot("review-admin-reason")
    page.get_by_role("button", name="Request changes").click()
    page.get_by_text("Sent back 1 item(s).").wait_for()
    screenshot("review-admin-queue")
    assignment.refresh_from_db()
    assert (assignment.state, assignment.reason, assignment.reviewed_by) == (
        "changes_requested",
        "Mark the hedges too.",
        manager,
    )
    assert Assignment.history.filter(id=assignment.pk).first().history_user == manager
