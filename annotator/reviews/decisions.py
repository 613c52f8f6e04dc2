"""A reviewer's decision on one span or relation: accept, reject (with a reason), correct.

Nothing is deleted: a decision sets ``status``/``status_reason`` on the
annotator's item (recorded by simple-history with a new version); a
correction leaves the original as it was, marks it "corrected" and writes
the corrected copy into the reviewer's gold layer with ``origin`` pointing
back at it.
"""

from __future__ import annotations

from django.db import transaction

from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.annotations.services import annotation_create
from annotator.core.errors import ApplicationError, Conflict
from annotator.core.locking import row_lock
from annotator.reviews.adjudication import gold_accept_relation
from annotator.reviews.review_items import item_assert_reviewable, item_set_status

DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED}
REJECT_REASON_REQUIRED = "Say why the {noun} is rejected: the reason is required."


def _decide(model, item, *, reviewer, decision: str, reason: str, version: int | None, noun: str):
    if decision not in DECISIONS:
        raise ApplicationError.field("decision", f"Unknown decision {decision!r}; use accept or reject.")
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise ApplicationError.field("reason", REJECT_REASON_REQUIRED.format(noun=noun))
    item_assert_reviewable(item=item, reviewer=reviewer)
    locked = row_lock(model.objects.all(), pk=item.pk, what=noun.capitalize())
    Conflict.check_version(
        locked,
        version,
        noun=noun,
        current={"id": locked.pk, "version": locked.version, "status": locked.status},
    )
    return item_set_status(locked, status=DECISIONS[decision], reason=reason, actor=reviewer)


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
