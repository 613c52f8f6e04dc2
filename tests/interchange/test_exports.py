"""Exports: native JSON, AIF (checked with arguebuf), W3C Web Annotation, CSV; selection and permissions."""

import csv
import io
import json
import zipfile

import arguebuf
import pytest
from rest_framework.test import APIClient

from annotator.interchange.exporters.aif import document_graph
from annotator.interchange.selection import ExportSelection, Lookups, bundles
from annotator.reviews.models import Assignment

pytestmark = pytest.mark.django_db


def _get(user, url):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_native_document_export(mapped):
    """The native export carries the schema, labels, speakers, the text and both layers with exact offsets."""
    response, body = _get(mapped.reviewer, f"/api/v1/documents/{mapped.document.pk}/export/?format=native")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(body)
    assert data["schema"] == "assay.argument-map/1"
    assert data["project"] == {"name": "Export project", "slug": "export-project"}
    assert [label["code"] for label in data["labels"]] == ["CLAIM", "EVIDENCE", "OPINION", "HEDGE"]
    assert data["speakers"] == [{"name": "Jane Minister", "kind": "government"}]
    (document,) = data["documents"]
    assert document["text"] == mapped.document.text
    assert [(layer["annotator"], layer["layer"]) for layer in document["layers"]] == [
        ("ann", "annotator"),
        ("rev", "gold"),
    ]
    spans = document["layers"][0]["annotations"]
    assert [(a["start"], a["end"], a["label"], a["quote"]) for a in spans] == [
        (0, 13, "EVIDENCE", "Taxes rose 5%"),
        (15, 45, "CLAIM", "Experts say growth will follow"),
        (47, 70, "CLAIM", "The minister said 😀 it."),
        (65, 66, "EVIDENCE", "😀"),
        (71, 76, "HEDGE", "Maybe"),
    ]
    relations = document["layers"][0]["relations"]
    assert [(r["type"], r["source"], r["target"]) for r in relations] == [
        ("supports", mapped.taxes.pk, mapped.growth.pk),
        ("supports", mapped.emoji.pk, mapped.minister.pk),
        ("attacks", mapped.minister.pk, mapped.growth.pk),
        ("qualifies", mapped.maybe.pk, mapped.minister.pk),
        ("attributed_to", mapped.minister.pk, None),
    ]
    assert relations[-1]["speaker"] == {"name": "Jane Minister", "kind": "government"}


def test_status_selects_layers(mapped):
    """gold: only the gold layer; approved: the gold layer where the document has one (by default),
    else the approved annotator layers; approved for one annotator: their layer once approved."""
    gold = ExportSelection(project=mapped.project, status="gold")
    lookups = Lookups(gold)
    assert [[layer.layer for layer in b.layers] for b in bundles(gold, lookups)] == [["gold"]]
    mine = ExportSelection(project=mapped.project, status="approved", annotator_id=mapped.annotator.pk)
    assert list(bundles(mine, Lookups(mine))) == []
    Assignment.objects.create(project=mapped.project, document=mapped.document, annotator=mapped.annotator,
                              state="approved")  # fmt: skip
    (bundle,) = bundles(mine, Lookups(mine))
    assert [(layer.username, layer.state, len(layer.annotations)) for layer in bundle.layers] == [
        ("ann", "approved", 5)
    ]
    approved = ExportSelection(project=mapped.project, status="approved")
    (bundle,) = bundles(approved, Lookups(approved))
    assert [(layer.username, layer.layer, len(layer.annotations)) for layer in bundle.layers] == [
        ("rev", "gold", 1)
    ]
    mapped.gold.delete()  # not adjudicated: the approved annotator layer stands in
    (bundle,) = bundles(approved, Lookups(approved))
    assert [(layer.username, layer.layer, len(layer.annotations)) for layer in bundle.layers] == [
        ("ann", "annotator", 5)
    ]


def test_aif_export_loads_in_arguebuf_with_the_same_structure(mapped, tmp_path):
    """5 I-nodes (2 claims, 2 evidence, the hedge), 2 supports and the qualification (RA), 1 attack (CA)
    survive arguebuf node for node; the speaker is one whole name; nothing is omitted."""
    response, body = _get(
        mapped.reviewer,
        f"/api/v1/documents/{mapped.document.pk}/export/?format=aif&annotator={mapped.annotator.pk}",
    )
    assert response.status_code == 200
    data = json.loads(body)
    assert {n["type"] for n in data["nodes"]} == {"I", "RA", "CA", "L", "YA"}
    (participant,) = data["participants"]
    assert {k: v for k, v in participant.items() if k != "participantID"} == {
        "firstname": "Jane Minister", "surname": "", "assay:name": "Jane Minister", "assay:kind": "government"}  # fmt: skip
    (locution,) = data["locutions"]
    l_node = next(n for n in data["nodes"] if n["type"] == "L")
    assert (
        l_node["text"] == "Jane Minister: The minister said 😀 it." and locution["nodeID"] == l_node["nodeID"]
    )
    assert data["assay"]["omitted"] == []
    path = tmp_path / "map.json"
    path.write_text(json.dumps(data))
    graph = arguebuf.load.file(path)
    atoms = {node.id: node for node in graph.atom_nodes.values()}
    i_nodes = {n["nodeID"]: n for n in data["nodes"] if n["type"] == "I"}
    assert set(atoms) == set(i_nodes)
    for node_id, atom in atoms.items():
        assert atom.plain_text == i_nodes[node_id]["text"]
    kinds = sorted(i_nodes[node_id]["assay:kind"] for node_id in atoms)
    assert kinds == ["claim", "claim", "evidence", "evidence", "hedge"]
    schemes = {n["nodeID"]: n for n in data["nodes"] if n["type"] in ("RA", "CA")}
    assert set(graph.scheme_nodes) == set(schemes)

    def links(name):
        return sorted(
            (atoms[next(iter(graph.incoming_edges(s))).source.id].plain_text, atoms[e.target.id].plain_text)
            for s in graph.scheme_nodes.values()
            if schemes[s.id]["scheme"] == name
            for e in graph.outgoing_edges(s)
        )

    assert links("Default Inference") == [
        ("Taxes rose 5%", "Experts say growth will follow"),
        ("😀", "The minister said 😀 it."),
    ]
    assert links("Default Conflict") == [("The minister said 😀 it.", "Experts say growth will follow")]
    assert links("Qualification") == [("Maybe", "The minister said 😀 it.")]


def test_web_annotation_selectors_use_code_points(mapped):
    """The emoji span is start 65, end 66 with its exact text, 32 code points of prefix and the suffix."""
    response, body = _get(
        mapped.reviewer, f"/api/v1/documents/{mapped.document.pk}/export/?format=web-annotation"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    data = json.loads(body)
    assert data["@context"] == ["http://www.w3.org/ns/anno.jsonld", {"assay": "urn:assay:vocabulary:"}]
    assert data["type"] == "AnnotationCollection" and data["total"] == 6
    emoji = next(
        item for item in data["first"]["items"] if item["id"].endswith(f"/annotations/{mapped.emoji.pk}/")
    )
    quote, position = emoji["target"]["selector"]
    assert position == {"type": "TextPositionSelector", "start": 65, "end": 66}
    assert quote == {"type": "TextQuoteSelector", "exact": "😀", "prefix": " will follow. The minister said ",
                     "suffix": " it.\u00a0Maybe cafe\u0301 now."}  # fmt: skip
    assert emoji["body"] == [{"type": "TextualBody", "purpose": "classifying", "value": "EVIDENCE"}]
    # The source is the document's text (what the selectors count over), not its JSON.
    assert emoji["target"]["source"].endswith(f"/api/v1/documents/{mapped.document.pk}/text/")


def test_csv_project_export_is_a_zip_of_spans_and_relations(mapped):
    """spans.csv has 6 rows (5 + gold), relations.csv 5 rows, with offsets and speaker names."""
    response, body = _get(mapped.reviewer, f"/api/v1/projects/{mapped.project.pk}/export/?format=csv")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == ["spans.csv", "relations.csv"]
    spans = list(csv.DictReader(io.StringIO(archive.read("spans.csv").decode())))
    assert len(spans) == 6
    assert (spans[3]["start"], spans[3]["end"], spans[3]["quote"], spans[3]["label"]) == (
        "65",
        "66",
        "😀",
        "EVIDENCE",
    )
    relations = list(csv.DictReader(io.StringIO(archive.read("relations.csv").decode())))
    assert [r["type"] for r in relations] == ["supports", "supports", "attacks", "qualifies", "attributed_to"]
    assert relations[-1]["speaker"] == "Jane Minister" and relations[-1]["target_span_id"] == ""


def test_aif_project_export_has_one_graph_per_layer_with_ids_unique_across_the_zip(mapped):
    """The project AIF export is a ZIP with document-<id>-<annotator or gold>.json: layers are never
    merged into one graph (no duplicate propositions), and no id repeats in any file of the ZIP."""
    response, body = _get(mapped.reviewer, f"/api/v1/projects/{mapped.project.pk}/export/?format=aif")
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == [
        f"document-{mapped.document.pk}-ann.json",
        f"document-{mapped.document.pk}-gold.json",
    ]
    graphs = [json.loads(archive.read(name)) for name in archive.namelist()]
    assert [g["assay"]["layer"] for g in graphs] == ["annotator", "gold"]
    assert [sum(n["type"] == "I" for n in g["nodes"]) for g in graphs] == [5, 1]
    ids = [n["nodeID"] for g in graphs for n in g["nodes"]] + [
        e["edgeID"] for g in graphs for e in g["edges"]
    ]
    ids += [p["participantID"] for g in graphs for p in g["participants"]]
    assert len(ids) == len(set(ids))


def test_aif_lists_what_it_leaves_out(mapped):
    """A span of an "other" label is not a proposition: it and a relation from it are listed in
    assay.omitted with the reason, never dropped silently."""
    from annotator.projects.models import Label
    from tests.factories import RelationFactory

    Label.objects.filter(project=mapped.project, code="HEDGE").update(kind="other")
    response, body = _get(
        mapped.reviewer,
        f"/api/v1/documents/{mapped.document.pk}/export/?format=aif&annotator={mapped.annotator.pk}",
    )
    omitted = json.loads(body)["assay"]["omitted"]
    relation = RelationFactory._meta.model.objects.get(source=mapped.maybe)
    assert omitted == [
        {
            "annotation": mapped.maybe.pk,
            "label": "HEDGE",
            "reason": "its label's kind (other) is not a proposition",
        },
        {
            "relation": relation.pk,
            "type": "qualifies",
            "reason": "an end of this relation is not a proposition in this graph",
        },
    ]


def test_export_permissions(mapped):
    """Outsiders 404; annotators get only their own layer and no gold; unknown format 400."""
    assert _get(mapped.outsider, f"/api/v1/projects/{mapped.project.pk}/export/")[0].status_code == 404
    response, body = _get(mapped.annotator, f"/api/v1/projects/{mapped.project.pk}/export/")
    layers = json.loads(body)["documents"][0]["layers"]
    assert [(layer["annotator"], layer["layer"]) for layer in layers] == [("ann", "annotator")]
    gold, _ = _get(mapped.annotator, f"/api/v1/projects/{mapped.project.pk}/export/?status=gold")
    assert gold.status_code == 403
    bad, body = _get(mapped.reviewer, f"/api/v1/projects/{mapped.project.pk}/export/?format=xml")
    assert bad.status_code == 400
    assert json.loads(body)["errors"] == {
        "format": ["Unknown export format 'xml'; use one of native, aif, web-annotation, csv."]
    }


def test_export_job_writes_a_downloadable_file(
    mapped, settings, tmp_path, django_capture_on_commit_callbacks
):
    """POST starts a job (run in-process here); the job's result_url downloads the same native JSON."""
    settings.MEDIA_ROOT = tmp_path
    client = APIClient()
    client.force_authenticate(mapped.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/api/v1/projects/{mapped.project.pk}/export/", {"format": "native"}, format="json"
        )
    assert started.status_code == 202
    job = client.get(f"/api/v1/jobs/{started.json()['id']}/").json()
    assert job["state"] == "succeeded" and job["progress"] == 100
    assert job["counts"]["annotations"] == 6 and job["counts"]["relations"] == 5
    download = client.get(job["result_url"])
    data = json.loads(b"".join(download.streaming_content))
    assert data["schema"] == "assay.argument-map/1" and len(data["documents"][0]["layers"]) == 2


def test_aif_graph_ids_are_unique(mapped):
    """Every node and edge id is distinct."""
    selection = ExportSelection(project=mapped.project)
    lookups = Lookups(selection)
    (bundle,) = bundles(selection, lookups)
    graph = document_graph(bundle, lookups)
    ids = [n["nodeID"] for n in graph["nodes"]] + [e["edgeID"] for e in graph["edges"]]
    assert len(ids) == len(set(ids))


def test_web_annotation_body_carries_subtype_and_note(mapped):
    """A span with subtype and note gets three bodies: label (classifying), subtype (tagging), note (commenting)."""
    from annotator.projects.models import LabelSubtype

    mapped.taxes.subtype = LabelSubtype.objects.get(label=mapped.taxes.label, code="statistic")
    mapped.taxes.note = "Official figures."
    mapped.taxes.save(update_fields=["subtype", "note"])
    _, body = _get(mapped.reviewer, f"/api/v1/documents/{mapped.document.pk}/export/?format=web-annotation")
    items = json.loads(body)["first"]["items"]
    taxes = next(item for item in items if item["id"].endswith(f"/annotations/{mapped.taxes.pk}/"))
    assert taxes["body"] == [
        {"type": "TextualBody", "purpose": "classifying", "value": "EVIDENCE"},
        {"type": "TextualBody", "purpose": "tagging", "value": "statistic"},
        {"type": "TextualBody", "purpose": "commenting", "value": "Official figures."},
    ]
    assert taxes["target"]["selector"][0]["exact"] == "Taxes rose 5%"
    assert taxes["target"]["selector"][0]["prefix"] == ""


def test_aif_of_a_seed_document_loads_in_arguebuf_with_the_same_counts(tmp_path):
    """The gold layer of seed document 000 (Voice of East): 8 claims, 3 evidence, 3 hedges, 2 opinions,
    2 supports and 1 attack in the database; arguebuf reads the same 16 I-nodes (opinions marked as such),
    the supports and qualifications as Support and the attack as Attack."""
    from django.core.management import call_command

    from annotator.annotations.models import Annotation, Relation
    from annotator.documents.models import Document

    for command in ("load_seeds", "create_demo_users", "load_sample_layer"):
        call_command(command, stdout=io.StringIO())
    document = Document.objects.get(source__name="Voice of East")
    gold = Annotation.objects.filter(document=document, layer="gold")
    assert (
        sorted(gold.values_list("label__code", flat=True))
        == ["CLAIM"] * 8 + ["EVIDENCE"] * 3 + ["HEDGE"] * 3 + ["OPINION"] * 2
    )
    links = Relation.objects.filter(document=document, layer="gold")
    assert (links.filter(type="supports").count(), links.filter(type="attacks").count()) == (2, 1)
    reviewer = gold.first().annotator
    response, body = _get(reviewer, f"/api/v1/documents/{document.pk}/export/?format=aif&status=gold")
    assert response.status_code == 200
    data = json.loads(body)
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    graph = arguebuf.load.file(path)
    labels = sorted(data["assay"]["spans"][node_id]["label"] for node_id in graph.atom_nodes)
    assert labels == ["CLAIM"] * 8 + ["EVIDENCE"] * 3 + ["HEDGE"] * 3 + ["OPINION"] * 2
    qualifies = links.filter(type="qualifies").count()
    schemes = sorted(type(node.scheme).__name__ for node in graph.scheme_nodes.values())
    assert schemes == ["Attack"] + ["Support"] * (2 + qualifies)
    opinions = [n for n in data["nodes"] if n.get("assay:kind") == "opinion"]
    assert len(opinions) == 2


def test_csv_raw_quote_column_and_bom(mapped):
    """quote is formula-safe for spreadsheets ('-), quote_raw is text[start:end] exactly; bom=true
    starts each file with a UTF-8 BOM, and without it there is none."""
    from annotator.annotations.models import Annotation
    from tests.factories import DocumentFactory

    document = DocumentFactory(project=mapped.project, text="-5% growth =SUM(A1) @home")
    minus = Annotation.objects.create(project=mapped.project, document=document, annotator=mapped.annotator,
                                      start=0, end=10, quote="-5% growth", label=mapped.growth.label)  # fmt: skip
    url = f"/api/v1/documents/{document.pk}/export/?format=csv"
    _, plain = _get(mapped.reviewer, url)
    spans_bytes = zipfile.ZipFile(io.BytesIO(plain)).read("spans.csv")
    assert not spans_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(spans_bytes.decode())))
    assert [(r["span_id"], r["quote"], r["quote_raw"]) for r in rows] == [
        (str(minus.pk), "'-5% growth", "-5% growth")
    ]
    assert document.text[int(rows[0]["start"]) : int(rows[0]["end"])] == rows[0]["quote_raw"]
    _, with_bom = _get(mapped.reviewer, url + "&bom=true")
    archive = zipfile.ZipFile(io.BytesIO(with_bom))
    for name in ("spans.csv", "relations.csv"):
        assert archive.read(name).startswith(b"\xef\xbb\xbf"), name
    assert archive.read("spans.csv").decode("utf-8-sig") == spans_bytes.decode()
    response, _ = _get(mapped.reviewer, url + "&bom=maybe")
    assert response.json()["errors"] == {"bom": ["bom must be true or false, not 'maybe'."]}


# Terms of the W3C Web Annotation vocabulary this export uses; anything else must be an assay: term.
W3C_TERMS = {
    "@context", "id", "type", "label", "total", "first", "items", "partOf", "startIndex", "motivation", "created",
    "modified", "creator", "nickname", "body", "target", "source", "selector", "value", "purpose", "exact",
    "prefix", "suffix", "start", "end",
}  # fmt: skip


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            if key != "@context":
                yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_web_annotation_meets_the_w3c_musts(mapped):
    """Collection and page have ids and types, the page lists items and its collection, every
    annotation has an id, a type and a target whose source serves the text the selectors count over,
    and every term is W3C's or declared by the @context (assay:)."""
    client = APIClient()
    client.force_authenticate(mapped.reviewer)
    response = client.get(f"/api/v1/projects/{mapped.project.pk}/export/?format=web-annotation")
    data = json.loads(b"".join(response.streaming_content))
    collection = (
        f"http://testserver/api/v1/projects/{mapped.project.pk}/export/?format=web-annotation&status=all"
    )
    assert (data["id"], data["type"]) == (collection, "AnnotationCollection")
    page = data["first"]
    assert (page["id"], page["type"], page["partOf"], page["startIndex"]) == (
        f"{collection}#page-1", "AnnotationPage", collection, 0)  # fmt: skip
    assert len(page["items"]) == data["total"] == 6
    ids = [item["id"] for item in page["items"]]
    assert len(set(ids)) == len(ids)
    for item in page["items"]:
        assert item["type"] == "Annotation" and item["target"]["source"]
    unknown = {key for key in _keys(data) if key not in W3C_TERMS and not key.startswith("assay:")}
    assert unknown == set()
    assert "assay" in data["@context"][1]
    source = page["items"][0]["target"]["source"]
    text = client.get(source.removeprefix("http://testserver"))
    assert text.status_code == 200 and text["Content-Type"] == "text/plain; charset=utf-8"
    body = text.content.decode()
    for item in page["items"]:
        quote, position = item["target"]["selector"]
        assert body[position["start"] : position["end"]] == quote["exact"]


def test_document_text_endpoint_is_for_members_only(mapped):
    """The plain text answers with an ETag (304 on a match); a non-member gets 404."""
    client = APIClient()
    client.force_authenticate(mapped.annotator)
    url = f"/api/v1/documents/{mapped.document.pk}/text/"
    response = client.get(url)
    assert response.content.decode() == mapped.document.text
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    client.force_authenticate(mapped.outsider)
    assert client.get(url).status_code == 404
