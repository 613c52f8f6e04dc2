from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction

from annotator.core.errors import ApplicationError
from annotator.core.offsets import word_count
from annotator.documents.models import BoilerplateKind, Document
from annotator.documents.signals import documents_added_send
from annotator.projects.models import Project
from annotator.sources.models import Author, Source
from annotator.sources.services import author_get_or_create, source_get_or_create


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def boilerplate_regions_check(*, text: str, regions) -> list[dict]:
    """Validated regions, sorted, as {kind, start, end}; the error names the region and field."""
    if regions is None:
        return []
    if not isinstance(regions, list):
        raise ApplicationError.field("boilerplate", "boilerplate must be a list of regions.")
    length = len(text)
    checked = []
    for index, region in enumerate(regions):
        where = f"boilerplate[{index}]"
        if not isinstance(region, dict):
            raise ApplicationError.field(where, "A region is an object with kind, start and end.")
        kind, start, end = region.get("kind", BoilerplateKind.OTHER), region.get("start"), region.get("end")
        if kind not in BoilerplateKind.values:
            raise ApplicationError.field(
                f"{where}.kind", f"Unknown kind {kind!r}; use one of {', '.join(BoilerplateKind.values)}."
            )
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ApplicationError.field(
                    f"{where}.{name}", f"{name} must be a whole number of code points."
                )
        if start < 0 or end > length or start >= end:
            raise ApplicationError.field(
                f"{where}.end" if end > length else f"{where}.start",
                f"Region [{start}, {end}) must satisfy 0 <= start < end <= {length} (the text's length).",
            )
        checked.append({"kind": kind, "start": start, "end": end})
    checked.sort(key=lambda r: (r["start"], r["end"]))
    for before, after in zip(checked, checked[1:], strict=False):
        if after["start"] < before["end"]:
            raise ApplicationError.field(
                "boilerplate",
                f"Regions [{before['start']}, {before['end']}) and [{after['start']}, {after['end']}) overlap.",
            )
    return checked


def body_word_count(*, text: str, regions: list[dict]) -> int:
    """Words outside the regions (a region boundary separates words)."""
    pieces, position = [], 0
    for region in regions:
        pieces.append(text[position : region["start"]])
        position = region["end"]
    pieces.append(text[position:])
    return sum(word_count(piece) for piece in pieces)


@transaction.atomic
def document_boilerplate_set(*, document: Document, regions) -> Document:
    """Mark the document's boilerplate regions (replacing any), and recount its body words."""
    checked = boilerplate_regions_check(text=document.text, regions=regions)
    document.boilerplate = checked
    document.body_word_count = body_word_count(text=document.text, regions=checked)
    document.save(update_fields=["boilerplate", "body_word_count", "updated_at"])
    return document


def document_create(
    *,
    project: Project,
    text: str,
    title: str = "",
    url: str = "",
    published_on: date | None = None,
    outlet: Source | None = None,
    authors: list[Author] | None = None,
    language: str = "",
    provenance: dict | None = None,
    created_by=None,
    boilerplate: list[dict] | None = None,
) -> Document:
    """Store a document verbatim (with its boilerplate regions, if any). Refuses empty text
    and text already in the project."""
    if not isinstance(text, str) or text == "":
        raise ApplicationError.field("text", "The document text is empty.")
    if "\x00" in text:
        raise ApplicationError.field("text", "The document text contains a NUL character.")
    digest = content_hash(text)
    existing = Document.objects.filter(project=project, content_hash=digest).first()
    if existing is not None:
        raise ApplicationError.field("text", f"This project already has this text as document {existing.pk}.")
    regions = boilerplate_regions_check(text=text, regions=boilerplate)
    document = Document.objects.create(
        project=project,
        text=text,
        content_hash=digest,
        char_count=len(text),
        word_count=word_count(text),
        boilerplate=regions,
        body_word_count=body_word_count(text=text, regions=regions),
        title=title.strip(),
        url=url.strip(),
        published_on=published_on,
        source=outlet,
        language=language,
        provenance=provenance or {},
        created_by=created_by,
    )
    if authors:
        document.authors.set(authors)
    documents_added_send(project=project, document_ids=[document.pk], user=created_by)
    return document


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document with its spans, relations and assignments (cascade); each of those gets a
    history row saying it was deleted, so the review history shows what went."""
    document.delete()


@transaction.atomic
def document_metadata_update(
    *,
    document: Document,
    editor,
    title: str,
    outlet: str,
    authors: list[str],
    published_on: date | None,
    url: str = "",
) -> Document:
    """Correct a document's title, outlet, authors, date and address (never its text).

    Outlets and authors are matched by name (case-insensitive) or created; an empty outlet
    clears it. Every change is a new row in the document's history under ``editor``; the
    credibility scores of the outlets and authors involved are marked for recomputation by
    the signals that watch documents.
    """
    title = " ".join((title or "").split())
    if len(title) > 500:
        raise ApplicationError.field("title", f"The title is {len(title)} characters; at most 500.")
    url = (url or "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ApplicationError.field("url", "The address must start with http:// or https://.")
    names = [" ".join(a.split()) for a in authors if a and a.strip()]
    if len({n.lower() for n in names}) != len(names):
        raise ApplicationError.field("authors", "An author is listed twice.")
    locked = Document.objects.select_for_update().get(pk=document.pk)
    source = source_get_or_create(name=outlet) if outlet and outlet.strip() else None
    locked.title, locked.url, locked.published_on, locked.source = title, url, published_on, source
    locked._history_user = editor
    locked.save(update_fields=["title", "url", "published_on", "source", "updated_at"])
    wanted = [author_get_or_create(name=n) for n in names]
    if [a.pk for a in locked.authors.order_by("pk")] != sorted(a.pk for a in wanted):
        locked.authors.set(wanted)
    return locked
