""" "Accept all agreed" as one bulk operation.

Every span (same start, end, label) and relation (same type between agreed spans, or to
the same speaker) that all compared layers share is copied into the document's gold
layer once and marked accepted in every layer. One transaction: the compared items are
locked in one statement each, gold copies are bulk-inserted and the decisions
bulk-updated, each with its history rows (simple-history's bulk helpers, all rows by
the reviewer at one time, so the history reads them as one action), and source scores
are marked dirty once for the document on commit. Per-item saves cost an UPDATE, a
history INSERT and a credibility mark each (a recompute each without a broker: 4.2 s on
the demo's "20 truths…").

The rules of the item-by-item path hold: the checks are made once for the document
(every compared layer is submitted or approved, so all its items are reviewable), the
copies have the offsets, quotes and labels of spans the database already accepted, a
retired label is refused as annotation_create refuses it, and the database's triggers
and constraints (one gold owner, same-layer links) run on the bulk inserts as on any.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from annotator.access import access_project
from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Layer, Relation, RelationType, ReviewStatus
from annotator.annotations.services import gold_layer_owner_id
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.reviews.agreement_services import COMPARED_STATES
from annotator.reviews.models import Assignment

DECISION_FIELDS = ["status", "status_reason", "version", "updated_at"]


def _compared_annotators(document: Document) -> list[int]:
    return sorted(
        Assignment.objects.filter(document=document, state__in=COMPARED_STATES).values_list(
            "annotator_id", flat=True
        )
    )


def _span_key(span: Annotation) -> tuple:
    return (span.start, span.end, span.label_id)


class _Batch:
    """What one call writes: gold copies to insert, items to mark accepted, and the counts."""

    def __init__(self, reviewer, now):
        self.reviewer, self.now = reviewer, now
        self.to_mark: dict[type, list] = defaultdict(list)
        self.speakers: set[int] = set()

    def mark(self, members) -> None:
        for item in members:
            if item.status != ReviewStatus.ACCEPTED:
                item.status, item.status_reason = ReviewStatus.ACCEPTED, ""
                item.version += 1
                item.updated_at = self.now
                self.to_mark[type(item)].append(item)

    def insert(self, model, objs: list) -> list:
        if not objs:
            return []
        return bulk_create_with_history(objs, model, default_user=self.reviewer, default_date=self.now)

    def write_marks(self) -> None:
        for model, items in self.to_mark.items():
            bulk_update_with_history(
                items, model, DECISION_FIELDS, default_user=self.reviewer, default_date=self.now
            )


@transaction.atomic
def gold_accept_agreed(*, document: Document, reviewer) -> dict:
    """Accept what all submitted layers share; returns what this call did.

    ``spans``/``relations`` count the agreed items it accepted (copied into gold, or
    marked accepted where gold already had the copy); ``already_spans`` and
    ``already_relations`` those an earlier decision had fully accepted.
    """
    access_project(user=reviewer, project_id=document.project_id, minimum=Role.REVIEWER)
    annotators = _compared_annotators(document)
    if reviewer.pk in annotators:
        raise PermissionDenied("You cannot review your own work.")
    if len(annotators) < 2:
        raise ApplicationError.field(
            "document", "Accepting agreed work needs at least two submitted layers to compare."
        )
    batch = _Batch(reviewer, timezone.now())
    twins, agreed, spans = _accept_agreed_spans(document, annotators, batch)
    relations = _accept_agreed_relations(document, annotators, agreed, twins, batch)
    batch.write_marks()
    if batch.to_mark or spans[0] or relations[0]:
        # One report for the document, however many items changed (the ORM's receivers are
        # per save; bulk writes send none).
        hooks.changed(document.project_id, document_ids=[document.pk], speaker_ids=sorted(batch.speakers))
    return {
        "spans": spans[0],
        "relations": relations[0],
        "already_spans": spans[1],
        "already_relations": relations[1],
        "layers": len(annotators),
    }


def _needs_accepting(members: list, gold_exists: bool) -> bool:
    return not gold_exists or any(m.status != ReviewStatus.ACCEPTED for m in members)


def _accept_agreed_spans(document, annotators, batch: _Batch):
    spans = (
        Annotation.objects.select_for_update(of=("self",))
        .filter(document=document, layer=Layer.ANNOTATOR, annotator_id__in=annotators)
        .select_related("label")
        .order_by("annotator_id", "pk")
    )
    groups: dict[tuple, list[Annotation]] = defaultdict(list)
    for span in spans:
        groups[_span_key(span)].append(span)
    twins = {
        _span_key(g): g for g in Annotation.objects.filter(document=document, layer=Layer.GOLD).order_by("pk")
    }
    agreed, copies = set(), []
    accepted = already = 0
    for key, members in groups.items():
        if len(members) != len(annotators):
            continue
        agreed.add(key)
        if not _needs_accepting(members, key in twins):
            already += 1
            continue
        accepted += 1
        if key not in twins:
            copies.append(members[0])
        batch.mark(members)
    if copies:
        retired = next((s.label for s in copies if not s.label.is_active), None)
        if retired is not None:
            raise ApplicationError.field("label", f"Label {retired.code} is retired; pick an active label.")
        owner = gold_layer_owner_id(document=document, starting=batch.reviewer.pk)
        made = batch.insert(Annotation, [_gold_span(s, owner) for s in copies])
        twins.update((_span_key(g), g) for g in made)
    return twins, agreed, (accepted, already)


def _gold_span(first: Annotation, owner: int) -> Annotation:
    return Annotation(
        project_id=first.project_id, document_id=first.document_id, annotator_id=owner,
        layer=Layer.GOLD, start=first.start, end=first.end, quote=first.quote,
        label_id=first.label_id, subtype_id=first.subtype_id, note=first.note, origin=first,
    )  # fmt: skip


def _relation_key(rel: Relation, spans: dict) -> tuple:
    target = _span_key(spans[rel.target_id]) if rel.target_id else None
    return (rel.type, _span_key(spans[rel.source_id]), target, rel.speaker_id)


def _accept_agreed_relations(document, annotators, agreed, twins, batch: _Batch) -> tuple[int, int]:
    relations = list(
        Relation.objects.select_for_update(of=("self",))
        .filter(document=document, layer=Layer.ANNOTATOR, annotator_id__in=annotators)
        .order_by("annotator_id", "pk")
    )
    gold = list(Relation.objects.filter(document=document, layer=Layer.GOLD))
    ends = {r.source_id for r in relations + gold} | {r.target_id for r in relations + gold if r.target_id}
    spans = {s.pk: s for s in Annotation.objects.filter(pk__in=ends).only("start", "end", "label_id")}
    groups: dict[tuple, list[Relation]] = defaultdict(list)
    for rel in relations:
        key = _relation_key(rel, spans)
        if key[1] in agreed and (key[2] is None or key[2] in agreed):
            groups[key].append(rel)
    in_gold = {_relation_key(r, spans) for r in gold}
    copies = []
    accepted = already = 0
    for key, members in groups.items():
        if len({m.annotator_id for m in members}) != len(annotators):
            continue
        if not _needs_accepting(members, key in in_gold):
            already += 1
            continue
        accepted += 1
        if key not in in_gold:
            copies.append((key, members[0]))
            in_gold.add(key)
        batch.mark(members)
        if key[0] == RelationType.ATTRIBUTED_TO and key[3]:
            batch.speakers.add(key[3])
    batch.insert(Relation, [_gold_relation(key, first, twins) for key, first in copies])
    return accepted, already


def _gold_relation(key: tuple, first: Relation, twins: dict) -> Relation:
    kind, source_key, target_key, speaker_id = key
    source = twins[source_key]
    return Relation(
        project_id=source.project_id, document_id=source.document_id, annotator_id=source.annotator_id,
        layer=Layer.GOLD, type=kind, source=source, target=twins[target_key] if target_key else None,
        speaker_id=speaker_id, note=first.note, origin=first,
    )  # fmt: skip
