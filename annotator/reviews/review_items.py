"""What every review of one span or relation checks and records (decisions.py, adjudication.py)."""

from __future__ import annotations

from annotator.access import access_project
from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.projects.models import Role
from annotator.projects.selectors import user_role
from annotator.reviews.models import Assignment, AssignmentState

REVIEWABLE_STATES = {AssignmentState.SUBMITTED, AssignmentState.APPROVED}


def item_assert_reviewable(*, item: Annotation | Relation, reviewer) -> None:
    """Raise unless ``reviewer`` may decide on this annotator-layer span or relation."""
    if user_role(user=reviewer, project_id=item.project_id) is None:
        raise NotFound("Project not found.")
    if item.annotator_id == reviewer.pk and item.layer == Layer.ANNOTATOR:
        raise PermissionDenied("You cannot review your own work.")
    access_project(user=reviewer, project_id=item.project_id, minimum=Role.REVIEWER)
    if item.layer == Layer.GOLD:
        raise ApplicationError.field(
            "layer", "Gold-layer items are adjudicated, not reviewed; edit them instead."
        )
    state = (
        Assignment.objects.filter(document_id=item.document_id, annotator_id=item.annotator_id)
        .values_list("state", flat=True)
        .first()
    )
    if state not in REVIEWABLE_STATES:
        shown = AssignmentState(state).label.lower() if state else "not assigned"
        raise ApplicationError.field("state", f"Review this layer once it is submitted; it is {shown}.")


def item_set_status(item, *, status: str, reason: str, actor):
    """Record a decision on a locked (or freshly fetched) item with a new version."""
    item.status = status
    item.status_reason = reason
    item.version += 1
    item._history_user = actor  # simple-history: the reviewer, also outside a request
    item.save(update_fields=["status", "status_reason", "version", "updated_at"])
    return item
