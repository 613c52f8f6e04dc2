"""The demo's propositions (seeds/sample_propositions.json) over the sample layer."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from annotator.propositions.models import EvidenceProvenance, Proposition, ProvenanceKind
from annotator.propositions.selectors import source_figures

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"


def test_every_span_of_the_file_reads_its_quote_in_the_seed_text():
    data = json.loads((SEEDS / "sample_propositions.json").read_text(encoding="utf-8"))
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
