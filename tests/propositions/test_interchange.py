"""Propositions in the native JSON export (round-tripped by native import) and in AIF across documents."""

from __future__ import annotations

import io
import json
import zipfile

import arguebuf
import pytest

from annotator.annotations.models import Layer
from annotator.interchange.exporters.aif import AifExporter
from annotator.interchange.exporters.native import NativeExporter
from annotator.interchange.imports import import_documents
from annotator.interchange.selection import ExportSelection
from annotator.projects.models import Role
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionLink, ProvenanceKind
from annotator.propositions.provenance import provenance_set
from annotator.propositions.services import proposition_create
from tests.factories import (
    AnnotationFactory,
    DocumentFactory,
    MembershipFactory,
    ProjectFactory,
    RelationFactory,
    member,
)

pytestmark = pytest.mark.django_db
TEXTS = [
    "One. The strike was facilitated. Logs show it.",
    "Two. The strike was facilitated, again. As I wrote.",
]


@pytest.fixture
def mapped():
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER, username="rev")
    docs = [DocumentFactory(project=project, text=t, title=f"Doc {n}") for n, t in enumerate(TEXTS)]

    def span(doc, phrase, code="CLAIM"):
        start = doc.text.index(phrase)
        return AnnotationFactory(document=doc, annotator=reviewer, layer=Layer.GOLD, start=start,
                                 end=start + len(phrase), label_code=code)  # fmt: skip

    claims = [span(d, "The strike was facilitated") for d in docs]
    logs = span(docs[0], "Logs show it", "EVIDENCE")
    wrote = span(docs[1], "As I wrote", "EVIDENCE")
    RelationFactory(source=logs, target=claims[0])
    RelationFactory(source=wrote, target=claims[1])
    main = proposition_create(project=project, text="The strike was facilitated", user=reviewer, spans=claims)
    evidence = proposition_create(project=project, text="Flight logs show it", user=reviewer, spans=[logs])
    provenance_set(span=wrote, kind=ProvenanceKind.SELF_CITATION, user=reviewer, cited_document=docs[0])
    provenance_set(span=logs, kind=ProvenanceKind.EXTERNAL_PRIMARY, user=reviewer)
    return {"project": project, "reviewer": reviewer, "docs": docs, "main": main, "evidence": evidence}


def _bytes(exporter, selection) -> bytes:
    return b"".join(exporter.stream(selection))


def test_native_export_lists_propositions_and_provenance_by_span_id(mapped):
    data = json.loads(_bytes(NativeExporter, ExportSelection(project=mapped["project"])))
    spans = {a["id"]: a for d in data["documents"] for layer in d["layers"] for a in layer["annotations"]}
    texts = {p["text"]: sorted(spans[s["span"]]["quote"] for s in p["spans"]) for p in data["propositions"]}
    assert texts == {"The strike was facilitated": ["The strike was facilitated"] * 2,
                     "Flight logs show it": ["Logs show it"]}  # fmt: skip
    kinds = {spans[p["span"]]["quote"]: (p["kind"], p["cited_document"]) for p in data["evidence_provenance"]}
    assert kinds == {"Logs show it": ("external_primary", None),
                     "As I wrote": ("self_citation", mapped["docs"][0].content_hash)}  # fmt: skip


def test_native_import_round_trips_propositions_links_and_provenance(mapped):
    exported = _bytes(NativeExporter, ExportSelection(project=mapped["project"]))
    target = ProjectFactory()
    MembershipFactory(project=target, user=mapped["reviewer"], role=Role.REVIEWER)
    counts, rejections = import_documents(project=target, user=mapped["reviewer"],
                                          files=[("map.json", exported, "native")])  # fmt: skip
    assert rejections == []
    assert (counts["propositions"], counts["proposition_links"], counts["provenance"]) == (2, 3, 2)
    main = Proposition.objects.get(project=target, text="The strike was facilitated")
    stated = PropositionLink.objects.filter(proposition=main).select_related("annotation", "document")
    assert sorted((link.document.text[:4], link.annotation.start, link.layer) for link in stated) == [
        ("One.", 5, "gold"),
        ("Two.", 5, "gold"),
    ]
    self_cited = EvidenceProvenance.objects.get(project=target, kind=ProvenanceKind.SELF_CITATION)
    assert self_cited.annotation.quote == "As I wrote"
    assert self_cited.cited_document.text == TEXTS[0] and self_cited.cited_document.project == target
    again = json.loads(_bytes(NativeExporter, ExportSelection(project=target)))
    first = json.loads(exported)
    assert sorted(p["text"] for p in again["propositions"]) == sorted(
        p["text"] for p in first["propositions"]
    )


def test_aif_project_export_adds_one_cross_document_graph_that_arguebuf_loads(mapped, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(_bytes(AifExporter, ExportSelection(project=mapped["project"]))))
    assert "propositions.json" in archive.namelist()
    data = json.loads(archive.read("propositions.json"))
    assert sorted(n["text"] for n in data["nodes"] if n["type"] == "I") == [
        "Flight logs show it",
        "The strike was facilitated",
    ]
    assert sorted(n["text"] for n in data["nodes"] if n["type"] == "L") == [
        "Unknown: Logs show it",
        "Unknown: The strike was facilitated",
        "Unknown: The strike was facilitated",
    ]
    path = tmp_path / "propositions.json"
    path.write_text(json.dumps(data))
    graph = arguebuf.load.file(path)
    atoms = {node.id: node.plain_text for node in graph.atom_nodes.values()}
    assert sorted(atoms.values()) == ["Flight logs show it", "The strike was facilitated"]
    (scheme,) = graph.scheme_nodes.values()
    assert type(scheme.scheme).__name__ == "Support"
    assert [atoms[e.source.id] for e in graph.incoming_edges(scheme)] == ["Flight logs show it"]
    assert [atoms[e.target.id] for e in graph.outgoing_edges(scheme)] == ["The strike was facilitated"]
