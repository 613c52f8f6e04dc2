"""Writes shared by the importers and the API: speakers, labels and subtypes, memberships."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from annotator.core.errors import ApplicationError
from annotator.projects.models import Label, LabelKind, LabelSubtype
from annotator.sources.models import Speaker, SpeakerKind


def speaker_get_or_create(*, name: str, kind: str = SpeakerKind.PERSON) -> tuple[Speaker, bool]:
    """The speaker with this name (case-insensitive) and kind, created if missing."""
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError.field("name", "A speaker needs a name.")
    if kind not in SpeakerKind.values:
        raise ApplicationError.field(
            "kind", f"Unknown speaker kind {kind!r}; use one of {', '.join(SpeakerKind.values)}."
        )
    existing = Speaker.objects.filter(name__iexact=name, kind=kind).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Speaker.objects.create(name=name, kind=kind), True
    except IntegrityError:  # created by a concurrent request between the lookup and the insert
        return Speaker.objects.get(name__iexact=name, kind=kind), False


# --- Taxonomy: labels and subtypes (used by the API and the native importer) ---
# Codes never change once created: annotations and exports refer to them.

LABEL_EDITABLE = ("name", "kind", "description", "color", "shortcut", "position", "is_active")
SUBTYPE_EDITABLE = ("name", "description", "position", "is_active")


def _check_code(code: str, *, pattern: str, example: str, field: str = "code") -> None:
    if not re.fullmatch(pattern, code or ""):
        raise ApplicationError.field(field, f"Code {code!r} is not valid; use the form {example}.")


@transaction.atomic
def label_create(*, project, code: str, name: str, kind: str = "other", **fields) -> Label:
    _check_code(code, pattern=r"[A-Z][A-Z0-9_]*", example="CLAIM or SOURCE_2")
    if kind not in LabelKind.values:
        raise ApplicationError.field(
            "kind", f"Unknown label kind {kind!r}; use one of {', '.join(LabelKind.values)}."
        )
    if Label.objects.filter(project=project, code=code).exists():
        raise ApplicationError.field("code", f"This project already has a label {code}.")
    shortcut = fields.get("shortcut") or ""
    if shortcut and Label.objects.filter(project=project, shortcut=shortcut).exists():
        raise ApplicationError.field("shortcut", f"Another label already uses the shortcut {shortcut!r}.")
    return Label.objects.create(project=project, code=code, name=name.strip() or code, kind=kind, **fields)


@transaction.atomic
def label_update(*, label, **changes) -> Label:
    if "code" in changes and changes["code"] != label.code:
        raise ApplicationError.field(
            "code", "Label codes cannot change once created; add a new label instead."
        )
    if "kind" in changes and changes["kind"] not in LabelKind.values:
        raise ApplicationError.field("kind", f"Unknown label kind {changes['kind']!r}.")
    shortcut = changes.get("shortcut")
    if (
        shortcut
        and Label.objects.filter(project_id=label.project_id, shortcut=shortcut).exclude(pk=label.pk).exists()
    ):
        raise ApplicationError.field("shortcut", f"Another label already uses the shortcut {shortcut!r}.")
    fields = [name for name in LABEL_EDITABLE if name in changes]
    for name in fields:
        setattr(label, name, changes[name])
    label.save(update_fields=fields or None)
    return label


@transaction.atomic
def subtype_create(*, label, code: str, name: str, **fields) -> LabelSubtype:
    _check_code(code, pattern=r"[a-z][a-z0-9_]*", example="statistic or vague_attribution")
    if LabelSubtype.objects.filter(label=label, code=code).exists():
        raise ApplicationError.field("code", f"Label {label.code} already has a subtype {code}.")
    return LabelSubtype.objects.create(label=label, code=code, name=name.strip() or code, **fields)


@transaction.atomic
def subtype_update(*, subtype, **changes) -> LabelSubtype:
    if "code" in changes and changes["code"] != subtype.code:
        raise ApplicationError.field(
            "code", "Subtype codes cannot change once created; add a new subtype instead."
        )
    fields = [name for name in SUBTYPE_EDITABLE if name in changes]
    for name in fields:
        setattr(subtype, name, changes[name])
    subtype.save(update_fields=fields or None)
    return subtype


def membership_deactivate(*, membership) -> None:
    """Members are deactivated, never deleted: their layers stay attributed to them."""
    membership.is_active = False
    membership.save(update_fields=["is_active"])
