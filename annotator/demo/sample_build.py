"""Build seeds/sample_layer.json (native argument-map JSON) from sample_spec.json.

sample_spec.json is the hand-made sample layer of the five seed documents, as quotes (never
offsets). Offsets are computed here from the seed text, in code points: whitespace in a
quote matches any whitespace (so a no-break space in the text is found and kept), and each
match is checked against the quote. A quote must be unique in its search range (the
document, or the span named by ``within``) unless ``occurrence`` (0-based) picks one.

Per document: ``spans`` as [id, label, subtype, quote, options], ``relations`` as [source,
type, target] (a target "@Name" is a speaker of ``speakers``). Each document has the
reviewer's gold layer; annotator1 and annotator2 start from it and differ where real
annotators would (``drop``, ``subtype``, ``label``, ``narrow``, ``extra`` spans, ``unlink``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from annotator.projects.taxonomy import DEFAULT_LABELS

SPEC_PATH = Path(__file__).with_name("sample_spec.json")
SPEC_SCHEMA = "assay.sample-spec/1"

GOLD_USER, ANNOTATORS = "reviewer", ("annotator1", "annotator2")
TIMESTAMP = "2026-01-15T12:00:00+00:00"


class SpecError(ValueError):
    pass


def sample_spec_read(path: Path = SPEC_PATH) -> tuple[dict[str, str], dict[str, dict]]:
    """(speakers, documents) of the spec; relations become tuples, compared and hashed as such."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    if spec.get("schema") != SPEC_SCHEMA:
        raise SpecError(f"{path.name}: schema is {spec.get('schema')!r}, expected {SPEC_SCHEMA!r}")
    documents = spec["documents"]
    for document in documents.values():
        document["relations"] = [tuple(r) for r in document["relations"]]
        for variant in (document["annotator1"], document["annotator2"]):
            if "unlink" in variant:
                variant["unlink"] = [tuple(r) for r in variant["unlink"]]
    return spec["speakers"], documents


def _pattern(quote: str) -> re.Pattern:
    # Any run of whitespace in the quote matches any run in the text (NBSP included).
    return re.compile(r"\s+".join(re.escape(part) for part in quote.split()))


def locate(
    text: str,
    quote: str,
    *,
    lo: int = 0,
    hi: int | None = None,
    occurrence: int | None = None,
    where: str = "",
) -> tuple[int, int]:
    hi = len(text) if hi is None else hi
    matches = list(_pattern(quote).finditer(text, lo, hi))
    if not matches:
        raise SpecError(f"{where}: {quote!r} is not in the text")
    if occurrence is None and len(matches) > 1:
        raise SpecError(f"{where}: {quote!r} occurs {len(matches)} times; say which occurrence")
    match = matches[occurrence or 0]
    start, end = match.span()
    assert text[start:end].split() == quote.split()
    return start, end


def _resolve(text: str, spans: list, where: str) -> dict[str, tuple]:
    placed: dict[str, tuple] = {}
    for key, label, subtype, quote, options in spans:
        lo, hi = 0, None
        if "within" in options:
            lo, hi = placed[options["within"]][2:4]
        start, end = locate(
            text, quote, lo=lo, hi=hi, occurrence=options.get("occurrence"), where=f"{where} {key}"
        )
        placed[key] = (label, subtype, start, end)
    return placed


def _layer(text: str, placed: dict, relations: list, variant: dict, where: str) -> tuple[dict, list]:
    spans = {k: list(v) for k, v in placed.items() if k not in set(variant.get("drop", []))}
    for key, code in variant.get("subtype", {}).items():
        spans[key][1] = code
    for key, code in variant.get("label", {}).items():
        spans[key][0], spans[key][1] = code, None
    for key, quote in variant.get("narrow", {}).items():
        spans[key][2:4] = locate(
            text, quote, lo=spans[key][2], hi=spans[key][3], where=f"{where} narrow {key}"
        )
    spans.update({k: list(v) for k, v in _resolve(text, variant.get("extra", []), where).items()})
    unlinked = set(variant.get("unlink", []))
    kept = [
        r
        for r in relations
        if r not in unlinked and r[0] in spans and (r[2].startswith("@") or r[2] in spans)
    ]
    return spans, kept


def _entry(
    text: str, spans: dict, relations: list, ids: dict, next_id: list, speakers: dict
) -> tuple[list, list]:
    annotations = []
    for key, (label, subtype, start, end) in sorted(
        spans.items(), key=lambda kv: (kv[1][2], kv[1][3], kv[0])
    ):
        next_id[0] += 1
        ids[key] = next_id[0]
        annotations.append({
            "id": next_id[0], "start": start, "end": end, "quote": text[start:end], "label": label,
            "subtype": subtype, "note": "", "status": "pending", "created_at": TIMESTAMP, "updated_at": TIMESTAMP,
        })  # fmt: skip
    rels = []
    for source, kind, target in relations:
        next_id[0] += 1
        speaker = target[1:] if target.startswith("@") else None
        rels.append({
            "id": next_id[0], "type": kind, "source": ids[source], "target": None if speaker else ids[target],
            "speaker": {"name": speaker, "kind": speakers[speaker]} if speaker else None, "note": "",
            "status": "pending",
        })  # fmt: skip
    return annotations, rels


def sample_layer_build(*, seed_dir: Path, spec_path: Path = SPEC_PATH) -> dict:
    speakers, specs = sample_spec_read(spec_path)
    manifest = json.loads((seed_dir / "manifest.json").read_text(encoding="utf-8"))
    documents, next_id = [], [0]
    for index, entry in enumerate(manifest["documents"]):
        name = entry["file"]
        text = (seed_dir / name).read_bytes().decode("utf-8")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["sha256"]:
            raise SpecError(f"{name}: the text does not match the manifest's sha256")
        spec = specs[name]
        gold = _resolve(text, spec["spans"], name)
        layers = []
        for username, layer, state, variant in [
            (GOLD_USER, "gold", None, {}),
            (ANNOTATORS[0], "annotator", "submitted", spec["annotator1"]),
            (ANNOTATORS[1], "annotator", "submitted", spec["annotator2"]),
        ]:
            spans, relations = _layer(text, gold, spec["relations"], variant, f"{name} {username}")
            annotations, rels = _entry(text, spans, relations, {}, next_id, speakers)
            layers.append(
                {
                    "annotator": username,
                    "layer": layer,
                    "state": state,
                    "annotations": annotations,
                    "relations": rels,
                }
            )
        outlet = entry.get("outlet")
        documents.append({
            "id": index + 1, "title": entry.get("title") or "", "url": entry.get("url") or "",
            "published_on": entry.get("published"),
            "source": {"name": outlet["name"], "domain": outlet.get("domain") or None} if outlet else None,
            "authors": entry.get("authors") or [], "language": entry.get("language") or "",
            "content_hash": entry["sha256"], "text": text, "layers": layers,
        })  # fmt: skip
    return {
        "schema": "assay.argument-map/1",
        "exported_at": TIMESTAMP,
        "project": manifest["project"],
        "labels": [
            {
                "code": label["code"],
                "name": label["name"],
                "kind": label["kind"],
                "subtypes": [{"code": code, "name": sub_name} for code, sub_name, _ in label["subtypes"]],
            }
            for label in DEFAULT_LABELS
        ],  # fmt: skip
        "speakers": [{"name": name, "kind": kind} for name, kind in sorted(speakers.items())],
        "documents": documents,
    }
