"""Writes of outlets, authors and speakers: found by name (case-insensitive), created if missing."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from annotator.core.errors import ApplicationError
from annotator.sources.models import Author, Source, Speaker, SpeakerKind


def source_get_or_create(*, name: str, domain: str = "") -> Source:
    name = name.strip()
    if not name:
        raise ApplicationError.field("outlet", "An outlet needs a name.")
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source = Source.objects.create(name=name, domain=domain.strip().lower())
    elif domain and not source.domain:
        source.domain = domain.strip().lower()
        source.save(update_fields=["domain"])
    return source


def author_get_or_create(*, name: str) -> Author:
    name = " ".join(name.split())
    if not name:
        raise ApplicationError.field("authors", "An author needs a name.")
    author = Author.objects.filter(name__iexact=name).first()
    return author or Author.objects.create(name=name)


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
