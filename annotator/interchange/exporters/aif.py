"""AIF (Argument Interchange Format) JSON as AIFdb and OVA write it.

One graph per layer (an annotator's layer, or the gold layer, of one document):
- claims, evidence, opinions and hedges become I-nodes (their quote is the text);
  each I-node says what it is in ``assay:kind`` (claim, evidence, opinion, hedge),
  so opinions are told from claims even by readers that keep only the graph;
- ``supports`` becomes an RA node (Default Inference): source -> RA -> target;
- ``attacks`` becomes a CA node (Default Conflict): source -> CA -> target;
- ``qualifies`` becomes an RA node with the scheme "Qualification": hedge -> RA -> target;
- ``attributed_to`` a speaker becomes a participant (the whole name in ``firstname``:
  organisations have no surname; ``assay:name`` and ``assay:kind`` beside it), an
  L-node ("Speaker: quote") with a locution naming them, and a YA node (Asserting): L -> YA -> I.
Spans of other labels, and relations with an end that is not in the graph, are
listed in ``assay.omitted`` with the reason: nothing is left out silently.
Node, edge and participant ids are numeric strings, unique across the whole
export (every file of a ZIP), as AIFdb readers expect; ``assay`` maps node ids
back to span ids, labels and offsets. A project export also holds ``propositions.json``:
one graph across documents with one I-node per proposition and its spans as locutions
(annotator/propositions/interchange.py).
"""

from __future__ import annotations

import itertools
import json
import re

from annotator.annotations.models import Layer, RelationType
from annotator.interchange.exporters.base import Exporter
from annotator.interchange.selection import Lookups, bundles
from annotator.interchange.zipstream import zip_stream
from annotator.projects.kinds import kinds_aif_propositions
from annotator.propositions.interchange import propositions_aif_graph

PROPOSITION_KINDS = kinds_aif_propositions()  # the kinds registry says which kinds are I-nodes
SCHEMES = {
    RelationType.SUPPORTS: ("RA", "Default Inference"),
    RelationType.ATTACKS: ("CA", "Default Conflict"),
    RelationType.QUALIFIES: ("RA", "Qualification"),
}


def _stamp(value: str) -> str:
    """AIF's "YYYY-MM-DD HH:mm:ss" from the RFC 3339 text of the selection."""
    return f"{value[:10]} {value[11:19]}"


def layer_name(layer) -> str:
    return (
        "gold"
        if layer.layer == Layer.GOLD
        else re.sub(r"[^A-Za-z0-9_.-]", "_", layer.username or str(layer.annotator_id))
    )


def layer_graph(bundle, layer, lookups: Lookups, ids=None) -> dict:
    """The AIF graph of one layer of one document; ``ids`` is the export's shared id counter."""
    ids = ids if ids is not None else (str(n) for n in itertools.count(1))
    nodes, edges, locutions, participants, spans, omitted = [], [], [], {}, {}, []

    def node(text, kind, stamp, **extra):
        node_id = next(ids)
        nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": stamp, **extra})
        return node_id

    def edge(source, target):
        edges.append({"edgeID": next(ids), "fromID": source, "toID": target, "formEdgeID": None})

    i_nodes, stamps = {}, {}
    for a in layer.annotations:
        kind = lookups.label_kind(a[7])
        if kind in PROPOSITION_KINDS:
            stamps[a[0]] = _stamp(a[11])
            i_nodes[a[0]] = node(a[6], "I", stamps[a[0]], **{"assay:kind": kind})
            spans[i_nodes[a[0]]] = {
                "annotation": a[0], "label": lookups.label_code(a[7]), "kind": kind, "start": a[4], "end": a[5],
            }  # fmt: skip
        else:
            omitted.append({"annotation": a[0], "label": lookups.label_code(a[7]),
                            "reason": f"its label's kind ({kind}) is not a proposition"})  # fmt: skip
    quotes = {a[0]: a[6] for a in layer.annotations}
    for r in layer.relations:
        source, target = i_nodes.get(r[5]), i_nodes.get(r[6])
        if r[4] in SCHEMES and source and target:
            kind, text = SCHEMES[r[4]]
            scheme = node(text, kind, stamps[r[5]], scheme=text)
            edge(source, scheme)
            edge(scheme, target)
        elif r[4] == RelationType.ATTRIBUTED_TO and source:
            name, speaker_kind = lookups.speakers[r[7]]
            if r[7] not in participants:
                participants[r[7]] = {"participantID": next(ids), "firstname": name, "surname": "",
                                      "assay:name": name, "assay:kind": speaker_kind}  # fmt: skip
            locution = node(f"{name}: {quotes[r[5]]}", "L", stamps[r[5]])
            locutions.append({"nodeID": locution, "personID": participants[r[7]]["participantID"],
                              "timestamp": stamps[r[5]], "start": None, "end": None, "source": None})  # fmt: skip
            asserting = node("Asserting", "YA", stamps[r[5]], scheme="Asserting")
            edge(locution, asserting)
            edge(asserting, source)
        else:
            omitted.append({"relation": r[0], "type": r[4],
                            "reason": "an end of this relation is not a proposition in this graph"})  # fmt: skip
    return {
        "nodes": nodes,
        "edges": edges,
        "locutions": locutions,
        "participants": list(participants.values()),
        "assay": {
            "document": bundle.document["id"], "title": bundle.document["title"], "layer": layer.layer,
            "annotator": layer.username, "state": layer.state, "spans": spans, "omitted": omitted,
        },
    }  # fmt: skip


def document_graph(bundle, lookups: Lookups, ids=None) -> dict:
    """One layer's graph (the document's only selected layer): what a single-file export holds."""
    ids = ids if ids is not None else (str(n) for n in itertools.count(1))
    if not bundle.layers:
        return {"nodes": [], "edges": [], "locutions": [], "participants": [],
                "assay": {"document": bundle.document["id"], "title": bundle.document["title"], "spans": {},
                          "omitted": []}}  # fmt: skip
    return layer_graph(bundle, bundle.layers[0], lookups, ids)


class AifExporter(Exporter):
    name = "aif"

    @classmethod
    def _single(cls, selection) -> bool:
        """One document and one layer (an annotator's, or gold) make one graph, sent as JSON."""
        one_layer = selection.annotator_id is not None or selection.status == "gold"
        return selection.document_ids is not None and len(selection.document_ids) == 1 and one_layer

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
        ids = (str(n) for n in itertools.count(1))  # one counter: ids are unique across the ZIP
        for bundle in bundles(selection, lookups):
            for layer in bundle.layers:
                data = json.dumps(layer_graph(bundle, layer, lookups, ids), ensure_ascii=False).encode(
                    "utf-8"
                )
                yield f"document-{bundle.document['id']}-{layer_name(layer)}.json", [data]
            documents += 1
            annotations += sum(len(layer.annotations) for layer in bundle.layers)
            if progress and documents % 100 == 0:
                progress(documents, annotations)
        graph = propositions_aif_graph(
            project=selection.project, spans=selection.annotations().values("id"), ids=ids
        )
        if graph is not None:
            yield "propositions.json", [json.dumps(graph, ensure_ascii=False).encode("utf-8")]
        if progress:
            progress(documents, annotations)
