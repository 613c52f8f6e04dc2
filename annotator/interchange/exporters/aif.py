"""AIF (Argument Interchange Format) JSON as AIFdb and OVA write it.

Per document, one graph holding its selected layers:
- claims, evidence and opinions become I-nodes (their quote is the text);
- ``supports`` becomes an RA node (Default Inference): source -> RA -> target;
- ``attacks`` becomes a CA node (Default Conflict): source -> CA -> target;
- ``attributed_to`` a speaker becomes a participant, an L-node ("Speaker: quote")
  with a locution naming the participant, and a YA node (Asserting): L -> YA -> I.
Hedges and ``qualifies`` links have no AIF counterpart and are left out.
A project export is a ZIP with one graph per document, and ``propositions.json``:
one graph across documents with one I-node per proposition and its spans as
locutions (annotator/propositions/interchange.py). Node ids are numeric
strings, unique in the file, as AIFdb readers expect; ``assay`` maps node ids
back to span ids, labels and offsets.
"""

from __future__ import annotations

import itertools
import json

from annotator.annotations.models import RelationType
from annotator.interchange.exporters.base import Exporter
from annotator.interchange.selection import Lookups, bundles
from annotator.interchange.zipstream import zip_stream
from annotator.projects.models import LabelKind
from annotator.propositions.interchange import propositions_aif_graph

PROPOSITION_KINDS = {LabelKind.CLAIM, LabelKind.EVIDENCE, LabelKind.OPINION}
SCHEMES = {
    RelationType.SUPPORTS: ("RA", "Default Inference"),
    RelationType.ATTACKS: ("CA", "Default Conflict"),
}


def _stamp(value: str) -> str:
    """AIF's "YYYY-MM-DD HH:mm:ss" from the RFC 3339 text of the selection."""
    return f"{value[:10]} {value[11:19]}"


def document_graph(bundle, lookups: Lookups) -> dict:
    ids = (str(n) for n in itertools.count(1))
    nodes, edges, locutions, participants, spans = [], [], [], {}, {}

    def node(text, kind, stamp, **extra):
        node_id = next(ids)
        nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": stamp, **extra})
        return node_id

    def edge(source, target):
        edges.append({"edgeID": next(ids), "fromID": source, "toID": target, "formEdgeID": None})

    for layer in bundle.layers:
        i_nodes, stamps = {}, {}
        for a in layer.annotations:
            if lookups.label_kind(a[7]) in PROPOSITION_KINDS:
                stamps[a[0]] = _stamp(a[11])
                i_nodes[a[0]] = node(a[6], "I", stamps[a[0]])
                spans[i_nodes[a[0]]] = {
                    "annotation": a[0], "label": lookups.label_code(a[7]), "start": a[4], "end": a[5],
                    "annotator": layer.username, "layer": layer.layer,
                }  # fmt: skip
        quotes = {a[0]: a[6] for a in layer.annotations}
        for r in layer.relations:
            source, target = i_nodes.get(r[5]), i_nodes.get(r[6])
            if r[4] in SCHEMES and source and target:
                kind, text = SCHEMES[r[4]]
                scheme = node(text, kind, stamps[r[5]], scheme=text)
                edge(source, scheme)
                edge(scheme, target)
            elif r[4] == RelationType.ATTRIBUTED_TO and source:
                name, _ = lookups.speakers[r[7]]
                if r[7] not in participants:
                    first, _, rest = name.partition(" ")
                    participants[r[7]] = {"participantID": str(len(participants) + 1), "firstname": first,
                                          "surname": rest}  # fmt: skip
                locution = node(f"{name}: {quotes[r[5]]}", "L", stamps[r[5]])
                locutions.append({"nodeID": locution, "personID": participants[r[7]]["participantID"],
                                  "timestamp": stamps[r[5]], "start": None, "end": None, "source": None})  # fmt: skip
                asserting = node("Asserting", "YA", stamps[r[5]], scheme="Asserting")
                edge(locution, asserting)
                edge(asserting, source)
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": list(participants.values()),
        "assay": {"document": bundle.document["id"], "title": bundle.document["title"], "spans": spans},
    }


class AifExporter(Exporter):
    name = "aif"

    @classmethod
    def _single(cls, selection) -> bool:
        return selection.document_ids is not None and len(selection.document_ids) == 1

    @classmethod
    def extension_for(cls, selection):
        return "json" if cls._single(selection) else "zip"

    @classmethod
    def media_type_for(cls, selection):
        return "application/json" if cls._single(selection) else "application/zip"

    @classmethod
    def stream(cls, selection, *, base_url="", progress=None):
        lookups = Lookups(selection)
        if cls._single(selection):
            for bundle in bundles(selection, lookups):
                yield json.dumps(document_graph(bundle, lookups), ensure_ascii=False).encode("utf-8")
                return
            yield json.dumps({"nodes": [], "edges": [], "locutions": [], "participants": []}).encode("utf-8")
            return
        yield from zip_stream(cls._entries(selection, lookups, progress))

    @classmethod
    def _entries(cls, selection, lookups, progress):
        documents = annotations = 0
        for bundle in bundles(selection, lookups):
            data = json.dumps(document_graph(bundle, lookups), ensure_ascii=False).encode("utf-8")
            yield f"document-{bundle.document['id']}.json", [data]
            documents += 1
            annotations += sum(len(layer.annotations) for layer in bundle.layers)
            if progress and documents % 100 == 0:
                progress(documents, annotations)
        graph = propositions_aif_graph(project=selection.project, spans=selection.annotations().values("id"))
        if graph is not None:
            yield "propositions.json", [json.dumps(graph, ensure_ascii=False).encode("utf-8")]
        if progress:
            progress(documents, annotations)
