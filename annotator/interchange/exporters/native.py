"""The native argument-map JSON, ``"schema": "assay.argument-map/1"`` (schema in docs/interchange.md, "Native JSON").

Documents with metadata and text, then per layer (annotator or gold) its review
state and reason, its spans and relations; relations point at span ids, which are
unique in the file. ``origin`` is the id of the span (or relation) a gold one was
taken from, when that one is in the file too. Everything a user made round-trips:
export, import into a new project with the same members, export again gives the same
file apart from ids and timestamps (tests/interchange/test_round_trip.py).
Then the propositions those spans state and the evidence's provenance
(annotator/propositions/interchange.py).
"""

from __future__ import annotations

import json

from django.utils import timezone

from annotator.interchange.exporters.base import Exporter, TextBuffer, iso
from annotator.interchange.selection import ExportSelection, Lookups, bundles
from annotator.projects.models import Label
from annotator.propositions.interchange import propositions_export

SCHEMA = "assay.argument-map/1"


def header(selection: ExportSelection, lookups: Lookups) -> dict:
    labels = (
        Label.objects.filter(project=selection.project)
        .prefetch_related("subtypes")
        .order_by("position", "code")
    )
    return {
        "schema": SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "project": {"name": selection.project.name, "slug": selection.project.slug},
        "selection": {"status": selection.status, "annotator": selection.annotator_id},
        "labels": [
            {
                "code": label.code,
                "name": label.name,
                "kind": label.kind,
                "subtypes": [{"code": s.code, "name": s.name} for s in label.subtypes.all()],
            }  # fmt: skip
            for label in labels
        ],
        "speakers": [{"name": name, "kind": kind} for name, kind in sorted(lookups.speakers.values())],
    }


def document_entry(bundle, lookups: Lookups) -> dict:
    labels, subtypes, speakers = lookups.labels, lookups.subtypes, lookups.speakers
    layers = []
    for layer in bundle.layers:
        annotations = [
            {
                "id": a[0],
                "start": a[4],
                "end": a[5],
                "quote": a[6],
                "label": labels[a[7]][0],
                "subtype": subtypes.get(a[8]) if a[8] else None,
                "note": a[9],
                "status": a[10],
                "status_reason": a[13],
                "origin": a[14],
                "created_at": a[11],
                "updated_at": a[12],
            }  # fmt: skip
            for a in layer.annotations
        ]
        relations = [
            {
                "id": r[0],
                "type": r[4],
                "source": r[5],
                "target": r[6],
                "speaker": {"name": speakers[r[7]][0], "kind": speakers[r[7]][1]} if r[7] else None,
                "note": r[8],
                "status": r[9],
                "status_reason": r[10],
                "origin": r[11],
            }  # fmt: skip
            for r in layer.relations
        ]
        layers.append(
            {
                "annotator": layer.username,
                "layer": layer.layer,
                "state": layer.state,
                "reason": layer.reason,
                "annotations": annotations,
                "relations": relations,
            }  # fmt: skip
        )
    document = dict(bundle.document)
    document["published_on"] = iso(document["published_on"])
    document["layers"] = layers
    return document


class NativeExporter(Exporter):
    name = "native"
    extension = "json"
    media_type = "application/json"

    @classmethod
    def stream(cls, selection, *, base_url="", progress=None):
        lookups = Lookups(selection)
        opening = json.dumps(header(selection, lookups), ensure_ascii=False)
        yield (opening[:-1] + ', "documents": [').encode("utf-8")
        buffer, documents, annotations = TextBuffer(), 0, 0
        for bundle in bundles(selection, lookups):
            entry = json.dumps(document_entry(bundle, lookups), ensure_ascii=False)
            chunk = buffer.add(entry if documents == 0 else "," + entry)
            documents += 1
            annotations += sum(len(layer.annotations) for layer in bundle.layers)
            if chunk:
                yield chunk
                if progress:
                    progress(documents, annotations)
        extra = propositions_export(project=selection.project, spans=selection.annotations().values("id"))
        buffer.add(f"], {json.dumps(extra, ensure_ascii=False)[1:-1]}}}\n")
        yield buffer.flush()
        if progress:
            progress(documents, annotations)
