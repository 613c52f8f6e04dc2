"""Writes to the argument map's spans, with optimistic concurrency (relations: relation_services.py).

Every rule is checked here first with a message naming the field; the
database enforces the same rules (see models and migrations) for code that
bypasses these functions.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Layer, Relation
from annotator.annotations.span_sql import Inserted, span_insert
from annotator.core.errors import ApplicationError, Conflict
from annotator.core.integrity import constraint_name
from annotator.core.locking import row_lock
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype


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
    Conflict.check_version(locked, version, noun="span", current=lambda: annotation_snapshot(locked))
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
    Conflict.check_version(locked, version, noun="span", current=lambda: annotation_snapshot(locked))
    locked.delete()
