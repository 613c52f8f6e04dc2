"""Writes to the argument map's relations (links between two spans of one layer, and
attributions to a speaker), with optimistic concurrency.

Every rule is checked here first with a message naming the field; the database enforces
the same rules (see models and migrations) for code that bypasses these functions.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Relation, RelationType
from annotator.annotations.receivers import relation_speakers
from annotator.annotations.relation_sql import relation_insert_checked
from annotator.annotations.rules import relation_ends_problem
from annotator.annotations.services import _assert_layer_editable
from annotator.core.errors import ApplicationError, Conflict
from annotator.core.locking import row_lock
from annotator.sources.models import Speaker

_UNSET = object()


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
    Conflict.check_version(
        locked,
        version,
        noun="relation",
        current=lambda: {"id": locked.pk, "version": locked.version, "type": locked.type},
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
    Conflict.check_version(locked, version, noun="relation", current=lambda: relation_snapshot(locked))
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
