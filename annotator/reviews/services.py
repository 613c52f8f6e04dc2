"""The review lifecycle of one annotator's layer on one document.

    assigned -> in_progress -> submitted -> approved
                     ^             |           |
                     +-- changes_requested <---+  (with the reviewer's reason)

Assigned and changes-requested work may also be submitted directly.

An annotator edits their layer only while it is assigned, in progress or
sent back; submitting makes it read-only until a reviewer sends it back.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotator.access import access_project
from annotator.annotations.hooks import LayerGuard
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.core.locking import row_lock
from annotator.core.queueing import task_send
from annotator.documents.models import Document
from annotator.jobs.models import Job, JobKind
from annotator.jobs.services import job_create, job_enqueue
from annotator.projects.models import Project, Role
from annotator.projects.selectors import role_at_least, user_role
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.tasks import agreement_document_compute, agreement_project_compute

EDITABLE_STATES = {AssignmentState.ASSIGNED, AssignmentState.IN_PROGRESS, AssignmentState.CHANGES_REQUESTED}
# Editable with nothing to record first (an assigned layer moves to in progress on its first edit).
LAYER_EDITING_STATES = EDITABLE_STATES - {AssignmentState.ASSIGNED}
CHANGES_REASON_REQUIRED = "Say what needs to change: the reason is required."

# state -> the states a transition may start from
TRANSITIONS = {
    "submit": {AssignmentState.ASSIGNED, AssignmentState.IN_PROGRESS, AssignmentState.CHANGES_REQUESTED},
    "approve": {AssignmentState.SUBMITTED},
    "request_changes": {AssignmentState.SUBMITTED, AssignmentState.APPROVED},
}


def assignment_get_or_start(*, document: Document, annotator) -> Assignment:
    """The annotator's assignment on the document, created (in progress) on first work.

    Members may annotate unassigned documents: like doccano and INCEpTION, the
    first edit opens their layer.
    """
    assignment, _ = Assignment.objects.get_or_create(
        document=document,
        annotator=annotator,
        defaults={"project_id": document.project_id, "state": AssignmentState.IN_PROGRESS},
    )
    return assignment


def layer_assert_editable(*, document: Document, annotator) -> None:
    """Raise unless the annotator's layer on the document may change now."""
    # (document, annotator) is unique, so no ordering: the model's default one joins two tables.
    rows = (
        Assignment.objects.filter(document=document, annotator=annotator)
        .order_by()
        .values_list("state", flat=True)
    )
    state = next(iter(rows[:1]), None)
    if state is not None and state not in EDITABLE_STATES:
        raise ApplicationError.field(
            "document",
            f"This layer is {AssignmentState(state).label.lower()} and read-only until a reviewer sends it back.",
        )


def layer_open_for_edit(*, document: Document, annotator) -> None:
    """Check that the layer may change and mark work as started.

    One read when the layer is already in progress (the common case on the
    span-write hot path); creates the assignment on first work and moves
    assigned -> in progress.
    """
    # (document, annotator) is unique, so no ordering: the model's default one joins two tables.
    rows = (
        Assignment.objects.filter(document=document, annotator=annotator)
        .order_by()
        .values_list("state", flat=True)
    )
    state = next(iter(rows[:1]), None)
    if state is None:
        assignment_get_or_start(document=document, annotator=annotator)
    elif state not in EDITABLE_STATES:
        raise ApplicationError.field(
            "document",
            f"This layer is {AssignmentState(state).label.lower()} and read-only until a reviewer sends it back.",
        )
    elif state == AssignmentState.ASSIGNED:
        Assignment.objects.filter(
            document=document, annotator=annotator, state=AssignmentState.ASSIGNED
        ).update(state=AssignmentState.IN_PROGRESS, version=F("version") + 1)


# How annotations asks whether a layer may change (annotations/hooks.py; registered in apps.py).
LAYER_GUARD = LayerGuard(
    assert_editable=layer_assert_editable,
    open_for_edit=layer_open_for_edit,
    editable_states=frozenset(EDITABLE_STATES),
    editing_states=frozenset(LAYER_EDITING_STATES),
)


# How each action reads in an error message ("Cannot request changes on work that is ...").
VERBS = {"submit": "submit", "approve": "approve", "request_changes": "request changes on"}


def _transition(assignment: Assignment, action: str) -> Assignment:
    locked = row_lock(Assignment.objects.all(), pk=assignment.pk, what="Assignment")
    if locked.state not in TRANSITIONS[action]:
        # In lifecycle order, so the message reads like the diagram above.
        allowed = [s.label.lower() for s in AssignmentState if s in TRANSITIONS[action]]
        listed = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        raise ApplicationError.field(
            "state",
            f"Cannot {VERBS[action]} work that is {AssignmentState(locked.state).label.lower()}; "
            f"it must be {listed}.",
        )
    return locked


@transaction.atomic
def assignment_submit(*, document: Document, annotator) -> Assignment:
    assignment = assignment_get_or_start(document=document, annotator=annotator)
    locked = _transition(assignment, "submit")
    locked.state = AssignmentState.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    # A new submitted layer changes the document's agreement (annotator/reviews/tasks.py).
    transaction.on_commit(lambda: agreement_enqueue(locked.document_id))
    return locked


def agreement_enqueue(document_id: int) -> None:
    """Queue the document's agreement; with the broker down the submit still answers (the
    figures are computed again on the next submit, or on demand from the review page)."""
    task_send(agreement_document_compute, kwargs={"document_id": document_id})


def agreement_project_request(*, project: Project, user) -> Job:
    """Queue an on-demand recomputation of the project's agreement; returns the Job to poll."""
    access_project(user=user, project_id=project.pk, minimum=Role.REVIEWER)
    job = job_create(kind=JobKind.AGREEMENT, project=project, created_by=user, params={"project": project.pk})
    job_enqueue(job=job, task=agreement_project_compute, project_id=project.pk)
    return job


def _assert_reviewer(assignment: Assignment, reviewer) -> None:
    if assignment.annotator_id == reviewer.pk:
        raise PermissionDenied("You cannot review your own work.")
    if user_role(user=reviewer, project_id=assignment.project_id) is None:
        raise NotFound("Project not found.")  # non-members must not learn the project exists
    if not role_at_least(user_role(user=reviewer, project_id=assignment.project_id), Role.REVIEWER):
        raise PermissionDenied("Only reviewers and managers of this project can review work.")


@transaction.atomic
def assignment_approve(*, assignment: Assignment, reviewer) -> Assignment:
    _assert_reviewer(assignment, reviewer)
    locked = _transition(assignment, "approve")
    locked.state = AssignmentState.APPROVED
    locked.reason = ""
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = reviewer
    locked.version += 1
    locked.save(update_fields=["state", "reason", "reviewed_at", "reviewed_by", "version", "updated_at"])
    return locked


@transaction.atomic
def assignment_request_changes(*, assignment: Assignment, reviewer, reason: str) -> Assignment:
    _assert_reviewer(assignment, reviewer)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError.field("reason", CHANGES_REASON_REQUIRED)
    locked = _transition(assignment, "request_changes")
    locked.state = AssignmentState.CHANGES_REQUESTED
    locked.reason = reason
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = reviewer
    locked.version += 1
    locked.save(update_fields=["state", "reason", "reviewed_at", "reviewed_by", "version", "updated_at"])
    # The layer leaves the comparison until it is submitted again.
    transaction.on_commit(lambda: agreement_enqueue(locked.document_id))
    return locked
