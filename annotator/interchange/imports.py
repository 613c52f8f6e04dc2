"""Imports: parse uploaded files, validate every document, then write them in one transaction.

- Known texts: a text already in the project (same SHA-256) gets the file's
  layers added to the existing document ("matched"); spans and relations it
  already holds are not written twice ("merged"); layers that were submitted
  or approved are left as reviewed and their items reported ("refused"). A
  known text with no spans, or a text twice in the upload, is a "duplicate".
- ``mode="atomic"``: any rejected line or document means nothing is written.
  ``mode="skip"``: rejected ones are reported and the rest imported.
- Writes are bulk inserts (with history rows) in batches inside one
  transaction, so a database error midway also leaves nothing behind.
Spans from JSONL and doccano go to the layer of ``annotator`` (default: the
importing user); native layers go to the member with the layer's username,
else to the importing user.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError
from annotator.core.offsets import word_count
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.documents.models import Document
from annotator.documents.services import content_hash
from annotator.documents.signals import documents_added_on_commit
from annotator.interchange.bulk_sql import columns_upsert, reserve_ids, rows_copy, statistics_refresh
from annotator.interchange.importers import importer_get
from annotator.interchange.importers.base import ParsedDocument, Rejection, Taxonomy, decode_text, validate
from annotator.interchange.link_flags import is_rejected, link_flags
from annotator.projects.models import Label, LabelKind, LabelSubtype, Membership, Project
from annotator.projects.services import label_create, subtype_create
from annotator.propositions.interchange import propositions_import
from annotator.reviews.models import Assignment, AssignmentState
from annotator.sources.services import author_get_or_create, source_get_or_create, speaker_get_or_create

MODES = ("atomic", "skip")
BATCH = 500

Progress = Callable[[str, int, int], None]  # (phase, done, total)

# The columns the writer gives, in the order of its row tuples (bulk_sql.rows_copy).
DOCUMENT_COLUMNS = ("project_id", "text", "content_hash", "char_count", "word_count", "title", "url",
                    "published_on", "source_id", "language", "provenance", "created_by_id")  # fmt: skip
SPAN_COLUMNS = ("project_id", "document_id", "annotator_id", "layer", "start", "end", "quote", "label_id",
                "subtype_id", "note", "status", "status_reason")  # fmt: skip
LINK_FLAG_COLUMNS = ("support_depth", "is_supported", "is_attacked", "is_qualified")  # database-only
NO_FLAGS = (None, False, False, False)
RELATION_COLUMNS = ("project_id", "document_id", "annotator_id", "layer", "type", "source_id", "target_id",
                    "speaker_id", "note", "status", "status_reason")  # fmt: skip


@dataclass
class ParseResult:
    documents: list[ParsedDocument] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # Native files' propositions and provenance, applied after their spans are stored.
    propositions: list[dict] = field(default_factory=list)


def import_parse(*, files: list[tuple[str, bytes, str]], taxonomy: Taxonomy) -> ParseResult:
    """Parse and validate every file; file-level problems (not text, not JSON) raise a 400."""
    result = ParseResult()
    for filename, data, fmt in files:
        text = decode_text(data, filename)
        parse = importer_get(fmt).parse
        items = parse(text, filename=filename, taxonomy=taxonomy, extras=result.propositions)
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
        self.document_ids: list[int] = []
        self._create_declared_labels(taxonomy)
        labels = Label.objects.filter(project=project).values_list("code", "id", "kind")
        self.label_ids = {code: pk for code, pk, _ in labels}
        self.label_kinds = {pk: kind for _, pk, kind in labels}  # one query: the queryset caches its rows
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
        self.existing = dict(Document.objects.filter(project=project).values_list("content_hash", "id"))
        self.seen: set[str] = set()
        self.sources, self.authors, self.speakers = {}, {}, {}
        self.counts = {"documents": 0, "duplicates": 0, "matched": 0, "annotations": 0, "relations": 0,
                       "merged": 0, "refused": 0}  # fmt: skip
        self.refusals: list[dict] = []
        self.stored: dict = {}  # native span id in the file -> stored span id

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

    def _assignments_write(self, assignments: dict) -> None:
        """The layers' assignments, {(document, annotator): (state, reason)}; existing ones are kept."""
        now = timezone.now()
        keys = sorted(assignments)
        states = [assignments[key][0] for key in keys]
        columns_upsert(Assignment, {
            "project_id": [self.project.pk] * len(keys), "document_id": [d for d, _ in keys],
            "annotator_id": [a for _, a in keys], "state": states, "reason": [assignments[key][1] for key in keys],
            "assigned_by_id": [self.user.pk] * len(keys),
            "submitted_at": [now if state in (AssignmentState.SUBMITTED, AssignmentState.APPROVED) else None
                             for state in states],
        })  # fmt: skip

    def write_batch(self, batch: list[ParsedDocument]) -> None:
        """New texts become documents; a text already in the project gets the file's layers added
        (matched by content hash), or is a duplicate when the file brings no spans for it."""
        fresh, known = [], []
        for parsed in batch:
            digest = content_hash(parsed.text)
            if digest in self.seen:
                self.counts["duplicates"] += 1
                continue
            self.seen.add(digest)
            if digest in self.existing:
                if any(layer.spans for layer in parsed.layers):
                    known.append((self.existing[digest], parsed))
                else:
                    self.counts["duplicates"] += 1
                continue
            fresh.append((parsed, digest))
        document_ids = reserve_ids(Document, len(fresh))
        sources = [self._source_id(parsed) for parsed, _ in fresh]  # queries: not while COPY runs
        rows_copy(Document, DOCUMENT_COLUMNS, (
            (self.project.pk, parsed.text, digest, len(parsed.text), word_count(parsed.text), parsed.title,
             parsed.url, parsed.published_on, source, parsed.language, json.dumps(parsed.provenance),
             self.user.pk)
            for (parsed, digest), source in zip(fresh, sources, strict=True)
        ), ids=document_ids, user=self.user)  # fmt: skip
        statistics_refresh(Document, added=len(self.document_ids) + len(document_ids))
        Through = Document.authors.through
        Through.objects.bulk_create(
            [
                Through(document_id=document_id, author_id=author_id)
                for document_id, (parsed, _) in zip(document_ids, fresh, strict=True)
                for author_id in self._author_ids(parsed.authors)
            ]
        )
        self.counts["documents"] += len(document_ids)
        self.document_ids.extend(document_ids)
        self.counts["matched"] += len(known)
        self._write_layers(
            [*document_ids, *(d for d, _ in known)],
            [*(parsed for parsed, _ in fresh), *(parsed for _, parsed in known)],
            existing={d for d, _ in known},
        )

    def _stored(self, existing: set[int]):
        """What the matched documents hold already: spans and relations by content, reviewed layers."""
        spans = {
            (d, a, layer, start, end, label): pk
            for pk, d, a, layer, start, end, label in Annotation.objects.filter(document_id__in=existing).values_list(
                "id", "document_id", "annotator_id", "layer", "start", "end", "label_id")
        }  # fmt: skip
        links = set(
            Relation.objects.filter(document_id__in=existing).values_list(
                "source_id", "target_id", "speaker_id", "type"
            )
        )
        reviewed = set(
            Assignment.objects.filter(
                document_id__in=existing, state__in=[AssignmentState.SUBMITTED, AssignmentState.APPROVED]
            ).values_list("document_id", "annotator_id")
        )
        return spans, links, reviewed

    def _write_layers(
        self, document_ids: list[int], parsed_documents: list[ParsedDocument], *, existing=()
    ) -> None:
        stored_spans, stored_links, reviewed = self._stored(set(existing)) if existing else ({}, set(), set())
        project = self.project.pk
        spans, span_keys, refs, pending_relations, assignments = [], {}, {}, [], {}
        origins = []  # (span index, (document_id, origin ref)): gold spans taken from another span
        for document_id, parsed in zip(document_ids, parsed_documents, strict=True):
            for layer_index, layer in enumerate(parsed.layers):
                owner = self._layer_owner(layer.annotator)
                if layer.layer == Layer.ANNOTATOR and (document_id, owner) in reviewed:
                    self.counts["refused"] += len(layer.spans) + len(layer.relations)
                    self.refusals.append({
                        "file": "", "where": f"{parsed.where}.layers[{layer_index}]",
                        "message": "this annotator's layer of the existing document is submitted or approved; "
                                   "a reviewed layer is not changed by an import",
                    })  # fmt: skip
                    continue
                if layer.layer == Layer.ANNOTATOR and (
                    layer.state or (document_id, owner) not in assignments
                ):
                    assignments[(document_id, owner)] = (
                        layer.state or AssignmentState.IN_PROGRESS,
                        layer.reason,
                    )
                for span in layer.spans:
                    key = (document_id, owner, layer.layer, span.start, span.end, span.label)
                    stored = stored_spans.get((*key[:5], self.label_ids[span.label]))
                    if stored is not None:
                        if key not in span_keys:
                            self.counts["merged"] += 1
                            span_keys[key] = ("stored", stored)
                    elif key not in span_keys:  # two file layers may land in one stored layer
                        span_keys[key] = len(spans)
                        spans.append((
                            project, document_id, owner, layer.layer, span.start, span.end,
                            parsed.text[span.start : span.end], self.label_ids[span.label],
                            self.subtype_ids.get((span.label, span.subtype)) if span.subtype else None,
                            span.note, span.status, span.status_reason,
                        ))  # fmt: skip
                        if span.origin is not None:
                            origins.append((span_keys[key], (document_id, span.origin)))
                    refs[(document_id, layer_index, span.ref)] = span_keys[key]
                    refs.setdefault((document_id, None, span.ref), span_keys[key])
                for relation in layer.relations:
                    pending_relations.append((document_id, layer_index, owner, layer.layer, relation))
        self._assignments_write(assignments)
        span_ids = reserve_ids(Annotation, len(spans))

        def span_id(slot) -> int:
            return slot[1] if isinstance(slot, tuple) else span_ids[slot]

        for (_, _, ref), slot in refs.items():
            self.stored[ref] = span_id(slot)
        links, seen, relation_refs, relation_origins = [], set(), {}, []
        new_links = []  # (source index, target index, type, rejected) among this batch's new spans
        for document_id, layer_index, owner, layer, relation in pending_relations:
            source_slot = refs[(document_id, layer_index, relation.source)]
            target_slot = (
                refs[(document_id, layer_index, relation.target)] if relation.target is not None else None
            )
            source, target = span_id(source_slot), span_id(target_slot) if target_slot is not None else None
            speaker_id = None
            if relation.type == "attributed_to":
                speaker_id, target, target_slot = self._speaker_id(relation.speaker), None, None
            key = (source, target, speaker_id, relation.type)
            if key in stored_links:
                self.counts["merged"] += 1
                continue
            if key in seen:
                continue
            seen.add(key)
            if relation.ref is not None:
                relation_refs[(document_id, relation.ref)] = len(links)
            if relation.origin is not None:
                relation_origins.append((len(links), (document_id, relation.origin)))
            if isinstance(source_slot, int) and isinstance(target_slot, int):
                new_links.append((source_slot, target_slot, relation.type, is_rejected(relation.status)))
            links.append((
                project, document_id, owner, layer, relation.type, source, target, speaker_id,
                relation.note, relation.status, relation.status_reason,
            ))  # fmt: skip
        flags = link_flags(
            [self.label_kinds[row[7]] for row in spans], [is_rejected(row[10]) for row in spans], new_links
        )
        rows_copy(Annotation, SPAN_COLUMNS,
                  (row + flags.get(index, NO_FLAGS) for index, row in enumerate(spans)),
                  ids=span_ids, user=self.user, extra=LINK_FLAG_COLUMNS)  # fmt: skip
        link_ids = reserve_ids(Relation, len(links))
        rows_copy(Relation, RELATION_COLUMNS, links, ids=link_ids, user=self.user)
        span_refs = {
            (d, ref): index for (d, layer_index, ref), index in refs.items()
            if layer_index is None and not isinstance(index, tuple)
        }  # fmt: skip
        _origins_set(Annotation, span_ids, origins, span_refs)
        _origins_set(Relation, link_ids, relation_origins, relation_refs)
        self.counts["annotations"] += len(spans)
        self.counts["relations"] += len(links)


def _origins_set(model, ids: list[int], origins: list[tuple[int, tuple]], by_ref: dict) -> None:
    """Point gold rows at the rows they were taken from, when those are in the same file."""
    rows = [model(pk=ids[index], origin_id=ids[by_ref[ref]]) for index, ref in origins if ref in by_ref]
    model.objects.bulk_update(rows, ["origin_id"], batch_size=BATCH)


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
    return import_write(
        project=project, user=user, parsed=parsed, taxonomy=taxonomy, mode=mode, annotator=annotator,
        progress=progress,
    )  # fmt: skip


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
        for native in parsed.propositions:
            for key, value in propositions_import(
                project=project, user=user, data=native, stored=writer.stored
            ).items():
                writer.counts[key] = writer.counts.get(key, 0) + value
        if writer.counts["documents"] or writer.counts["annotations"]:
            transaction.on_commit(lambda: _scores_mark_dirty(project.pk))
        documents_added_on_commit(project_id=project.pk, document_ids=writer.document_ids, user=user)
    counts = {**writer.counts, "rejected": len(parsed.rejections)}
    return counts, [r.as_dict() for r in parsed.rejections] + writer.refusals


def import_transaction_settings() -> None:
    """Commit the import's transaction without waiting for its WAL to reach the disk, and
    plan its statements without JIT.

    Bulk statements over thousands of ids have estimated costs past jit_above_cost, and
    compiling them (up to a second each on a busy host) took longer than running them.

    Safe for durability as used here: the job's state (or, inline, the job row) is committed
    afterwards by an ordinary synchronous commit, which flushes the WAL up to and including
    this transaction, so a crash can never leave a succeeded job without its documents; it can
    only lose an import whose job then shows as still running or not recorded at all
    (docs/performance.md).
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL jit = off")


def _scores_mark_dirty(project_id: int) -> None:
    """Bulk inserts send no post_save signals: tell source scores the project changed."""
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
