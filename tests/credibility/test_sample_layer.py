"""The demo sample layer: file consistency, prerequisites, loading, idempotency, the figures it yields."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotator.annotations.models import Annotation, Relation
from annotator.credibility.models import SourceScore
from annotator.demo.sample_build import sample_layer_build
from annotator.documents.models import Document
from annotator.reviews.models import Assignment

SEEDS = Path(settings.BASE_DIR) / "seeds"
SAMPLE = SEEDS / "sample_layer.json"


def with_speculation(labels: list[dict]) -> list[dict]:
    """The file's labels plus the HEDGE subtype "speculation" that the default taxonomy gained
    after the file was built (issue 13); seeds are never altered, so the file predates it."""
    out = json.loads(json.dumps(labels))
    for label in out:
        if label["code"] == "HEDGE":
            label["subtypes"].append({"code": "speculation", "name": "Speculation"})
    return out


def test_the_file_is_what_the_builder_makes_and_every_quote_matches_its_offsets():
    """seeds/sample_layer.json equals a fresh build from annotator/demo/sample_spec.json, and for every span
    quote == text[start:end] in code points; each layer has 8 to 17 spans."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    built = sample_layer_build(seed_dir=SEEDS)
    assert built["labels"] == with_speculation(data["labels"])
    assert {**data, "labels": built["labels"]} == built
    for doc in data["documents"]:
        text = (
            SEEDS
            / next(
                e["file"]
                for e in json.loads((SEEDS / "manifest.json").read_text())["documents"]
                if e["sha256"] == doc["content_hash"]
            )
        ).read_text(encoding="utf-8")
        assert doc["text"] == text
        assert [layer["annotator"] for layer in doc["layers"]] == ["reviewer", "annotator1", "annotator2"]
        for layer in doc["layers"]:
            assert 8 <= len(layer["annotations"]) <= 17
            for a in layer["annotations"]:
                assert text[a["start"] : a["end"]] == a["quote"]


def test_no_break_spaces_are_kept_in_quotes():
    """In the first seed document the Kabulov quote spans a U+00A0, which the quote keeps."""
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    gold = data["documents"][0]["layers"][0]["annotations"]
    assert any("\u00a0" in a["quote"] for a in gold)


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_needs_the_seeds_first():
    """Without load_seeds the command stops with a clear message and writes nothing."""
    with pytest.raises(CommandError, match=r"No project 'demo': run `python manage.py load_seeds` before"):
        run("load_sample_layer")
    assert not Annotation.objects.exists()


@pytest.mark.django_db
def test_needs_the_demo_users():
    """With the seeds but without create_demo_users it names the missing users."""
    run("load_seeds")
    with pytest.raises(
        CommandError, match=r"annotator1, annotator2, reviewer missing: run .*create_demo_users"
    ):
        run("load_sample_layer")


@pytest.mark.django_db
def test_loads_once_then_changes_nothing_and_scores_the_outlets():
    """The first run loads 15 layers (5 documents x reviewer gold + 2 submitted annotator layers),
    the second skips all 15. Scores use gold: Voice of East and Global Village Space by name,
    the three documents without outlet under "Unknown outlet", Andrew Korybko across two
    outlets, and "Unnamed observers" quoted across outlets."""
    run("load_seeds")
    run("create_demo_users")
    first = run("load_sample_layer")
    assert "15 layer(s) loaded (225 spans, 137 relations), 0 already present" in first
    assert Annotation.objects.count() == 225 and Relation.objects.count() == 137
    states = sorted(set(Assignment.objects.values_list("annotator__username", "state")))
    assert states == [("annotator1", "submitted"), ("annotator2", "submitted")]
    assert Assignment.objects.count() == 10
    second = run("load_sample_layer")
    assert "0 layer(s) loaded (0 spans, 0 relations), 15 already present" in second
    assert Annotation.objects.count() == 225

    scores = {(s.kind, s.entity_name): s for s in SourceScore.objects.all()}
    voice = scores[("outlet", "Voice of East")]
    # doc 000 gold: claims c1-c8, evidence e1-e3, opinions o1-o2, hedges h1-h3; c2 and e1 are
    # Zamir Kabulov's, e3 the Russian government's: reported, not the writer's own.
    assert (voice.layer, voice.documents, voice.claims, voice.evidence, voice.opinions, voice.hedges) == (
        "gold",
        1,
        7,
        1,
        2,
        3,
    )
    assert (voice.reported_claims, voice.reported_evidence) == (1, 2)
    # supported: c1 (by e3, a quoted source backing the writer); c4 is attacked by e2;
    # qualified: c4, c7 (c2 is reported)
    assert (voice.supported_claims, voice.attacked_claims, voice.qualified_claims) == (1, 1, 2)
    # One document per named outlet: too little data (no rank, no point in the charts); its
    # words are the body words of doc 000, the manifest's boilerplate regions left out.
    assert voice.small_sample and voice.small_sample_reason.startswith("1 scored document(s), fewer than 3")
    doc000 = Document.objects.get(provenance__file="000_3ebc57de493f7aab.txt")
    assert voice.words == doc000.body_word_count < doc000.word_count
    # Kabulov's c2 rests only on his own e1: circular, so not supported.
    kabulov = scores[("speaker", "Zamir Kabulov")]
    assert (kabulov.evidence, kabulov.supported_claims) == (1, 0)
    unknown = scores[("outlet", "Unknown outlet")]
    assert (unknown.entity_id, unknown.documents, unknown.layer) == (0, 3, "gold")
    assert scores[("author", "Andrew Korybko")].documents == 2
    assert scores[("author", "Unknown author")].documents == 3
    observers = scores[("speaker", "Unnamed observers")]
    assert (observers.documents, observers.claims) == (3, 3)
    assert scores[("speaker", "Zamir Kabulov")].claims == 1


def _comparable(data: dict) -> list:
    """Per document (by content hash): metadata and, per layer, the spans and relations
    with file-local ids replaced by the span's position, so two files can be compared."""
    out = []
    for doc in sorted(data["documents"], key=lambda d: d["content_hash"]):
        layers = []
        for layer in sorted(doc["layers"], key=lambda lay: (lay["annotator"], lay["layer"])):
            spans = sorted(layer["annotations"], key=lambda a: (a["start"], a["end"], a["label"]))
            position = {a["id"]: i for i, a in enumerate(spans)}
            layers.append((
                layer["annotator"], layer["layer"], layer["state"],
                [(a["start"], a["end"], a["quote"], a["label"], a["subtype"], a["status"]) for a in spans],
                sorted(
                    (r["type"], position[r["source"]], position.get(r["target"]), r["speaker"], r["status"])
                    for r in layer["relations"]
                ),
            ))  # fmt: skip
        meta = {k: doc[k] for k in ("title", "url", "published_on", "source", "authors", "language", "text")}
        out.append((doc["content_hash"], meta, layers))
    return out


@pytest.mark.django_db
def test_the_file_is_the_native_export_of_what_it_loads():
    """Loaded, then exported with the native exporter, the demo project gives back the same
    schema, labels, speakers, document metadata, layers, spans and relations as the file."""
    from annotator.interchange.exporters.native import NativeExporter
    from annotator.interchange.selection import ExportSelection
    from annotator.projects.models import Project

    run("load_seeds")
    run("create_demo_users")
    run("load_sample_layer")
    selection = ExportSelection(project=Project.objects.get(slug="demo"))
    exported = json.loads(b"".join(NativeExporter.stream(selection)))
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert exported["schema"] == data["schema"] == "assay.argument-map/1"
    assert exported["project"] == data["project"]
    assert exported["labels"] == with_speculation(data["labels"])
    assert exported["speakers"] == data["speakers"]
    assert _comparable(exported) == _comparable(data)


@pytest.mark.django_db
def test_the_demo_dashboard_names_the_manifests_outlets_and_the_unknown_rows():
    """After make run's loaders, a reviewer's dashboard lists the manifest's outlets (Voice of
    East, Global Village Space) and the explicit "Unknown outlet" (3 documents); the author
    table has Andrew Korybko and "Unknown author"; the page names the layer chain of the setting."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotator.projects.models import Project

    run("load_seeds")
    run("create_demo_users")
    run("load_sample_layer")
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    outlets = {d["outlet"]["name"] for d in manifest["documents"] if d["outlet"]}
    assert outlets == {"Voice of East", "Global Village Space"}
    client = Client()
    client.force_login(get_user_model().objects.get(username="reviewer"))
    project = Project.objects.get(slug="demo")
    html = client.get("/sources/", {"project": project.pk, "kind": "outlet"}).content.decode()
    for name in (*outlets, "Unknown outlet"):
        assert f">{name}</span>" in html
    assert "layers counted (setting “gold (adjudicated)”): gold, else approved, else submitted" in html
    assert '<span class="unknown">Unknown outlet</span>' in html
    unknown = SourceScore.objects.get(project=project, kind="outlet", entity_id=0)
    assert f">{unknown.scored_documents}</a> / {unknown.documents}</td>" in html and unknown.documents == 3
    authors = client.get("/sources/", {"project": project.pk, "kind": "author"}).content.decode()
    assert ">Andrew Korybko</span>" in authors and '<span class="unknown">Unknown author</span>' in authors
