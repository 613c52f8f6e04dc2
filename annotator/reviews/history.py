"""What happened to a document's work, from django-simple-history, and restore.

Entries show who, when, and each changed field as before -> after. A
manager restores an entry: a deleted span or relation is re-created through
the annotation services with its old values and its old id (so the relations
of a restored span can be restored too); a changed one gets the old values
back as a new version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Annotation, Relation, ReviewStatus
from annotator.annotations.relation_services import relation_create
from annotator.annotations.services import annotation_create
from annotator.core.errors import ApplicationError, NotFound
from annotator.projects.models import Label, LabelSubtype, Role
from annotator.reviews.assigning import assert_member
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.services import agreement_enqueue
from annotator.sources.models import Speaker

TRACKED = {
    "annotation": [
        "layer",
        "start",
        "end",
        "quote",
        "label_id",
        "subtype_id",
        "note",
        "status",
        "status_reason",
        "origin_id",
    ],
    "relation": [
        "layer",
        "type",
        "source_id",
        "target_id",
        "speaker_id",
        "note",
        "status",
        "status_reason",
        "origin_id",
    ],
    "assignment": ["annotator_id", "state", "reason", "reviewed_by_id"],
}
MODELS = {"annotation": Annotation, "relation": Relation, "assignment": Assignment}
KIND = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Entry:
    model: str
    object_id: int
    history_id: int
    action: str
    user: str
    date: object
    version: int | None
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    summary: str = ""
    restorable: bool = False


def _entries(model: str, records, labels: dict[int, str]) -> list[Entry]:
    previous: dict[int, object] = {}
    out = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in TRACKED[model]:
            new = getattr(record, name)
            old = getattr(before, name) if before is not None else None
            if before is None and record.history_type != "-":
                if new not in (None, ""):
                    changes.append((_field(name), None, _show(name, new, labels)))
            elif before is not None and old != new:
                changes.append((_field(name), _show(name, old, labels), _show(name, new, labels)))
        previous[record.id] = record
        out.append(
            Entry(
                model=model,
                object_id=record.id,
                history_id=record.history_id,
                action=KIND[record.history_type],
                user=record.history_user.username if record.history_user_id else "system",
                date=record.history_date,
                version=getattr(record, "version", None),
                changes=changes,
                summary=_summary(model, record, labels),
                restorable=True,
            )
        )
    return out


def _field(name: str) -> str:
    return name.removesuffix("_id")


def _show(name: str, value, labels: dict[int, str]):
    if name == "label_id" and value is not None:
        return labels.get(value, value)
    return value


def _summary(model: str, record, labels) -> str:
    if model == "annotation":
        return f"{labels.get(record.label_id, record.label_id)} [{record.start}:{record.end}] {record.quote[:60]!r} ({record.layer})"
    if model == "relation":
        target = f"span {record.target_id}" if record.target_id else f"speaker {record.speaker_id}"
        return f"span {record.source_id} {record.type} {target} ({record.layer})"
    return f"assignment of annotator {record.annotator_id}: {record.state}"


def _history(model: str, **filters):
    return (
        MODELS[model]
        .history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


# Apps above this one add their own models' changes to a document's history (hedge
# suggestion decisions): each source is called as source(document=...) and returns Entry
# objects, shown but not restorable from here (their own services undo them).
_EXTRA_SOURCES: list = []


def history_source_register(source) -> None:
    if source not in _EXTRA_SOURCES:
        _EXTRA_SOURCES.append(source)


def document_history(*, document, user) -> list[Entry]:
    """Every recorded change to the document's spans, relations and assignments, newest first."""
    access_project(user=user, project_id=document.project_id, minimum=Role.REVIEWER)
    labels = dict(Label.objects.filter(project_id=document.project_id).values_list("id", "code"))
    entries: list[Entry] = []
    for model in MODELS:
        entries += _entries(model, _history(model, document_id=document.pk), labels)
    for source in _EXTRA_SOURCES:
        entries += source(document=document)
    entries.sort(key=lambda e: (e.date, e.history_id), reverse=True)
    return entries


def span_history(*, annotation_id: int, user) -> list[Entry]:
    """The history of one span (also after it was deleted) and of its relations, oldest first."""
    records = list(_history("annotation", id=annotation_id))
    if not records:
        raise NotFound("Span not found.")
    access_project(user=user, project_id=records[-1].project_id, minimum=Role.REVIEWER)
    labels = dict(Label.objects.filter(project_id=records[-1].project_id).values_list("id", "code"))
    entries = _entries("annotation", records, labels)
    from django.db.models import Q

    relation_ids = (
        Relation.history.filter(Q(source_id=annotation_id) | Q(target_id=annotation_id))
        .values("id")
        .distinct()
    )
    entries += _entries("relation", _history("relation", id__in=relation_ids), labels)
    entries.sort(key=lambda e: (e.date, e.history_id))
    return entries


def history_record(*, model: str, history_id: int):
    if model not in MODELS:
        raise ApplicationError.field(
            "model", f"Cannot restore {model!r}; restore an annotation, a relation or an assignment."
        )
    record = MODELS[model].history.filter(history_id=history_id).first()
    if record is None:
        raise NotFound("History entry not found.")
    return record


@transaction.atomic
def history_restore(*, model: str, history_id: int, manager):
    """Bring a span, relation or assignment back to the values of one history entry (managers only)."""
    record = history_record(model=model, history_id=history_id)
    access_project(user=manager, project_id=record.project_id, minimum=Role.MANAGER)
    current = MODELS[model].objects.select_for_update().filter(pk=record.id).first()
    if model == "annotation":
        return _restore_annotation(record, current, manager)
    if model == "relation":
        return _restore_relation(record, current, manager)
    return _restore_assignment(record, current, manager)


def _status(record) -> dict:
    """The entry's review status, with its reason only where the status is explained by one."""
    reasoned = record.status in (ReviewStatus.REJECTED, ReviewStatus.CORRECTED)
    return {"status": record.status, "status_reason": record.status_reason if reasoned else ""}


def _restore_annotation(record, current: Annotation | None, manager) -> Annotation:
    label = Label.objects.get(pk=record.label_id)
    subtype = LabelSubtype.objects.filter(pk=record.subtype_id).first() if record.subtype_id else None
    if current is None:
        restored = annotation_create(
            document=record.document,
            annotator=record.annotator,
            layer=record.layer,
            start=record.start,
            end=record.end,
            label=label,
            subtype=subtype,
            note=record.note,
            origin=Annotation.objects.filter(pk=record.origin_id).first(),
            restore_id=record.id,
        )
        return _apply(restored, _status(record), manager)
    values = {name: getattr(record, name) for name in ("start", "end", "quote", "note")}
    values.update(_status(record))
    values.update(label=label, subtype=subtype)
    return _apply(current, values, manager)


def _restore_relation(record, current: Relation | None, manager) -> Relation:
    source = Annotation.objects.filter(pk=record.source_id).first()
    target = Annotation.objects.filter(pk=record.target_id).first() if record.target_id else None
    if source is None or (record.target_id and target is None):
        missing = record.source_id if source is None else record.target_id
        raise ApplicationError.field(
            "history_id", f"Span {missing} that this relation links is deleted; restore that span first."
        )
    speaker = Speaker.objects.filter(pk=record.speaker_id).first() if record.speaker_id else None
    if current is None:
        restored = relation_create(
            source=source,
            type=record.type,
            target=target,
            speaker=speaker,
            note=record.note,
            origin=Relation.objects.filter(pk=record.origin_id).first(),
            restore_id=record.id,
        )
        return _apply(restored, _status(record), manager)
    values = {name: getattr(record, name) for name in ("type", "note")}
    values.update(_status(record))
    values.update(target=target, speaker=speaker)
    return _apply(current, values, manager)


ASSIGNMENT_RESTORED = ("state", "reason", "submitted_at", "reviewed_at", "reviewed_by_id")


def _restore_assignment(record, current: Assignment | None, manager) -> Assignment:
    """The entry's review state back on the assignment; a deleted (reassigned) one comes back
    as a new row for the same annotator, whose layer was kept."""
    if current is None:
        taken = Assignment.objects.filter(document_id=record.document_id, annotator_id=record.annotator_id)
        if taken.exists():
            raise ApplicationError.field(
                "history_id",
                f"{record.annotator.username} is assigned to document {record.document_id} again; "
                "restore an entry of that assignment instead.",
            )
        assert_member(record.project, record.annotator)
        current = Assignment(
            project_id=record.project_id,
            document_id=record.document_id,
            annotator_id=record.annotator_id,
            assigned_by_id=record.assigned_by_id,
            version=0,
        )
    values = {name: getattr(record, name) for name in ASSIGNMENT_RESTORED}
    if record.state != AssignmentState.CHANGES_REQUESTED:
        values["reason"] = ""  # a reason belongs to the request it explained, not to later states
    restored = _apply(current, values, manager)
    # The set of compared (submitted or approved) layers may have changed.
    transaction.on_commit(lambda: agreement_enqueue(restored.document_id))
    return restored


def _apply(item, values: dict, actor):
    for name, value in values.items():
        setattr(item, name, value)
    item.version += 1
    item._history_user = actor
    item.save()
    return item


def entries_by_object(entries: list[Entry]) -> dict[tuple[str, int], list[Entry]]:
    grouped: dict[tuple[str, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        grouped[(entry.model, entry.object_id)].append(entry)
    return grouped
