"""The demo's propositions (annotator/propositions/sample_propositions.json) over the sample layer:
all gold, and as a first `make run` leaves it (the demo workflow: gold on 000 and 001 only)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.projects.models import Project
from annotator.propositions.models import EvidenceProvenance, Proposition, PropositionLink, ProvenanceKind
from annotator.propositions.sample import SAMPLE_PATH
from annotator.propositions.selectors import source_figures
from annotator.reviews.models import Assignment

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"


def test_every_span_of_the_file_reads_its_quote_in_the_seed_text():
    data = json.loads((SAMPLE_PATH).read_text(encoding="utf-8"))
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    texts = {e["sha256"]: (SEEDS / e["file"]).read_text(encoding="utf-8") for e in manifest["documents"]}
    refs = (
        data["spans"]
        + [s for p in data["propositions"] for s in p["spans"]]
        + [p["span"] for p in data["provenance"]]
    )
    refs += [r[end] for r in data["relations"] for end in ("source", "target")]
    for ref in refs:
        assert texts[ref["document"]][ref["start"] : ref["end"]] == ref["quote"]


def test_it_needs_the_sample_layer_first():
    call_command("load_seeds", stdout=StringIO())
    call_command("create_demo_users", stdout=StringIO())
    with pytest.raises(CommandError, match="run load_sample_layer first"):
        call_command("load_sample_propositions", stdout=StringIO())


def test_the_demo_links_the_repeated_statements_and_marks_the_self_citation():
    for command in ("load_seeds", "create_demo_users", "load_sample_layer"):
        call_command(command, stdout=StringIO())
    out = StringIO()
    call_command("load_sample_propositions", stdout=out)
    assert (
        out.getvalue()
        .strip()
        .endswith(
            "2 proposition(s), 6 link(s), 2 span(s), 1 relation(s), 1 provenance mark(s) added to Demo: geopolitical commentary."
        )
    )
    drone, manageable = Proposition.objects.order_by("id")
    assert sorted(link.document.provenance["file"][:3] for link in drone.links.all()) == [
        "000",
        "002",
        "003",
        "004",
    ]
    assert sorted(link.document.provenance["file"][:3] for link in manageable.links.all()) == ["002", "004"]
    (mark,) = EvidenceProvenance.objects.all()
    assert mark.kind == ProvenanceKind.SELF_CITATION
    assert mark.annotation.quote.startswith("Pakistan Might Be About To Launch")
    assert mark.cited_document.provenance["file"].startswith("003")
    korybko = next(
        r for r in source_figures(project_id=drone.project_id, kind="author") if r["name"] == "Andrew Korybko"
    )
    assert (
        korybko["documents"],
        korybko["claim_spans"],
        korybko["propositions"],
        korybko["self_citations"],
    ) == (2, 16, 15, 1)
    again = StringIO()
    call_command("load_sample_propositions", stdout=again)
    assert "0 proposition(s), 0 link(s), 0 span(s), 0 relation(s), 0 provenance mark(s)" in again.getvalue()


def _run(*command) -> str:
    out = StringIO()
    call_command(*command, stdout=out)
    return out.getvalue().strip()


def test_a_first_make_run_links_the_readers_layers_and_the_figures_show_the_repeats(client):
    """The demo workflow leaves 002-004 without gold, so the file's statements are linked in their
    readers' layers (002: two submitted; 003: one submitted, one in progress; 004: sent back and in
    progress) and in 000's gold; the figures count each document by the credibility rule (gold, else
    the mean of its submitted readers): Andrew Korybko (000 gold, 002 two readers) has 16.5 claim
    spans, 15.5 distinct propositions (the drone strike stated in both), one self-citation."""
    for command in ("load_seeds", "create_demo_users"):
        _run(command)
    _run("load_sample_layer", "--demo-workflow")
    states = sorted(Assignment.objects.values_list("pk", "state", "version"))
    assert _run("load_sample_propositions").endswith(
        "2 proposition(s), 11 link(s), 4 span(s), 2 relation(s), 2 provenance mark(s) added to Demo: geopolitical commentary."
    )
    drone, manageable = Proposition.objects.order_by("id")

    def where(proposition):
        return sorted(
            (link.document.provenance["file"][:3], link.layer, link.annotator.username if link.layer == "annotator" else "")
            for link in PropositionLink.objects.filter(proposition=proposition).select_related("document", "annotator")
        )  # fmt: skip

    readers = [("annotator", "annotator1"), ("annotator", "annotator2")]
    assert where(drone) == [("000", "gold", "")] + [(f, *r) for f in ("002", "003", "004") for r in readers]
    assert where(manageable) == [(f, *r) for f in ("002", "004") for r in readers]
    marks = EvidenceProvenance.objects.select_related("annotation__annotator", "cited_document").order_by(
        "annotation_id"
    )
    assert [(m.kind, m.annotation.layer, m.annotation.annotator.username, m.annotation.document.provenance["file"][:3],
             m.cited_document.provenance["file"][:3]) for m in marks] == [
        (ProvenanceKind.SELF_CITATION, "annotator", "annotator1", "002", "003"),
        (ProvenanceKind.SELF_CITATION, "annotator", "annotator2", "002", "003"),
    ]  # fmt: skip
    assert (
        sorted(Assignment.objects.values_list("pk", "state", "version")) == states
    )  # review states untouched

    project = Project.objects.get(slug="demo")
    korybko = next(
        r for r in source_figures(project_id=project.pk, kind="author") if r["name"] == "Andrew Korybko"
    )
    assert (korybko["documents"], korybko["claim_spans"], korybko["propositions"], korybko["repeated_propositions"],
            korybko["supported_propositions"], korybko["self_citations"]) == (2, 16.5, 15.5, 1, 3.5, 1)  # fmt: skip
    assert korybko["repetition_rate"] == pytest.approx(1 - 15.5 / 16.5)

    client.force_login(get_user_model().objects.get(username="reviewer"))
    page = client.get(f"/propositions/{project.pk}/")
    assert page.status_code == 200
    row = page.content.decode().split(">Andrew Korybko</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]] == [
        "2", "16.5", "15.5", "6%", "3.5 of 15.5 (23%)", "21%", "1"
    ]  # fmt: skip
    view = client.get(f"/propositions/{project.pk}/p/{drone.pk}/").content.decode()
    assert "Stated 7 times in 4 documents by Global Village Space, Voice of East." in view
    assert _run("load_sample_propositions").startswith(
        "Sample propositions: 0 proposition(s), 0 link(s), 0 span(s), 0 relation(s), 0 provenance mark(s)"
    )
