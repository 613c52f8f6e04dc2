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


S = AssignmentState
SUBMIT_FROM = "it must be assigned, in progress or changes requested."
FORBIDDEN = [
    (S.SUBMITTED, "submit", f"Cannot submit work that is submitted; {SUBMIT_FROM}"),
    (S.APPROVED, "submit", f"Cannot submit work that is approved; {SUBMIT_FROM}"),
    (S.ASSIGNED, "approve", "Cannot approve work that is assigned; it must be submitted."),
    (S.IN_PROGRESS, "approve", "Cannot approve work that is in progress; it must be submitted."),
    (S.APPROVED, "approve", "Cannot approve work that is approved; it must be submitted."),
    (S.CHANGES_REQUESTED, "approve", "Cannot approve work that is changes requested; it must be submitted."),
    (
        S.ASSIGNED,
        "request_changes",
        "Cannot request changes on work that is assigned; it must be submitted or approved.",
    ),
    (
        S.IN_PROGRESS,
        "request_changes",
        "Cannot request changes on work that is in progress; it must be submitted or approved.",
    ),
    (
        S.CHANGES_REQUESTED,
        "request_changes",
        "Cannot request changes on work that is changes requested; it must be submitted or approved.",
    ),
]
ALLOWED = [
    (S.ASSIGNED, "submit", S.SUBMITTED),
    (S.IN_PROGRESS, "submit", S.SUBMITTED),
    (S.CHANGES_REQUESTED, "submit", S.SUBMITTED),
    (S.SUBMITTED, "approve", S.APPROVED),
    (S.SUBMITTED, "request_changes", S.CHANGES_REQUESTED),
    (S.APPROVED, "request_changes", S.CHANGES_REQUESTED),
]


def _act(scene, action):
    if action == "approve":
        return assignment_approve(assignment=scene.a1, reviewer=scene.reviewer)
    if action == "request_changes":
        return assignment_request_changes(assignment=scene.a1, reviewer=scene.reviewer, reason="x")
    return assignment_submit(document=scene.document, annotator=scene.ann1)


def _put(scene, state):
    reason = "earlier reason" if state == S.CHANGES_REQUESTED else ""
    type(scene.a1).objects.filter(pk=scene.a1.pk).update(state=state, reason=reason)
    scene.a1.refresh_from_db()


def test_transition_table_is_complete():
    """Every (state, action) pair is either allowed or forbidden, exactly once."""
    pairs = [(s, a) for s, a, _ in FORBIDDEN] + [(s, a) for s, a, _ in ALLOWED]
    assert sorted(pairs) == sorted((s, a) for s in S for a in ("submit", "approve", "request_changes"))


@pytest.mark.parametrize(("state", "action", "after"), ALLOWED)
def test_allowed_transitions(scene, state, action, after):
    """Each allowed transition lands in its state with a new version."""
    _put(scene, state)
    version = scene.a1.version
    result = _act(scene, action)
    result.refresh_from_db()
    assert (result.state, result.version) == (after, version + 1)


@pytest.mark.parametrize(("state", "action", "message"), FORBIDDEN)
def test_forbidden_transitions(scene, state, action, message):
    """A transition from the wrong state is refused, names the state and the allowed ones,
    and changes nothing."""
    _put(scene, state)
    with pytest.raises(ApplicationError) as err:
        _act(scene, action)
    assert err.value.message == message
    assert err.value.errors == {"state": [message]}
    scene.a1.refresh_from_db()
    assert scene.a1.state == state


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
