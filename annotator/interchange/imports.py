"""Imports: parse uploaded files, validate every document, then write them in one transaction.

- Deduplication: a text already in the project (same SHA-256), or twice in
  the upload, is skipped and counted as a duplicate, not an error.
- ``mode="atomic"``: any rejected line or document means nothing is written.
  ``mode="skip"``: rejected ones are reported and the rest imported.
- Writes are bulk inserts (with history rows) in batches inside one
  transaction, so a database error midway also leaves nothing behind.
Spans from JSONL and doccano go to the layer of ``annotator`` (default: the
importing user); native layers go to the member with the layer's username,
else to the importing user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError
from annotator.core.offsets import word_count
from annotator.documents.models import Document
from annotator.documents.services import author_get_or_create, content_hash, source_get_or_create
from annotator.interchange.bulk_sql import rows_insert
from annotator.interchange.importers.base import ParsedDocument, Rejection, Taxonomy, decode_text, validate
from annotator.interchange.importers.jsonl import parse_jsonl
from annotator.interchange.importers.native import NativeFileError, parse_native, read_native
from annotator.interchange.importers.txt import parse_txt
from annotator.interchange.services import label_create, speaker_get_or_create, subtype_create
from annotator.projects.models import Label, LabelKind, LabelSubtype, Membership, Project
from annotator.reviews.models import Assignment, AssignmentState

FORMATS = ("txt", "jsonl", "doccano", "native")
MODES = ("atomic", "skip")
BATCH = 500

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class ParseResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def import_format_for(filename: str, requested: str | None) -> str:
    if requested:
        if requested not in FORMATS:
            raise ApplicationError.field(
                "format", f"Unknown import format {requested!r}; use one of {', '.join(FORMATS)}."
            )
        return requested
    suffix = PurePath(filename).suffix.lower()
    guessed = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "native"}.get(suffix)
    if guessed is None:
        raise ApplicationError.field(
            "format",
            f"Cannot tell the format of {filename!r} from its name; say format=txt, jsonl, doccano or native.",
        )
    return guessed


def import_parse(*, files: list[tuple[str, bytes, str]], taxonomy: Taxonomy) -> ParseResult:
    """Parse and validate every file; file-level problems (not text, not JSON) raise a 400."""
    result = ParseResult()
    for filename, data, fmt in files:
        text = decode_text(data, filename)
        if fmt == "txt":
            items = parse_txt(text, filename=filename)
        elif fmt == "native":
            try:
                native = read_native(text)
            except NativeFileError as exc:
                raise ApplicationError.field("file", f"{filename}: {exc}") from None
            taxonomy.declare(native.get("labels"))
            items = parse_native(native)
        else:
            items = parse_jsonl(text, doccano=True if fmt == "doccano" else None)
        for item in items:
            if isinstance(item, Rejection):
                item.file = filename
                result.rejections.append(item)
                continue
            problem = validate(item, taxonomy)
            if problem:
                result.rejections.append(Rejection(item.where, problem, file=filename))
            else:
                result.documents.append(item)
    return result


def rejections_error(rejections: list[Rejection]) -> ApplicationError:
    errors: dict[str, list[str]] = {}
    for rejection in rejections:
        errors.setdefault(rejection.key, []).append(rejection.message)
    first = rejections[0]
    return ApplicationError(
        f"{len(rejections)} rejected ({first.key}: {first.message}); nothing was imported.", errors=errors
    )


class _Writer:
    """Bulk inserts for one import, with small caches for outlets, authors and speakers."""

    def __init__(self, *, project: Project, user, annotator, taxonomy: Taxonomy):
        self.project, self.user, self.annotator = project, user, annotator
        self._create_declared_labels(taxonomy)
        self.label_ids = dict(Label.objects.filter(project=project).values_list("code", "id"))
        self.subtype_ids = {
            (label, code): pk
            for pk, label, code in LabelSubtype.objects.filter(label__project=project).values_list(
                "id", "label__code", "code"
            )
        }
        self.members = dict(
            Membership.objects.filter(project=project, is_active=True).values_list(
                "user__username", "user_id"
            )
        )
        self.hashes = set(Document.objects.filter(project=project).values_list("content_hash", flat=True))
        self.sources, self.authors, self.speakers = {}, {}, {}
        self.counts = {"documents": 0, "duplicates": 0, "annotations": 0, "relations": 0}

    def _create_declared_labels(self, taxonomy: Taxonomy) -> None:
        for spec in taxonomy.declared:
            if spec["new"]:
                kind = spec.get("kind") if spec.get("kind") in LabelKind.values else LabelKind.OTHER
                label = label_create(
                    project=self.project,
                    code=spec["code"],
                    name=str(spec.get("name") or spec["code"]),
                    kind=kind,
                )
            else:
                label = Label.objects.get(project=self.project, code=spec["code"])
            for sub in spec["subtypes"]:
                subtype_create(label=label, code=sub["code"], name=str(sub.get("name") or sub["code"]))

    def _source_id(self, document: ParsedDocument) -> int | None:
        if not document.outlet:
            return None
        key = document.outlet.lower()
        if key not in self.sources:
            self.sources[key] = source_get_or_create(name=document.outlet, domain=document.outlet_domain).pk
        return self.sources[key]

    def _author_ids(self, names: list[str]) -> list[int]:
        ids = []
        for name in names:
            if name.lower() not in self.authors:
                self.authors[name.lower()] = author_get_or_create(name=name).pk
            ids.append(self.authors[name.lower()])
        return list(dict.fromkeys(ids))

    def _speaker_id(self, speaker: tuple[str, str]) -> int:
        key = (speaker[0].lower(), speaker[1])
        if key not in self.speakers:
            self.speakers[key] = speaker_get_or_create(name=speaker[0], kind=speaker[1])[0].pk
        return self.speakers[key]

    def _layer_owner(self, username: str | None) -> int:
        if username and username in self.members:
            return self.members[username]
        return self.annotator.pk

    def write_batch(self, batch: list[ParsedDocument]) -> None:
        fresh = []
        for parsed in batch:
            digest = content_hash(parsed.text)
            if digest in self.hashes:
                self.counts["duplicates"] += 1
                continue
            self.hashes.add(digest)
            fresh.append((parsed, digest))
        rows = [
            {
                "project_id": self.project.pk,
                "text": parsed.text,
                "content_hash": digest,
                "char_count": len(parsed.text),
                "word_count": word_count(parsed.text),
                "title": parsed.title,
                "url": parsed.url,
                "published_on": parsed.published_on,
                "source_id": self._source_id(parsed),
                "language": parsed.language,
                "provenance": parsed.provenance,
                "created_by_id": self.user.pk,
            }  # fmt: skip
            for parsed, digest in fresh
        ]
        document_ids = rows_insert(Document, rows, user=self.user)
        Through = Document.authors.through
        Through.objects.bulk_create(
            [
                Through(document_id=document_id, author_id=author_id)
                for document_id, (parsed, _) in zip(document_ids, fresh, strict=True)
                for author_id in self._author_ids(parsed.authors)
            ]
        )
        self.counts["documents"] += len(document_ids)
        self._write_layers(document_ids, [parsed for parsed, _ in fresh])

    def _write_layers(self, document_ids: list[int], parsed_documents: list[ParsedDocument]) -> None:
        spans, span_keys, refs, pending_relations, assignments = [], {}, {}, [], set()
        for document_id, parsed in zip(document_ids, parsed_documents, strict=True):
            for layer_index, layer in enumerate(parsed.layers):
                owner = self._layer_owner(layer.annotator)
                if layer.layer == Layer.ANNOTATOR:
                    assignments.add((document_id, owner))
                for span in layer.spans:
                    key = (document_id, owner, layer.layer, span.start, span.end, span.label)
                    if key not in span_keys:  # two file layers may land in one stored layer
                        span_keys[key] = len(spans)
                        spans.append({
                            "project_id": self.project.pk, "document_id": document_id, "annotator_id": owner,
                            "layer": layer.layer, "start": span.start, "end": span.end,
                            "quote": parsed.text[span.start : span.end], "label_id": self.label_ids[span.label],
                            "subtype_id": self.subtype_ids.get((span.label, span.subtype)) if span.subtype else None,
                            "note": span.note, "status": span.status,
                        })  # fmt: skip
                    refs[(document_id, layer_index, span.ref)] = span_keys[key]
                for relation in layer.relations:
                    pending_relations.append((document_id, layer_index, relation))
        Assignment.objects.bulk_create(
            [
                Assignment(
                    project_id=self.project.pk,
                    document_id=d,
                    annotator_id=a,
                    state=AssignmentState.IN_PROGRESS,
                    assigned_by=self.user,
                )
                for d, a in sorted(assignments)
            ],  # fmt: skip
            ignore_conflicts=True,
        )
        span_ids = rows_insert(Annotation, spans, user=self.user)
        links, seen = [], set()
        for document_id, layer_index, relation in pending_relations:
            source = refs[(document_id, layer_index, relation.source)]
            target = (
                refs[(document_id, layer_index, relation.target)] if relation.target is not None else None
            )
            speaker_id = None
            if relation.type == "attributed_to":
                speaker_id, target = self._speaker_id(relation.speaker), None
            key = (source, target, speaker_id, relation.type)
            if key in seen:
                continue
            seen.add(key)
            links.append({
                "project_id": self.project.pk, "document_id": document_id, "annotator_id": spans[source]["annotator_id"],
                "layer": spans[source]["layer"], "type": relation.type, "source_id": span_ids[source],
                "target_id": span_ids[target] if target is not None else None, "speaker_id": speaker_id,
                "note": relation.note, "status": relation.status,
            })  # fmt: skip
        rows_insert(Relation, links, user=self.user)
        self.counts["annotations"] += len(spans)
        self.counts["relations"] += len(links)


# pg_advisory_xact_lock(class, project id): imports of one project write one after another.
IMPORT_LOCK_CLASS = 0x5C10


def import_documents(
    *, project: Project, user, files: list[tuple[str, bytes, str]], mode: str = "atomic", annotator=None,
    progress: Progress | None = None,
) -> tuple[dict, list[dict]]:  # fmt: skip
    """Import the files into the project; (counts, rejections). Atomic mode raises on any rejection."""
    if mode not in MODES:
        raise ApplicationError.field(
            "mode", f"Unknown mode {mode!r}; use atomic (all or nothing) or skip (skip bad lines)."
        )
    annotator = annotator or user
    if not Membership.objects.filter(project=project, user=annotator, is_active=True).exists():
        raise ApplicationError.field(
            "annotator", f"{annotator.get_username()} is not a member of this project."
        )
    taxonomy = Taxonomy(project)
    parsed = import_parse(files=files, taxonomy=taxonomy)
    if parsed.rejections and mode == "atomic":
        raise rejections_error(parsed.rejections)
    total = len(parsed.documents)
    if progress:
        progress("parsed", 0, total)
    with transaction.atomic():
        # One import per project at a time: a second upload of the same file waits, then
        # finds the first one's documents and skips them as duplicates (instead of failing
        # on the unique text constraint). The writer reads the existing texts after the lock.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_CLASS, project.pk])
        writer = _Writer(project=project, user=user, annotator=annotator, taxonomy=taxonomy)
        for start in range(0, total, BATCH):
            writer.write_batch(parsed.documents[start : start + BATCH])
            if progress:
                progress("writing", min(total, start + BATCH), total)
        if writer.counts["documents"]:
            transaction.on_commit(lambda: _scores_mark_dirty(project.pk))
    counts = {**writer.counts, "rejected": len(parsed.rejections)}
    return counts, [r.as_dict() for r in parsed.rejections]


def _scores_mark_dirty(project_id: int) -> None:
    """Bulk inserts send no post_save signals: tell source scores the project changed."""
    from annotator.credibility.services import scores_mark_dirty

    scores_mark_dirty(project_id=project_id, whole_project=True)


def user_for_annotator(*, project: Project, user_id: int | None):
    if user_id is None:
        return None
    user = (
        get_user_model()
        .objects.filter(pk=user_id, memberships__project=project, memberships__is_active=True)
        .first()
    )
    if user is None:
        raise ApplicationError.field("annotator", f"User {user_id} is not a member of this project.")
    return user
