"""Building a document's gold layer (layer="gold"; one per document, shared by its reviewers).

A reviewer copies spans and relations from annotators' submitted layers
(each copy keeps ``origin``), accepts everything all layers agree on at once,
edits boundaries and adds spans of their own. Writes go through the
annotation services, so every rule and the history apply to gold too
("Accept all agreed" writes in bulk: accept_agreed.py).
"""

from __future__ import annotations

from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.annotations.relation_services import relation_create
from annotator.annotations.services import annotation_create, annotation_delete, annotation_update
from annotator.core.errors import ApplicationError
from annotator.core.locking import row_lock
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.reviews.review_items import item_assert_reviewable, item_set_status


def _gold_twin(annotation: Annotation) -> Annotation | None:
    return Annotation.objects.filter(
        document_id=annotation.document_id,
        layer=Layer.GOLD,
        start=annotation.start,
        end=annotation.end,
        label_id=annotation.label_id,
    ).first()


def _mark_accepted(item, reviewer) -> None:
    if item.status != ReviewStatus.ACCEPTED:
        locked = row_lock(
            type(item).objects.all(), pk=item.pk, what=type(item)._meta.verbose_name.capitalize()
        )
        item_set_status(locked, status=ReviewStatus.ACCEPTED, reason="", actor=reviewer)


@transaction.atomic
def gold_accept_annotation(*, annotation: Annotation, reviewer, mark: bool = True) -> Annotation:
    """The gold copy of an annotator's span (created once; accepting twice returns the same span)."""
    item_assert_reviewable(item=annotation, reviewer=reviewer)
    gold = _gold_twin(annotation)
    if gold is None:
        gold = annotation_create(
            document=annotation.document,
            annotator=reviewer,
            layer=Layer.GOLD,
            start=annotation.start,
            end=annotation.end,
            label=annotation.label,
            subtype=annotation.subtype,
            note=annotation.note,
            origin=annotation,
        )
    if mark:
        _mark_accepted(annotation, reviewer)
    return gold


@transaction.atomic
def gold_accept_relation(
    *, relation: Relation, reviewer, type: str | None = None, mark: bool = True
) -> Relation:
    """Copy a relation (and the spans it links) into the gold layer."""
    item_assert_reviewable(item=relation, reviewer=reviewer)
    source = gold_accept_annotation(annotation=relation.source, reviewer=reviewer, mark=mark)
    target = (
        gold_accept_annotation(annotation=relation.target, reviewer=reviewer, mark=mark)
        if relation.target_id
        else None
    )
    kind = type or relation.type
    gold = Relation.objects.filter(
        source=source, target=target, speaker_id=relation.speaker_id, type=kind
    ).first()
    if gold is None:
        gold = relation_create(
            source=source,
            type=kind,
            target=target,
            speaker=relation.speaker,
            note=relation.note,
            origin=relation,
        )
    if mark:
        _mark_accepted(relation, reviewer)
    return gold


def _own_gold(annotation: Annotation, reviewer) -> None:
    access_project(user=reviewer, project_id=annotation.project_id, minimum=Role.REVIEWER)
    if annotation.layer != Layer.GOLD:
        raise ApplicationError.field(
            "layer", "Only gold-layer spans are edited here; correct annotators' spans instead."
        )


def gold_add(
    *, document: Document, reviewer, start: int, end: int, label, subtype=None, note: str = ""
) -> Annotation:
    """A span of the reviewer's own in the gold layer."""
    access_project(user=reviewer, project_id=document.project_id, minimum=Role.REVIEWER)
    if label.project_id != document.project_id:
        raise ApplicationError.field("label", f"Label {label.code} belongs to another project.")
    return annotation_create(
        document=document,
        annotator=reviewer,
        layer=Layer.GOLD,
        start=start,
        end=end,
        label=label,
        subtype=subtype,
        note=note,
    )


def gold_update(*, annotation: Annotation, reviewer, version: int, **changes) -> Annotation:
    """Edit a gold span's boundaries or label (optimistic version like any span)."""
    _own_gold(annotation, reviewer)
    return annotation_update(annotation=annotation, version=version, **changes)


def gold_delete(*, annotation: Annotation, reviewer, version: int | None = None) -> None:
    _own_gold(annotation, reviewer)
    annotation_delete(annotation=annotation, version=version)
