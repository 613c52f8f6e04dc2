"""Assignment lifecycle: every transition, every forbidden one with its message, who may act."""

import pytest

from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.reviews.models import AssignmentState
from annotator.reviews.services import assignment_approve, assignment_request_changes, assignment_submit
from tests.factories import AssignmentFactory, member


def test_submit_approve(scene):
    """in progress -> submitted -> approved; the reviewer and time are recorded."""
    a = AssignmentFactory(
        document=scene.document, annotator=member(scene.project), state=AssignmentState.IN_PROGRESS
    )
    a = assignment_submit(document=scene.document, annotator=a.annotator)
    assert a.state == AssignmentState.SUBMITTED and a.submitted_at is not None
    a = assignment_approve(assignment=a, reviewer=scene.reviewer)
    assert (a.state, a.reviewed_by, a.reason) == (AssignmentState.APPROVED, scene.reviewer, "")


def test_request_changes_then_resubmit(scene):
    """submitted -> changes requested (reason kept) -> submitted again; approved work can be sent back too."""
    a = assignment_request_changes(assignment=scene.a1, reviewer=scene.reviewer, reason="  Mark the hedge.  ")
    assert (a.state, a.reason) == (AssignmentState.CHANGES_REQUESTED, "Mark the hedge.")
    a = assignment_submit(document=scene.document, annotator=scene.ann1)
    assert a.state == AssignmentState.SUBMITTED
    a = assignment_approve(assignment=a, reviewer=scene.manager)
    a = assignment_request_changes(assignment=a, reviewer=scene.manager, reason="Second look: boundary.")
    assert a.state == AssignmentState.CHANGES_REQUESTED


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (
            AssignmentState.IN_PROGRESS,
            "approve",
            "Cannot approve work that is in progress; it must be submitted.",
        ),
        (AssignmentState.APPROVED, "approve", "Cannot approve work that is approved; it must be submitted."),
        (
            AssignmentState.ASSIGNED,
            "request_changes",
            "Cannot request changes work that is assigned; it must be approved, submitted.",
        ),
        (
            AssignmentState.SUBMITTED,
            "submit",
            "Cannot submit work that is submitted; it must be assigned, changes requested, in progress.",
        ),
        (
            AssignmentState.APPROVED,
            "submit",
            "Cannot submit work that is approved; it must be assigned, changes requested, in progress.",
        ),
    ],
)
def test_forbidden_transitions(scene, state, action, message):
    """A transition from the wrong state names the state and the allowed ones."""
    a = scene.a1
    type(a).objects.filter(pk=a.pk).update(state=state)
    a.refresh_from_db()
    with pytest.raises(ApplicationError) as err:
        if action == "approve":
            assignment_approve(assignment=a, reviewer=scene.reviewer)
        elif action == "request_changes":
            assignment_request_changes(assignment=a, reviewer=scene.reviewer, reason="x")
        else:
            assignment_submit(document=scene.document, annotator=scene.ann1)
    assert err.value.message == message
    assert err.value.errors == {"state": [message]}


def test_request_changes_needs_reason(scene):
    with pytest.raises(ApplicationError, match="Say what needs to change: the reason is required."):
        assignment_request_changes(assignment=scene.a1, reviewer=scene.reviewer, reason="   ")


def test_permission_matrix_for_decisions(scene):
    """Own work -> 403 with its message; annotator -> 403; non-member -> 404; reviewer and manager may."""
    with pytest.raises(PermissionDenied, match="You cannot review your own work."):
        assignment_approve(assignment=scene.a2, reviewer=scene.ann2)
    with pytest.raises(
        PermissionDenied, match="Only reviewers and managers of this project can review work."
    ):
        assignment_approve(assignment=scene.a2, reviewer=scene.ann1)
    with pytest.raises(NotFound, match="Project not found."):
        assignment_approve(assignment=scene.a2, reviewer=scene.outsider)
    assert assignment_approve(assignment=scene.a2, reviewer=scene.manager).state == AssignmentState.APPROVED
    assert assignment_approve(assignment=scene.a1, reviewer=scene.reviewer).state == AssignmentState.APPROVED
