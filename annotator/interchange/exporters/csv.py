"""CSV: spans.csv (one row per span) and relations.csv (one row per relation), zipped.

Offsets are Unicode code points. Cells that start with = + - @ are prefixed
with a quote so spreadsheets do not run them as formulas; ``quote_raw`` is the
span's text exactly (``text[start:end]``) for programs, unprefixed. With
``bom`` each file starts with a UTF-8 byte order mark, so spreadsheet programs
read it as UTF-8.
"""

from __future__ import annotations

import csv
import io

from annotator.interchange.exporters.base import Exporter
from annotator.interchange.selection import Lookups, bundles
from annotator.interchange.zipstream import zip_stream

SPAN_COLUMNS = [
    "span_id", "document_id", "document_title", "annotator", "layer", "layer_state", "start", "end", "quote",
    "quote_raw", "label", "subtype", "note", "status", "created_at", "updated_at",
]  # fmt: skip
RELATION_COLUMNS = [
    "relation_id", "document_id", "annotator", "layer", "type", "source_span_id", "target_span_id",
    "speaker", "speaker_kind", "note", "status",
]  # fmt: skip


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _rows(selection, lookups, *, spans: bool, progress=None):
    out = io.StringIO()
    if selection.bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(SPAN_COLUMNS if spans else RELATION_COLUMNS)
    documents = done = 0
    for bundle in bundles(
        selection, lookups, with_text=False, with_annotations=spans, with_relations=not spans
    ):
        doc = bundle.document
        for layer in bundle.layers:
            if spans:
                writer.writerows(
                    [
                        a[0],
                        doc["id"],
                        _safe(doc["title"]),
                        layer.username,
                        layer.layer,
                        layer.state,
                        a[4],
                        a[5],
                        _safe(a[6]),
                        a[6],
                        lookups.label_code(a[7]),
                        lookups.subtypes.get(a[8]) if a[8] else "",
                        _safe(a[9]),
                        a[10],
                        a[11],
                        a[12],
                    ]  # fmt: skip
                    for a in layer.annotations
                )
                done += len(layer.annotations)
            else:
                writer.writerows(
                    [
                        r[0],
                        doc["id"],
                        layer.username,
                        layer.layer,
                        r[4],
                        r[5],
                        r[6] or "",
                        _safe(lookups.speakers[r[7]][0]) if r[7] else "",
                        lookups.speakers[r[7]][1] if r[7] else "",
                        _safe(r[8]),
                        r[9],
                    ]  # fmt: skip
                    for r in layer.relations
                )
        documents += 1
        if out.tell() > 256 * 1024:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
            if progress:
                progress(documents, done)
    yield out.getvalue().encode("utf-8")
    if progress and spans:
        progress(documents, done)


class CsvExporter(Exporter):
    name = "csv"
    extension = "zip"
    media_type = "application/zip"

    @classmethod
    def stream(cls, selection, *, base_url="", progress=None):
        lookups = Lookups(selection)
        yield from zip_stream(
            [
                ("spans.csv", _rows(selection, lookups, spans=True, progress=progress)),
                ("relations.csv", _rows(selection, lookups, spans=False)),
            ]
        )
