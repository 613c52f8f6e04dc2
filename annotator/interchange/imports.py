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

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError
from annotator.core.offsets import word_count
from annotator.documents.models import Document
from annotator.documents.services import author_get_or_create, content_hash, source_get_or_create
from annotator.interchange.bulk_sql import columns_copy, columns_upsert, reserve_ids
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


def _parse_items(
    *, files: list[tuple[str, bytes, str]], taxonomy: Taxonomy
) -> Iterator[ParsedDocument | Rejection]:
    """Every document (validated) or rejection of the files, in order; file-level problems raise a 400."""
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
                yield item
                continue
            problem = validate(item, taxonomy)
            yield Rejection(item.where, problem, file=filename) if problem else item


def import_parse(*, files: list[tuple[str, bytes, str]], taxonomy: Taxonomy) -> ParseResult:
    """Parse and validate every file; file-level problems (not text, not JSON) raise a 400."""
    result = ParseResult()
    for item in _parse_items(files=files, taxonomy=taxonomy):
        (result.rejections if isinstance(item, Rejection) else result.documents).append(item)
    return result


class _ParseAhead:
    """Parse in a thread, BATCH documents ahead of the writer.

    The writer spends most of its time waiting for PostgreSQL (COPY, triggers), with the GIL
    released, so parsing the next batch meanwhile takes it off the import's critical path.
    Iterating yields lists of documents and rejections as they come; a parse error (a 400)
    is raised in the caller; close() stops the thread if the writer gives up early.
    """

    _END = object()

    def __init__(self, *, files, taxonomy: Taxonomy):
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(files, taxonomy), daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, files, taxonomy) -> None:
        try:
            batch = []
            for item in _parse_items(files=files, taxonomy=taxonomy):
                if isinstance(item, Rejection):
                    if not self._put(item):
                        return
                    continue
                batch.append(item)
                if len(batch) == BATCH:
                    if not self._put(batch):
                        return
                    batch = []
            if batch and not self._put(batch):
                return
            self._put(self._END)
        except BaseException as exc:  # noqa: BLE001 - handed to the writer's thread
            self._put(exc)

    def __iter__(self):
        while True:
            item = self._queue.get()
            if item is self._END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


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
        self.hashes: set[str] = set()  # texts of this upload, and stored ones met in it
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
        hashed = [(parsed, content_hash(parsed.text)) for parsed in batch]
        # Only this batch's texts are looked up (by the unique index), not every text of the project.
        self.hashes.update(
            Document.objects.filter(
                project=self.project, content_hash__in=[d for _, d in hashed]
            ).values_list("content_hash", flat=True)
        )
        fresh, digests = [], []
        for parsed, digest in hashed:
            if digest in self.hashes:
                self.counts["duplicates"] += 1
                continue
            self.hashes.add(digest)
            fresh.append(parsed)
            digests.append(digest)
        if not fresh:
            return
        document_ids = reserve_ids(Document, len(fresh))
        texts = [parsed.text for parsed in fresh]
        columns_copy(Document, {
            "id": document_ids, "project_id": [self.project.pk] * len(fresh), "text": texts,
            "content_hash": digests, "char_count": [len(t) for t in texts], "word_count": [word_count(t) for t in texts],
            "title": [p.title for p in fresh], "url": [p.url for p in fresh],
            "published_on": [p.published_on for p in fresh], "source_id": [self._source_id(p) for p in fresh],
            "language": [p.language for p in fresh], "provenance": [p.provenance for p in fresh],
            "created_by_id": [self.user.pk] * len(fresh),
        }, user=self.user)  # fmt: skip
        pairs = [
            (document_id, author_id)
            for document_id, parsed in zip(document_ids, fresh, strict=True)
            if parsed.authors
            for author_id in self._author_ids(parsed.authors)
        ]
        if pairs:
            documents, authors = zip(*pairs, strict=True)
            columns_copy(
                Document.authors.through, {"document_id": list(documents), "author_id": list(authors)}
            )
        self.counts["documents"] += len(document_ids)
        self._write_layers(document_ids, fresh)

    def _write_layers(self, document_ids: list[int], parsed_documents: list[ParsedDocument]) -> None:
        # One tuple per stored span: (document id, owner, layer, span, text); columns are built
        # from these lists in one pass each.
        spans, span_keys, refs, pending_relations, assignments = [], {}, {}, [], set()
        for document_id, parsed in zip(document_ids, parsed_documents, strict=True):
            for layer_index, layer in enumerate(parsed.layers):
                owner = self._layer_owner(layer.annotator)
                if layer.layer == Layer.ANNOTATOR:
                    assignments.add((document_id, owner))
                for span in layer.spans:
                    key = (document_id, owner, layer.layer, span.start, span.end, span.label)
                    index = span_keys.get(key)
                    if index is None:  # two file layers may land in one stored layer
                        index = span_keys[key] = len(spans)
                        spans.append((document_id, owner, layer.layer, span, parsed.text))
                    refs[(document_id, layer_index, span.ref)] = index
                for relation in layer.relations:
                    pending_relations.append((document_id, layer_index, relation))
        if assignments:
            ordered = sorted(assignments)
            columns_upsert(Assignment, {
                "project_id": [self.project.pk] * len(ordered), "document_id": [d for d, _ in ordered],
                "annotator_id": [a for _, a in ordered], "state": [AssignmentState.IN_PROGRESS] * len(ordered),
                "assigned_by_id": [self.user.pk] * len(ordered),
            })  # fmt: skip
        span_ids = reserve_ids(Annotation, len(spans))
        label_ids, subtype_ids = self.label_ids, self.subtype_ids
        columns_copy(Annotation, {
            "id": span_ids, "project_id": [self.project.pk] * len(spans), "document_id": [s[0] for s in spans],
            "annotator_id": [s[1] for s in spans], "layer": [s[2] for s in spans],
            "start": [s[3].start for s in spans], "end": [s[3].end for s in spans],
            "quote": [s[4][s[3].start : s[3].end] for s in spans], "label_id": [label_ids[s[3].label] for s in spans],
            "subtype_id": [subtype_ids.get((s[3].label, s[3].subtype)) if s[3].subtype else None for s in spans],
            "note": [s[3].note for s in spans], "status": [s[3].status for s in spans],
        }, user=self.user)  # fmt: skip
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
            links.append((document_id, spans[source], relation, span_ids[source],
                          span_ids[target] if target is not None else None, speaker_id))  # fmt: skip
        columns_copy(Relation, {
            "id": reserve_ids(Relation, len(links)), "project_id": [self.project.pk] * len(links), "document_id": [r[0] for r in links],
            "annotator_id": [r[1][1] for r in links], "layer": [r[1][2] for r in links],
            "type": [r[2].type for r in links], "source_id": [r[3] for r in links], "target_id": [r[4] for r in links],
            "speaker_id": [r[5] for r in links], "note": [r[2].note for r in links], "status": [r[2].status for r in links],
        }, user=self.user)  # fmt: skip
        self.counts["annotations"] += len(spans)
        self.counts["relations"] += len(links)


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
    if any(fmt == "native" for _, _, fmt in files):
        # Native files declare labels as they are read, and the writer creates them first.
        parsed = import_parse(files=files, taxonomy=taxonomy)
        return import_write(
            project=project, user=user, parsed=parsed, taxonomy=taxonomy, mode=mode, annotator=annotator,
            progress=progress,
        )  # fmt: skip
    return _import_streamed(
        project=project, user=user, files=files, taxonomy=taxonomy, mode=mode, annotator=annotator,
        progress=progress,
    )  # fmt: skip


def _import_streamed(*, project, user, files, taxonomy, mode, annotator, progress) -> tuple[dict, list[dict]]:
    """import_write with parsing overlapped (_ParseAhead). Same result and errors: in atomic
    mode the first rejection stops the writing, the rest of the files is still read so the
    error lists every rejection, and the transaction is rolled back."""
    # Progress counts lines (a document each in JSONL), known before parsing ends.
    total = sum(data.count(b"\n") + 1 if fmt != "txt" else 1 for _, data, fmt in files)
    if progress:
        progress("parsed", 0, total)
    rejections: list[Rejection] = []
    ahead = _ParseAhead(files=files, taxonomy=taxonomy)
    try:
        with transaction.atomic():
            import_transaction_settings()
            writer = _Writer(project=project, user=user, annotator=annotator, taxonomy=taxonomy)
            done = 0
            for item in ahead:
                if isinstance(item, Rejection):
                    rejections.append(item)
                    continue
                if rejections and mode == "atomic":
                    continue  # nothing more is written; read on to report every rejection
                writer.write_batch(item)
                done += len(item)
                if progress:
                    progress("writing", min(total, done), total)
            if rejections and mode == "atomic":
                raise rejections_error(rejections)
            if writer.counts["documents"]:
                transaction.on_commit(lambda: _scores_mark_dirty(project.pk))
    finally:
        ahead.close()
    counts = {**writer.counts, "rejected": len(rejections)}
    return counts, [r.as_dict() for r in rejections]


def import_write(
    *, project: Project, user, parsed: ParseResult, taxonomy: Taxonomy, mode: str, annotator,
    progress: Progress | None = None,
) -> tuple[dict, list[dict]]:  # fmt: skip
    """Write documents already parsed and validated by import_parse (with its ``taxonomy``)."""
    if parsed.rejections and mode == "atomic":
        raise rejections_error(parsed.rejections)
    total = len(parsed.documents)
    if progress:
        progress("parsed", 0, total)
    with transaction.atomic():
        import_transaction_settings()
        writer = _Writer(project=project, user=user, annotator=annotator, taxonomy=taxonomy)
        for start in range(0, total, BATCH):
            writer.write_batch(parsed.documents[start : start + BATCH])
            if progress:
                progress("writing", min(total, start + BATCH), total)
        if writer.counts["documents"]:
            transaction.on_commit(lambda: _scores_mark_dirty(project.pk))
    counts = {**writer.counts, "rejected": len(parsed.rejections)}
    return counts, [r.as_dict() for r in parsed.rejections]


def import_transaction_settings() -> None:
    """Commit the import's transaction without waiting for its WAL to reach the disk, and
    plan its statements without JIT.

    Bulk statements over thousands of ids have estimated costs past jit_above_cost, and
    compiling them (up to a second each on a busy host) took longer than running them.

    An import's one commit waited 0.3-2.4 s for the flush on this host. Safe for durability as
    used here: the job's state (or, inline, the job row) is committed afterwards by an ordinary
    synchronous commit, which flushes the WAL up to and including this transaction, so a crash
    can never leave a succeeded job without its documents; it can only lose an import whose job
    then shows as still running or not recorded at all (docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL jit = off")


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
