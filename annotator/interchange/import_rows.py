"""The span and relation rows of one import batch, built while the span COPY streams them.

PostgreSQL inserts (indexes, foreign-key checks) the first spans of a batch while Python
builds the next: the COPY is fed by a generator (``LayerRows.spans``), one document at a
time. So nothing here may query: everything from the database (the batch's span ids,
stored spans and links of known texts, speakers) is read before (import_writer.py), and
the relation rows are collected for the relation COPY that follows.

One document at a time is exact: spans are deduplicated, and relations resolved and
flagged, within their document (a relation never leaves its document), in the order the
whole batch used to be: documents, then layers, then spans or relations.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.annotations.models import RelationType
from annotator.interchange.link_flags import is_rejected, link_flags

NO_FLAGS = (None, False, False, False)


class LayerRows:
    """The rows of a batch's layers for ``writer`` (an ImportWriter); ``span_ids`` reserved for
    the most spans the batch can add, taken in order (merged spans use none)."""

    def __init__(self, writer, span_ids: list[int], stored_spans: dict, stored_links: set):
        self.writer, self.span_ids = writer, span_ids
        self.stored_spans, self.stored_links = stored_spans, stored_links
        self.count = 0  # new spans so far: the next one's slot (its index in span_ids)
        self.merged = 0
        self.span_keys: dict = {}  # (document, owner, layer, start, end, label) -> slot or ("stored", id)
        self.refs: dict = {}  # (document, layer index or None, ref in the file) -> slot
        self.origins: list = []  # (slot, (document, origin ref)): gold spans taken from another span
        self.links: list[tuple] = []  # relation rows, RELATION_COLUMNS
        self.seen: set = set()
        self.relation_refs: dict = {}
        self.relation_origins: list = []

    def span_id(self, slot) -> int:
        return slot[1] if isinstance(slot, tuple) else self.span_ids[slot]

    def spans(self, plan: list) -> Iterator[tuple]:
        """Span rows (SPAN_COLUMNS + link flags) of ``plan`` ((document id, parsed, [(layer
        index, layer, owner)])); each document's relations go to ``links`` on the way."""
        for document_id, parsed, layers in plan:
            first = self.count
            rows = self._document_spans(document_id, parsed, layers)
            self.count += len(rows)
            new_links = self._document_links(document_id, layers, first)
            if new_links:
                flags = link_flags([self.writer.label_kinds[row[7]] for row in rows],
                                   [is_rejected(row[10]) for row in rows], new_links)  # fmt: skip
                for index, row in enumerate(rows):
                    yield row + flags.get(index, NO_FLAGS)
            else:
                for row in rows:
                    yield row + NO_FLAGS

    def _document_spans(self, document_id: int, parsed, layers) -> list[tuple]:
        writer, project = self.writer, self.writer.project.pk
        rows = []
        for layer_index, layer, owner in layers:
            for span in layer.spans:
                key = (document_id, owner, layer.layer, span.start, span.end, span.label)
                label_id = writer.label_ids[span.label]
                stored = self.stored_spans.get((*key[:5], label_id)) if self.stored_spans else None
                if stored is not None:
                    if key not in self.span_keys:
                        self.merged += 1
                        self.span_keys[key] = ("stored", stored)
                elif key not in self.span_keys:  # two file layers may land in one stored layer
                    self.span_keys[key] = self.count + len(rows)
                    rows.append((
                        project, document_id, owner, layer.layer, span.start, span.end,
                        parsed.text[span.start : span.end], label_id,
                        writer.subtype_ids.get((span.label, span.subtype)) if span.subtype else None,
                        span.note, span.status, span.status_reason,
                    ))  # fmt: skip
                    if span.origin is not None:
                        self.origins.append((self.span_keys[key], (document_id, span.origin)))
                slot = self.span_keys[key]
                self.refs[(document_id, layer_index, span.ref)] = slot
                self.refs.setdefault((document_id, None, span.ref), slot)
        return rows

    def _document_links(self, document_id: int, layers, first: int) -> list[tuple[int, int, str, bool]]:
        """Append the document's relation rows; its links among new spans, by index in the document."""
        project, refs, new_links = self.writer.project.pk, self.refs, []
        for layer_index, layer, owner in layers:
            for relation in layer.relations:
                source_slot = refs[(document_id, layer_index, relation.source)]
                target_slot = (
                    refs[(document_id, layer_index, relation.target)] if relation.target is not None else None
                )
                source = self.span_id(source_slot)
                target = self.span_id(target_slot) if target_slot is not None else None
                speaker_id = None
                if relation.type == RelationType.ATTRIBUTED_TO:  # looked up before the COPY
                    speaker_id, target, target_slot = self.writer._speaker_id(relation.speaker), None, None
                key = (source, target, speaker_id, relation.type)
                if key in self.stored_links:
                    self.merged += 1
                    continue
                if key in self.seen:
                    continue
                self.seen.add(key)
                if relation.ref is not None:
                    self.relation_refs[(document_id, relation.ref)] = len(self.links)
                if relation.origin is not None:
                    self.relation_origins.append((len(self.links), (document_id, relation.origin)))
                if isinstance(source_slot, int) and isinstance(target_slot, int):
                    new_links.append(
                        (
                            source_slot - first,
                            target_slot - first,
                            relation.type,
                            is_rejected(relation.status),
                        )
                    )
                self.links.append((
                    project, document_id, owner, layer.layer, relation.type, source, target, speaker_id,
                    relation.note, relation.status, relation.status_reason,
                ))  # fmt: skip
        return new_links
