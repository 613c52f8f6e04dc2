"""JSON Lines: one document per line, with metadata and optional spans.

Plain Assay JSONL:
    {"text": "...", "title": "...", "url": "...", "published_on": "2024-05-31",
     "outlet": "...", "authors": ["..."], "language": "en",
     "spans": [{"start": 0, "end": 5, "label": "CLAIM", "subtype": "causal", "note": ""}]}
doccano JSONL (sequence labelling export), offsets in code points:
    {"text": "...", "label": [[0, 5, "CLAIM"], ...]}
    {"text": "...", "entities": [{"id": 1, "label": "CLAIM", "start_offset": 0, "end_offset": 5}],
     "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "supports"}]}
Both read the same metadata fields (doccano keeps them at the top level too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from annotator.interchange.importers.base import (
    Importer,
    ParsedDocument,
    ParsedLayer,
    ParsedRelation,
    ParsedSpan,
    Rejection,
    UnstorableJSON,
    as_authors,
    as_date,
    as_offset,
    as_text,
    json_error,
    json_parse,
)


def _metadata(row: dict) -> dict:
    outlet = row.get("outlet") or row.get("source") or ""
    outlet_domain = ""
    if isinstance(outlet, dict):
        outlet, outlet_domain = outlet.get("name") or "", outlet.get("domain") or ""
    return {
        "title": as_text(row.get("title"), "title", limit=500),
        "url": as_text(row.get("url"), "url", limit=2000),
        "published_on": as_date(row.get("published_on") or row.get("published")),
        "outlet": as_text(outlet, "outlet", limit=200),
        "outlet_domain": as_text(outlet_domain, "outlet domain", limit=253),
        "authors": as_authors(row.get("authors")),
        "language": as_text(row.get("language"), "language", limit=20),
    }


def _assay_spans(row: dict) -> list[ParsedSpan]:
    spans = row.get("spans") or []
    if not isinstance(spans, list):
        raise ValueError("spans must be a list")
    parsed = []
    for index, span in enumerate(spans):
        if not isinstance(span, dict):
            raise ValueError(f"spans[{index}] must be an object")
        parsed.append(
            ParsedSpan(
                ref=span.get("id", index),
                start=as_offset(span.get("start"), f"spans[{index}].start"),
                end=as_offset(span.get("end"), f"spans[{index}].end"),
                label=str(span.get("label", "")),
                subtype=span.get("subtype") or None,
                note=as_text(span.get("note"), "note", limit=10000),
            )  # fmt: skip
        )
    return parsed


def _doccano_layer(row: dict) -> ParsedLayer:
    layer = ParsedLayer()
    if "entities" in row:
        entities = row["entities"]
        if not isinstance(entities, list):
            raise ValueError("entities must be a list")
        spans = layer.spans
        for index, entity in enumerate(entities):
            if not isinstance(entity, dict) or "start_offset" not in entity or "end_offset" not in entity:
                raise ValueError(f"entities[{index}] needs id, label, start_offset and end_offset")
            start, end = entity["start_offset"], entity["end_offset"]
            # JSON's ints are exactly int (bool is not): as_offset checks and names anything else.
            if type(start) is not int or type(end) is not int:
                start, end = as_offset(start, "start_offset"), as_offset(end, "end_offset")
            # Positional (ref, start, end, label): a keyword call cost a third more per span.
            spans.append(ParsedSpan(entity.get("id", index), start, end, str(entity.get("label", ""))))
        relations = row.get("relations") or []
        if not isinstance(relations, list):
            raise ValueError("relations must be a list")
        for index, relation in enumerate(relations):
            if not isinstance(relation, dict):
                raise ValueError(f"relations[{index}] must be an object")
            layer.relations.append(
                ParsedRelation(
                    type=str(relation.get("type", "")).lower(),
                    source=relation.get("from_id"),
                    target=relation.get("to_id"),
                )  # fmt: skip
            )
        return layer
    labels = row.get("label") or row.get("labels") or []
    if not isinstance(labels, list):
        raise ValueError("label must be a list of [start, end, label]")
    for index, item in enumerate(labels):
        if not isinstance(item, list) or len(item) != 3:
            raise ValueError(f"label[{index}] must be [start, end, label]")
        layer.spans.append(ParsedSpan(ref=index, start=as_offset(item[0], f"label[{index}][0]"),
                                      end=as_offset(item[1], f"label[{index}][1]"), label=str(item[2])))  # fmt: skip
    return layer


def _is_doccano(row: dict) -> bool:
    return "spans" not in row and ("entities" in row or "label" in row or "labels" in row)


def jsonl_lines(text: str) -> list[str]:
    """The lines of a JSONL file: split on \\n only (a \\r before it is dropped).

    JSON Lines ends records with \\n; ``str.splitlines`` would also split on U+2028,
    U+2029, U+0085 and others, which may appear raw inside a JSON string.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def parse_jsonl(
    text: str, *, doccano: bool | None = None, decoded: bool = False
) -> Iterator[ParsedDocument | Rejection]:
    """One document per line; ``doccano=None`` tells the two shapes apart line by line.
    ``decoded``: ``text`` comes from decode_text (base.json_parse)."""
    for number, line in enumerate(jsonl_lines(text), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            row = json_parse(line, decoded=decoded)
        except json.JSONDecodeError as exc:
            yield Rejection(where, json_error(exc))
            continue
        except UnstorableJSON as exc:
            yield Rejection(where, str(exc))
            continue
        if not isinstance(row, dict):
            yield Rejection(where, "each line must be a JSON object")
            continue
        text_value = row.get("text")
        if not isinstance(text_value, str) or not text_value.strip():
            yield Rejection(where, 'missing "text" (a non-empty string)')
            continue
        try:
            line_is_doccano = _is_doccano(row) if doccano is None else doccano
            layer = _doccano_layer(row) if line_is_doccano else ParsedLayer(spans=_assay_spans(row))
            document = ParsedDocument(where=where, text=text_value, **_metadata(row),
                                      provenance={"kind": "doccano" if line_is_doccano else "jsonl", "line": number})  # fmt: skip
        except ValueError as exc:
            yield Rejection(where, str(exc))
            continue
        if layer.spans:
            document.layers.append(layer)
        yield document


# Plain JSONL tells Assay and doccano lines apart itself; "doccano" insists on doccano's shape.
IMPORTER = Importer(name="jsonl", extensions=(".jsonl", ".ndjson"),
                    parse=lambda text, **_: parse_jsonl(text, decoded=True))  # fmt: skip
DOCCANO = Importer(name="doccano", extensions=(),
                   parse=lambda text, **_: parse_jsonl(text, doccano=True, decoded=True))  # fmt: skip
