"""Import, step two: the bulk writer of parsed documents, layers, spans and relations.

Rows are built as plain tuples straight from the parsed documents and written by COPY
(bulk_sql.rows_copy) with their history rows; link flags of the new spans are computed
before the insert (link_flags.py). Known texts (same SHA-256) get the file's layers added;
spans and relations already stored are not written twice ("merged"); reviewed layers are
left alone ("refused"). Call inside the import's transaction (imports.import_write).
"""

from __future__ import annotations

import json

from django.utils import timezone

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.offsets import word_count
from annotator.documents.models import Document
from annotator.documents.services import content_hash
from annotator.interchange.bulk_sql import (
    columns_upsert,
    relation_flags_precomputed,
    reserve_ids,
    rows_copy,
    span_triggers_batched,
    spans_check,
    statistics_refresh,
)
from annotator.interchange.importers.base import ParsedDocument, Taxonomy
from annotator.interchange.link_flags import is_rejected, link_flags
from annotator.projects.models import Label, LabelKind, LabelSubtype, Membership, Project
from annotator.projects.services import label_create, subtype_create
from annotator.reviews.models import Assignment, AssignmentState
from annotator.sources.services import author_get_or_create, source_get_or_create, speaker_get_or_create

BATCH = 500

# The columns the writer gives, in the order of its row tuples (bulk_sql.rows_copy).
DOCUMENT_COLUMNS = ("project_id", "text", "content_hash", "char_count", "word_count", "title", "url",
                    "published_on", "source_id", "language", "provenance", "created_by_id")  # fmt: skip
SPAN_COLUMNS = ("project_id", "document_id", "annotator_id", "layer", "start", "end", "quote", "label_id",
                "subtype_id", "note", "status", "status_reason")  # fmt: skip
LINK_FLAG_COLUMNS = ("support_depth", "is_supported", "is_attacked", "is_qualified")  # database-only
NO_FLAGS = (None, False, False, False)
RELATION_COLUMNS = ("project_id", "document_id", "annotator_id", "layer", "type", "source_id", "target_id",
                    "speaker_id", "note", "status", "status_reason")  # fmt: skip


class ImportWriter:
    """Bulk inserts for one import, with small caches for outlets, authors and speakers.

    The caller holds the project's flag lock shared (``link_flags.flag_lock_shared``) before the
    writer reads the label kinds: see ``bulk_sql.relation_flags_precomputed``."""

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
        if spans:  # plain texts: no round trips for the settings
            with span_triggers_batched(new_documents=not existing):
                rows_copy(Annotation, SPAN_COLUMNS,
                          (row + flags.get(index, NO_FLAGS) for index, row in enumerate(spans)),
                          ids=span_ids, user=self.user, extra=LINK_FLAG_COLUMNS)  # fmt: skip
            spans_check(span_ids)
        link_ids = reserve_ids(Relation, len(links))
        if existing:  # links may reach stored spans: the trigger refreshes their targets
            rows_copy(Relation, RELATION_COLUMNS, links, ids=link_ids, user=self.user)
        elif links:
            with relation_flags_precomputed():
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
