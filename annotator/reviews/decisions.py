"""A reviewer's decision on one span or relation: accept, reject (with a reason), correct.

Nothing is deleted: a decision sets ``status``/``status_reason`` on the
annotator's item (recorded by simple-history with a new version); a
correction leaves the original as it was, marks it "corrected" and writes
the corrected copy into the reviewer's gold layer with ``origin`` pointing
back at it.
"""

from __future__ import annotations

from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.annotations.services import annotation_create
from annotator.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from annotator.core.locking import row_lock
from annotator.projects.models import Role
from annotator.projects.selectors import user_role
from annotator.reviews.models import Assignment, AssignmentState

REVIEWABLE_STATES = {AssignmentState.SUBMITTED, AssignmentState.APPROVED}
DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED}


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


def _decide(model, item, *, reviewer, decision: str, reason: str, version: int | None, noun: str):
    if decision not in DECISIONS:
        raise ApplicationError.field("decision", f"Unknown decision {decision!r}; use accept or reject.")
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise ApplicationError.field("reason", f"Say why the {noun} is rejected: the reason is required.")
    item_assert_reviewable(item=item, reviewer=reviewer)
    locked = row_lock(model.objects.all(), pk=item.pk, what=noun.capitalize())
    if version is not None and locked.version != version:
        raise Conflict(
            f"This {noun} was changed elsewhere (you had version {version}, it is now {locked.version}).",
            current={"id": locked.pk, "version": locked.version, "status": locked.status},
            errors={"version": [f"Stale version {version}; current is {locked.version}."]},
        )
    return item_set_status(locked, status=DECISIONS[decision], reason=reason, actor=reviewer)


def item_set_status(item, *, status: str, reason: str, actor):
    """Record a decision on a locked (or freshly fetched) item with a new version."""
    item.status = status
    item.status_reason = reason
    item.version += 1
    item._history_user = actor  # simple-history: the reviewer, also outside a request
    item.save(update_fields=["status", "status_reason", "version", "updated_at"])
    return item


@transaction.atomic
def annotation_review(
    *, annotation: Annotation, reviewer, decision: str, reason: str = "", version: int | None = None
) -> Annotation:
    return _decide(
        Annotation,
        annotation,
        reviewer=reviewer,
        decision=decision,
        reason=reason,
        version=version,
        noun="span",
    )


@transaction.atomic
def relation_review(
    *, relation: Relation, reviewer, decision: str, reason: str = "", version: int | None = None
) -> Relation:
    return _decide(
        Relation,
        relation,
        reviewer=reviewer,
        decision=decision,
        reason=reason,
        version=version,
        noun="relation",
    )


_UNSET = object()


@transaction.atomic
def annotation_correct(
    *,
    annotation: Annotation,
    reviewer,
    start=_UNSET,
    end=_UNSET,
    label=_UNSET,
    subtype=_UNSET,
    reason: str = "",
) -> Annotation:
    """Write the corrected span into the reviewer's gold layer; the original stays, marked corrected."""
    item_assert_reviewable(item=annotation, reviewer=reviewer)
    values = {
        "start": annotation.start if start is _UNSET else start,
        "end": annotation.end if end is _UNSET else end,
        "label": annotation.label if label is _UNSET else label,
        "subtype": annotation.subtype if subtype is _UNSET else subtype,
    }
    if label is not _UNSET and subtype is _UNSET and values["subtype"] is not None:
        values["subtype"] = None if values["subtype"].label_id != values["label"].pk else values["subtype"]
    unchanged = (
        values["start"],
        values["end"],
        values["label"].pk,
        getattr(values["subtype"], "pk", None),
    ) == (
        annotation.start,
        annotation.end,
        annotation.label_id,
        annotation.subtype_id,
    )
    if unchanged:
        raise ApplicationError.field(
            "non_field_errors",
            "A correction must change the start, end, label or subtype; to keep it, accept it.",
        )
    gold = annotation_create(
        document=annotation.document,
        annotator=reviewer,
        layer=Layer.GOLD,
        origin=annotation,
        note=annotation.note,
        **values,
    )
    locked = row_lock(Annotation.objects.all(), pk=annotation.pk, what="Span")
    item_set_status(
        locked,
        status=ReviewStatus.CORRECTED,
        reason=(reason or "").strip() or f"Corrected in the gold layer as span {gold.pk}.",
        actor=reviewer,
    )
    return gold


@transaction.atomic
def relation_correct(*, relation: Relation, reviewer, type: str, reason: str = "") -> Relation:
    """Copy the relation with another type into the gold layer; the original is marked corrected."""
    from annotator.reviews.adjudication import gold_accept_relation

    item_assert_reviewable(item=relation, reviewer=reviewer)
    if type == relation.type:
        raise ApplicationError.field("type", f"The relation already is {type}; to keep it, accept it.")
    gold = gold_accept_relation(relation=relation, reviewer=reviewer, type=type, mark=False)
    locked = row_lock(Relation.objects.all(), pk=relation.pk, what="Relation")
    item_set_status(
        locked,
        status=ReviewStatus.CORRECTED,
        reason=(reason or "").strip() or f"Corrected in the gold layer as relation {gold.pk} ({type}).",
        actor=reviewer,
    )
    return gold
