"""Writes to the argument map: spans and relations, with optimistic concurrency.

Every rule is checked here first with a message naming the field; the
database enforces the same rules (see models and migrations) for code that
bypasses these functions.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Layer, Relation, RelationType
from annotator.annotations.receivers import relation_speakers
from annotator.annotations.relation_sql import relation_insert_checked
from annotator.annotations.rules import relation_ends_problem
from annotator.annotations.span_sql import Inserted, span_insert
from annotator.core.errors import ApplicationError, Conflict
from annotator.core.integrity import constraint_name
from annotator.core.locking import row_lock
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype
from annotator.sources.models import Speaker


def _check_span(*, document: Document, start, end, quote: str | None) -> str:
    errors: dict[str, list[str]] = {}
    if not isinstance(start, int) or isinstance(start, bool):
        errors["start"] = ["Start must be a whole number of code points."]
    if not isinstance(end, int) or isinstance(end, bool):
        errors["end"] = ["End must be a whole number of code points."]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], errors=errors)
    length = document.char_count
    if start < 0:
        raise ApplicationError.field("start", f"Start {start} is before the beginning of the text (0).")
    if start > length:
        raise ApplicationError.field(
            "start", f"Start {start} is past the end of the text ({length} code points)."
        )
    if end > length:
        raise ApplicationError.field("end", f"End {end} is past the end of the text ({length} code points).")
    if end <= start:
        raise ApplicationError.field("end", f"End ({end}) must be after start ({start}).")
    actual = document.text[start:end]
    if quote is not None and quote != actual:
        raise ApplicationError.field(
            "quote", f"The quote does not match the text at {start}-{end}, which reads {actual!r}."
        )
    return actual


def _check_label(*, document: Document, label: Label, subtype: LabelSubtype | None) -> None:
    if label.project_id != document.project_id:
        raise ApplicationError.field("label", f"Label {label.code} belongs to another project.")
    if subtype is not None and subtype.label_id != label.pk:
        raise ApplicationError.field(
            "subtype", f"Subtype {subtype.code} belongs to another label than {label.code}."
        )


def _assert_layer_editable(item: Annotation | Relation) -> None:
    if item.layer == Layer.ANNOTATOR:
        hooks.layer_guard().assert_editable(document=item.document, annotator=item.annotator)


def annotation_snapshot(annotation: Annotation) -> dict:
    data = model_to_dict(annotation, exclude=["project"])
    data["id"] = annotation.pk
    return data


def gold_layer_owner_id(*, document: Document, starting: int) -> int:
    """The user id the document's one gold layer is stored under.

    A document has a single gold layer, shared by every reviewer of the
    project: its rows carry the id of the reviewer who started it (so the
    relation foreign keys, which pair spans by annotator and layer, hold),
    while the history (through the request) records who made each change. Call inside a
    transaction: the first gold span locks the document row so two
    reviewers starting at once still end with one layer (a trigger refuses
    a second owner too).
    """

    def owner():
        return (
            Annotation.objects.filter(document_id=document.pk, layer=Layer.GOLD)
            .values_list("annotator_id", flat=True)
            .first()
        )

    found = owner()
    if found is None:
        Document.objects.select_for_update().filter(pk=document.pk).values_list("pk").first()
        found = owner()
    return starting if found is None else found


def annotation_create(
    *,
    document: Document,
    annotator,
    start: int,
    end: int,
    label: Label,
    subtype: LabelSubtype | None = None,
    quote: str | None = None,
    note: str = "",
    layer: str = Layer.ANNOTATOR,
    origin: Annotation | None = None,
    restore_id: int | None = None,
) -> Annotation:
    """Store a new span in the annotator's layer (or the document's gold layer), with its history.

    ``restore_id``: bring back a deleted span under its old id (reviews/history.py), so the
    relations that pointed at it can be restored too.

    Outside a transaction, a span in a layer already being edited is one statement that
    also runs the change subscribers' marks (span_sql.py, hooks.py): the API's hot path. Inside
    one (keyed API writes), the same statement, with the subscribers told after it. A layer not
    started yet and the gold layer take the general path.
    """
    quote = _check_span(document=document, start=start, end=end, quote=quote)
    _check_label(document=document, label=label, subtype=subtype)
    if not label.is_active:
        raise ApplicationError.field("label", f"Label {label.code} is retired; pick an active label.")
    span = Annotation(
        project_id=document.project_id,
        document=document,
        annotator_id=annotator.pk,
        layer=layer,
        start=start,
        end=end,
        quote=quote,
        label=label,
        subtype=subtype,
        note=note,
        origin=origin,
    )
    span.pk = restore_id
    if layer == Layer.ANNOTATOR and not connection.in_atomic_block and restore_id is None:
        marks = hooks.statement_params()
        inserted = _insert(span, open_states=sorted(hooks.layer_guard().editing_states), marks=marks)
        if inserted.id is not None:
            hooks.statement_written(
                span.project_id,
                marked=marks is not None,
                scheduled=inserted.scheduled,
                document_ids=[document.pk],
            )
            return span
        # Not started, assigned or read-only: the guard's open_for_edit below says which.
    elif layer == Layer.ANNOTATOR and restore_id is None:
        # Inside a transaction (a POST with an Idempotency-Key: the key's row commits with the
        # span): the same guarded statement, in a savepoint so a refused duplicate leaves the
        # transaction usable. Marks wait for the commit: taken here, the marker rows would stay
        # locked until the whole request commits and serialise concurrent writers.
        with transaction.atomic():
            inserted = _insert(span, open_states=sorted(hooks.layer_guard().editing_states))
        if inserted.id is not None:
            hooks.changed(span.project_id, document_ids=[document.pk])
            return span
    with transaction.atomic():
        if layer == Layer.ANNOTATOR:
            hooks.layer_guard().open_for_edit(document=document, annotator=annotator)
        else:
            span.annotator_id = gold_layer_owner_id(document=document, starting=annotator.pk)
        _insert(span)
        hooks.changed(span.project_id, document_ids=[document.pk])  # span_insert sends no post_save
    return span


def _insert(span: Annotation, **options) -> Inserted:
    try:
        if span.pk is not None:  # a restored span: the ORM writes the id (and history) as given
            with transaction.atomic():
                span.save(force_insert=True)
            return Inserted(id=span.pk, scheduled=False)
        return span_insert(span, now=timezone.now(), **options)
    except IntegrityError as exc:
        # The unique constraint is the duplicate check: one round trip fewer
        # on every span write than asking first.
        if constraint_name(exc) == "annotation_unique_span":
            raise ApplicationError.field(
                "non_field_errors",
                f"This layer already has a {span.label.code} span at {span.start}-{span.end}.",
            ) from None
        raise


_UNSET = object()


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    version: int,
    start=_UNSET,
    end=_UNSET,
    label=_UNSET,
    subtype=_UNSET,
    note=_UNSET,
    quote: str | None = None,
) -> Annotation:
    """Change a span if ``version`` is still current; otherwise raise Conflict."""
    locked = row_lock(Annotation.objects.select_related("document"), pk=annotation.pk, what="Span")
    _assert_layer_editable(locked)
    if locked.version != version:
        raise Conflict(
            f"This span was changed elsewhere (you had version {version}, it is now {locked.version}).",
            current=annotation_snapshot(locked),
            errors={"version": [f"Stale version {version}; current is {locked.version}."]},
        )
    new_start = locked.start if start is _UNSET else start
    new_end = locked.end if end is _UNSET else end
    new_label = locked.label if label is _UNSET else label
    new_subtype = locked.subtype if subtype is _UNSET else subtype
    if label is not _UNSET and subtype is _UNSET and new_subtype and new_subtype.label_id != new_label.pk:
        new_subtype = None  # a new label drops a subtype that belonged to the old one
    locked.quote = _check_span(document=locked.document, start=new_start, end=new_end, quote=quote)
    _check_label(document=locked.document, label=new_label, subtype=new_subtype)
    locked.start, locked.end, locked.label, locked.subtype = new_start, new_end, new_label, new_subtype
    if note is not _UNSET:
        locked.note = note
    # The row is locked, so a plain increment is safe (and history can copy it).
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def annotation_delete(*, annotation: Annotation, version: int | None = None) -> None:
    locked = row_lock(Annotation.objects.all(), pk=annotation.pk, what="Span")
    _assert_layer_editable(locked)
    if version is not None and locked.version != version:
        raise Conflict(
            f"This span was changed elsewhere (you had version {version}, it is now {locked.version}).",
            current=annotation_snapshot(locked),
            errors={"version": [f"Stale version {version}; current is {locked.version}."]},
        )
    locked.delete()


@transaction.atomic
def relation_create(
    *,
    source: Annotation,
    type: str,
    target: Annotation | None = None,
    speaker: Speaker | None = None,
    note: str = "",
    origin: Relation | None = None,
    restore_id: int | None = None,
) -> Relation:
    """Link two spans of one layer (or attribute a span to a speaker); ``restore_id`` brings a
    deleted relation back under its old id (reviews/history.py)."""
    _check_relation(source=source, type=type, target=target, speaker=speaker)
    _assert_layer_editable(source)
    if _relation_linked(source=source, type=type, target=target, speaker=speaker).exists():
        raise ApplicationError.field("non_field_errors", f"These spans are already linked with {type}.")
    return Relation.objects.create(
        id=restore_id,
        project_id=source.project_id,
        document_id=source.document_id,
        annotator_id=source.annotator_id,
        layer=source.layer,
        type=type,
        source=source,
        target=target,
        speaker=speaker,
        note=note,
        origin=origin,
    )


def _relation_linked(*, source: Annotation, type: str, target: Annotation | None, speaker: Speaker | None):
    """Relations that would duplicate this one: the keys of the two unique constraints (an
    attribution through a span is one link whatever speaker it names)."""
    if target is not None:
        return Relation.objects.filter(source=source, target=target, type=type)
    return Relation.objects.filter(source=source, target=None, speaker=speaker, type=type)


def relation_create_checked(
    *, user, source_id: int, type: str, target_id: int | None = None, speaker_id: int | None = None,
    note: str = "",
) -> Relation | None:  # fmt: skip
    """The API's relation write in one statement: ``user``'s access to both spans, every rule of
    relation_create, the insert, its history and its change marks (relation_sql.py, hooks.py).

    None when a rule refuses (nothing was written): the caller then takes the general path
    (access checks and relation_create), which names the rule in its error.
    """
    in_transaction = connection.in_atomic_block
    marks = not in_transaction and hooks.statement_marking()
    outcome = relation_insert_checked(
        user=user, source_id=source_id, type=type, target_id=target_id, speaker_id=speaker_id, note=note,
        now=timezone.now(), marks=marks,
    )  # fmt: skip
    relation = outcome.relation
    if relation is None:
        return None
    keys = {"document_ids": [relation.document_id], "speaker_ids": relation_speakers(relation)}
    if in_transaction:  # the statement sent no post_save and carried no marks
        hooks.changed(relation.project_id, **keys)
    else:
        hooks.statement_written(relation.project_id, marked=marks, scheduled=outcome.scheduled, **keys)
    return relation


def _check_relation_ends(*, source: Annotation, type: str, target: Annotation | None) -> None:
    problem = relation_ends_problem(
        type=type,
        source_kind=source.label.kind,
        source_code=source.label.code,
        target_kind=target.label.kind if target is not None else None,
        target_code=target.label.code if target is not None else "",
    )
    if problem is not None:
        raise ApplicationError.field(*problem)


def _check_relation(
    *, source: Annotation, type: str, target: Annotation | None, speaker: Speaker | None
) -> None:
    if type not in RelationType.values:
        raise ApplicationError.field(
            "type", f"Unknown relation type {type!r}; use one of {', '.join(RelationType.values)}."
        )
    if type == RelationType.ATTRIBUTED_TO:
        if speaker is None:
            raise ApplicationError.field(
                "speaker", "attributed_to needs the speaker the claim is attributed to."
            )
    else:
        if target is None:
            raise ApplicationError.field("target", f"{type} needs a target span.")
        if speaker is not None:
            raise ApplicationError.field("speaker", f"Only attributed_to takes a speaker, not {type}.")
    if target is not None:
        if target.pk == source.pk:
            raise ApplicationError.field("target", "A span cannot be linked to itself.")
        if target.document_id != source.document_id:
            raise ApplicationError.field(
                "target",
                f"The target span is in document {target.document_id}, the source in document {source.document_id}; "
                "relations link spans of one document.",
            )
        if (target.annotator_id, target.layer) != (source.annotator_id, source.layer):
            raise ApplicationError.field("target", "The target span is in another annotator's layer.")
    _check_relation_ends(source=source, type=type, target=target)


@transaction.atomic
def relation_delete(*, relation: Relation, version: int | None = None) -> None:
    locked = row_lock(Relation.objects.all(), pk=relation.pk, what="Relation")
    _assert_layer_editable(locked)
    if version is not None and locked.version != version:
        raise Conflict(
            f"This relation was changed elsewhere (you had version {version}, it is now {locked.version}).",
            current={"id": locked.pk, "version": locked.version, "type": locked.type},
            errors={"version": [f"Stale version {version}; current is {locked.version}."]},
        )
    locked.delete()


def relation_snapshot(relation: Relation) -> dict:
    data = model_to_dict(relation, exclude=["project"])
    data["id"] = relation.pk
    return data


@transaction.atomic
def relation_update(
    *, relation: Relation, version: int, type=_UNSET, target=_UNSET, speaker=_UNSET, note=_UNSET
) -> Relation:
    """Change a relation's type, ends or note if ``version`` is still current; otherwise raise Conflict."""
    locked = row_lock(Relation.objects.select_related("source", "document"), pk=relation.pk, what="Relation")
    _assert_layer_editable(locked)
    if locked.version != version:
        raise Conflict(
            f"This relation was changed elsewhere (you had version {version}, it is now {locked.version}).",
            current=relation_snapshot(locked),
            errors={"version": [f"Stale version {version}; current is {locked.version}."]},
        )
    new_type = locked.type if type is _UNSET else type
    new_target = locked.target if target is _UNSET else target
    new_speaker = locked.speaker if speaker is _UNSET else speaker
    _check_relation(source=locked.source, type=new_type, target=new_target, speaker=new_speaker)
    duplicate = (
        _relation_linked(source=locked.source, type=new_type, target=new_target, speaker=new_speaker)
        .exclude(pk=locked.pk)
        .exists()
    )
    if duplicate:
        raise ApplicationError.field("non_field_errors", f"These spans are already linked with {new_type}.")
    locked.type, locked.target, locked.speaker = new_type, new_target, new_speaker
    if note is not _UNSET:
        locked.note = note
    locked.version += 1
    locked.save()
    return locked
