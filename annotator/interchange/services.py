"""Writes shared by the importers and the API: speakers found or created by name."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from annotator.core.errors import ApplicationError
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
