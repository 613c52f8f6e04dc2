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

from annotator.annotations.models import Annotation, Layer, Relation, RelationType
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
from annotator.interchange.import_rows import LayerRows
from annotator.interchange.importers.base import ParsedDocument, Taxonomy
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
        digests = [content_hash(parsed.text) for parsed in batch]
        existing = _stored_hashes(self.project.pk, set(digests) - self.seen)
        for parsed, digest in zip(batch, digests, strict=True):
            if digest in self.seen:
                self.counts["duplicates"] += 1
                continue
            self.seen.add(digest)
            if digest in existing:
                if any(layer.spans for layer in parsed.layers):
                    known.append((existing[digest], parsed))
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
        """Spans and relations of the batch. The span rows are built while their COPY streams
        them (PostgreSQL inserts the first ones while Python builds the next): everything the
        rows need from the database (stored spans, speakers, span ids) is read before."""
        stored_spans, stored_links, reviewed = self._stored(set(existing)) if existing else ({}, set(), set())
        plan, assignments, most = self._layers_plan(document_ids, parsed_documents, reviewed)
        self._assignments_write(assignments)
        reserved = reserve_ids(Annotation, most)  # spans merged into stored ones leave theirs unused
        build = LayerRows(self, reserved, stored_spans, stored_links)
        written = 0
        if most:  # plain texts: no round trips for the settings
            with span_triggers_batched(new_documents=not existing):
                written = rows_copy(Annotation, SPAN_COLUMNS, build.spans(plan), ids=reserved, user=self.user,
                                    extra=LINK_FLAG_COLUMNS)  # fmt: skip
        span_ids = reserved[:written]
        spans_check(span_ids)
        for (_, _, ref), slot in build.refs.items():
            self.stored[ref] = build.span_id(slot)
        links = build.links
        link_ids = reserve_ids(Relation, len(links))
        if existing:  # links may reach stored spans: the trigger refreshes their targets
            rows_copy(Relation, RELATION_COLUMNS, links, ids=link_ids, user=self.user)
        elif links:
            with relation_flags_precomputed():
                rows_copy(Relation, RELATION_COLUMNS, links, ids=link_ids, user=self.user)
        span_refs = {
            (d, ref): index for (d, layer_index, ref), index in build.refs.items()
            if layer_index is None and not isinstance(index, tuple)
        }  # fmt: skip
        _origins_set(Annotation, span_ids, build.origins, span_refs)
        _origins_set(Relation, link_ids, build.relation_origins, build.relation_refs)
        self.counts["merged"] += build.merged
        self.counts["annotations"] += written
        self.counts["relations"] += len(links)

    def _layers_plan(self, document_ids, parsed_documents, reviewed):
        """The layers to write [(document id, parsed, [(layer index, layer, owner)])], the
        assignments {(document, annotator): (state, reason)} and the most spans they can add.
        Reviewed layers are refused here; speakers are looked up (not while the COPY runs)."""
        plan, assignments, most = [], {}, 0
        for document_id, parsed in zip(document_ids, parsed_documents, strict=True):
            layers = []
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
                for relation in layer.relations:
                    if relation.type == RelationType.ATTRIBUTED_TO:
                        self._speaker_id(relation.speaker)
                most += len(layer.spans)
                layers.append((layer_index, layer, owner))
            plan.append((document_id, parsed, layers))
        return plan, assignments, most


def _stored_hashes(project_id: int, digests: set[str]) -> dict[str, int]:
    """{content hash: document id} of the given texts already in the project: one index probe
    per hash of the batch (document_unique_text), never a read of the project's every document."""
    if not digests:
        return {}
    return dict(
        Document.objects.filter(project_id=project_id, content_hash__in=digests).values_list(
            "content_hash", "id"
        )
    )


def _origins_set(model, ids: list[int], origins: list[tuple[int, tuple]], by_ref: dict) -> None:
    """Point gold rows at the rows they were taken from, when those are in the same file."""
    rows = [model(pk=ids[index], origin_id=ids[by_ref[ref]]) for index, ref in origins if ref in by_ref]
    model.objects.bulk_update(rows, ["origin_id"], batch_size=BATCH)
