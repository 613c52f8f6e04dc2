"""The native argument-map JSON (``assay.argument-map/1``) written by the native exporter.

Labels the file declares are created in the project when missing; spans and
relations keep their layers. Problems are reported by JSON path
(``documents[3].layers[0].annotations[2]``).
"""

from __future__ import annotations

import json

from annotator.annotations.models import Layer, ReviewStatus
from annotator.core.errors import ApplicationError
from annotator.interchange.exporters.native import SCHEMA
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
    json_parse,
)
from annotator.reviews.models import AssignmentState


class NativeFileError(ValueError):
    pass


def read_native(text: str) -> dict:
    try:
        data = json_parse(text)
    except json.JSONDecodeError as exc:
        raise NativeFileError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except UnstorableJSON as exc:
        raise NativeFileError(str(exc)) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise NativeFileError(f'not an Assay argument map: "schema" must be "{SCHEMA}"')
    if not isinstance(data.get("documents"), list):
        raise NativeFileError('"documents" must be a list')
    return data


def _status(value) -> str:
    return value if value in ReviewStatus.values else ReviewStatus.PENDING


def _layer(raw: dict, where: str) -> ParsedLayer:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object")
    layer = ParsedLayer(annotator=raw.get("annotator") or None, layer=raw.get("layer") or Layer.ANNOTATOR,
                        state=raw.get("state") or None, reason=as_text(raw.get("reason"), f"{where}.reason", limit=5000))  # fmt: skip
    if layer.layer not in Layer.values:
        raise ValueError(f"{where}.layer must be annotator or gold")
    if layer.state is not None and layer.state not in AssignmentState.values:
        raise ValueError(f"{where}.state must be one of {', '.join(AssignmentState.values)}")
    if layer.state == AssignmentState.CHANGES_REQUESTED and not layer.reason:
        raise ValueError(f"{where}.reason is required when the state is changes_requested")
    for index, a in enumerate(raw.get("annotations") or []):
        at = f"{where}.annotations[{index}]"
        if not isinstance(a, dict):
            raise ValueError(f"{at} must be an object")
        layer.spans.append(
            ParsedSpan(
                ref=a.get("id", f"{where}/{index}"),
                start=as_offset(a.get("start"), f"{at}.start"),
                end=as_offset(a.get("end"), f"{at}.end"),
                label=str(a.get("label", "")),
                subtype=a.get("subtype") or None,
                note=as_text(a.get("note"), f"{at}.note", limit=10000),
                quote=a.get("quote"),
                status=_status(a.get("status")),
                status_reason=as_text(a.get("status_reason"), f"{at}.status_reason", limit=5000),
                origin=a.get("origin"),
            )  # fmt: skip
        )
    for index, r in enumerate(raw.get("relations") or []):
        at = f"{where}.relations[{index}]"
        if not isinstance(r, dict):
            raise ValueError(f"{at} must be an object")
        speaker = r.get("speaker")
        if speaker is not None and (not isinstance(speaker, dict) or not speaker.get("name")):
            raise ValueError(f"{at}.speaker must be an object with a name")
        layer.relations.append(
            ParsedRelation(
                type=str(r.get("type", "")),
                source=r.get("source"),
                target=r.get("target"),
                speaker=(speaker["name"], speaker.get("kind") or "person") if speaker else None,
                note=as_text(r.get("note"), f"{at}.note", limit=10000),
                status=_status(r.get("status")),
                status_reason=as_text(r.get("status_reason"), f"{at}.status_reason", limit=5000),
                ref=r.get("id"),
                origin=r.get("origin"),
            )  # fmt: skip
        )
    return layer


def parse_native(data: dict):
    for index, raw in enumerate(data["documents"]):
        where = f"documents[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
            yield Rejection(where, 'each document needs a non-empty "text"')
            continue
        try:
            source = raw.get("source") or {}
            if not isinstance(source, dict):
                raise ValueError(f"{where}.source must be an object or null")
            layers = raw.get("layers") or []
            if not isinstance(layers, list):
                raise ValueError(f"{where}.layers must be a list")
            document = ParsedDocument(
                where=where, text=raw["text"], title=as_text(raw.get("title"), "title", limit=500),
                url=as_text(raw.get("url"), "url", limit=2000), published_on=as_date(raw.get("published_on")),
                outlet=as_text(source.get("name"), "source.name", limit=200),
                outlet_domain=as_text(source.get("domain"), "source.domain", limit=253),
                authors=as_authors(raw.get("authors")), language=as_text(raw.get("language"), "language", limit=20),
                layers=[_layer(layer, f"{where}.layers[{i}]") for i, layer in enumerate(layers)],
                provenance={"kind": "native", "id": raw.get("id")},
            )  # fmt: skip
        except ValueError as exc:
            yield Rejection(where, str(exc))
            continue
        yield document


def parse_native_file(text: str, *, filename: str, taxonomy, extras: list[dict]):
    """The whole file must be an argument map (else a 400 naming the file); its labels are
    declared, and its propositions kept for the writer."""
    try:
        native = read_native(text)
    except NativeFileError as exc:
        raise ApplicationError.field("file", f"{filename}: {exc}") from None
    taxonomy.declare(native.get("labels"))
    if native.get("propositions") or native.get("evidence_provenance"):
        extras.append(native)
    return parse_native(native)


IMPORTER = Importer(name="native", extensions=(".json",), parse=parse_native_file)
