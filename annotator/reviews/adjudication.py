"""Building a document's gold layer (layer="gold"; one per document, shared by its reviewers).

A reviewer copies spans and relations from annotators' submitted layers
(each copy keeps ``origin``), accepts everything all layers agree on at once,
edits boundaries and adds spans of their own. Writes go through the
annotation services, so every rule and the history apply to gold too.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Annotation, Layer, Relation, ReviewStatus
from annotator.annotations.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    relation_create,
)
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.core.locking import row_lock
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.reviews.agreement_services import COMPARED_STATES
from annotator.reviews.decisions import item_assert_reviewable, item_set_status
from annotator.reviews.models import Assignment


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


def _compared_annotators(document: Document) -> list[int]:
    return sorted(
        Assignment.objects.filter(document=document, state__in=COMPARED_STATES).values_list(
            "annotator_id", flat=True
        )
    )


def _needs_accepting(members: list, gold_exists: bool) -> bool:
    return not gold_exists or any(m.status != ReviewStatus.ACCEPTED for m in members)


def _mark_all_accepted(items, reviewer) -> None:
    for item in items:
        if item.status != ReviewStatus.ACCEPTED:
            item_set_status(item, status=ReviewStatus.ACCEPTED, reason="", actor=reviewer)


@transaction.atomic
def gold_accept_agreed(*, document: Document, reviewer) -> dict:
    """Accept every span (same start, end, label) and relation (same type between
    agreed spans, or to the same speaker) that all submitted layers share.

    Returns what this call did: ``spans``/``relations`` count the agreed items it
    accepted (copied into gold, or marked accepted where gold already had the copy);
    ``already_spans``/``already_relations`` those a previous decision had fully accepted.

    The permission and layer checks are made once for the document (every compared layer
    is submitted or approved, so each of its items is reviewable); the compared items are
    locked in one statement and gold copies are looked up in one read, not per item.
    """
    access_project(user=reviewer, project_id=document.project_id, minimum=Role.REVIEWER)
    annotators = _compared_annotators(document)
    if reviewer.pk in annotators:
        raise PermissionDenied("You cannot review your own work.")
    if len(annotators) < 2:
        raise ApplicationError.field(
            "document", "Accepting agreed work needs at least two submitted layers to compare."
        )
    spans = (
        Annotation.objects.select_for_update(of=("self",))
        .filter(document=document, layer=Layer.ANNOTATOR, annotator_id__in=annotators)
        .select_related("document", "label", "subtype")
        .order_by("annotator_id", "pk")
    )
    groups: dict[tuple, list[Annotation]] = defaultdict(list)
    for span in spans:
        groups[(span.start, span.end, span.label_id)].append(span)
    twins = {
        (g.start, g.end, g.label_id): g
        for g in Annotation.objects.filter(document=document, layer=Layer.GOLD).order_by("pk")
    }
    agreed_keys = set()
    accepted = already = 0
    for key, members in groups.items():
        if len(members) != len(annotators):
            continue
        agreed_keys.add(key)
        if not _needs_accepting(members, key in twins):
            already += 1
            continue
        accepted += 1
        if key not in twins:
            first = members[0]
            twins[key] = annotation_create(
                document=document, annotator=reviewer, layer=Layer.GOLD, start=first.start, end=first.end,
                label=first.label, subtype=first.subtype, note=first.note, origin=first,
            )  # fmt: skip
        _mark_all_accepted(members, reviewer)
    relations, relations_already = _accept_agreed_relations(
        document, annotators, agreed_keys, twins, reviewer
    )
    return {
        "spans": accepted,
        "relations": relations,
        "already_spans": already,
        "already_relations": relations_already,
        "layers": len(annotators),
    }


def _accept_agreed_relations(document, annotators, agreed_keys, twins, reviewer) -> tuple[int, int]:
    relations = (
        Relation.objects.select_for_update(of=("self",))
        .filter(document=document, layer=Layer.ANNOTATOR, annotator_id__in=annotators)
        .select_related("source", "target", "speaker")
        .order_by("annotator_id", "pk")
    )
    groups: dict[tuple, list[Relation]] = defaultdict(list)
    for rel in relations:
        source_key = (rel.source.start, rel.source.end, rel.source.label_id)
        target_key = (rel.target.start, rel.target.end, rel.target.label_id) if rel.target_id else None
        if source_key in agreed_keys and (target_key is None or target_key in agreed_keys):
            groups[(rel.type, source_key, target_key, rel.speaker_id)].append(rel)
    in_gold = {
        (r.type, (r.source.start, r.source.end, r.source.label_id),
         (r.target.start, r.target.end, r.target.label_id) if r.target_id else None, r.speaker_id)
        for r in Relation.objects.filter(document=document, layer=Layer.GOLD).select_related("source", "target")
    }  # fmt: skip
    accepted = already = 0
    for key, members in groups.items():
        if len({m.annotator_id for m in members}) != len(annotators):
            continue
        if not _needs_accepting(members, key in in_gold):
            already += 1
            continue
        accepted += 1
        kind, source_key, target_key, _ = key
        if key not in in_gold:
            first = members[0]
            relation_create(
                source=twins[source_key], type=kind, target=twins[target_key] if target_key else None,
                speaker=first.speaker, note=first.note, origin=first,
            )  # fmt: skip
            in_gold.add(key)
        _mark_all_accepted(members, reviewer)
    return accepted, already


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
