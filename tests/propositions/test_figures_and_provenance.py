"""Evidence provenance rules, and the per-source figures on a hand-built corpus where one outlet
repeats one unsupported proposition in five documents and cites itself."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError
from annotator.projects.models import Role
from annotator.propositions.models import EvidenceProvenance, ProvenanceKind
from annotator.propositions.provenance import provenance_set, provenance_suggest
from annotator.propositions.selectors import source_figures, source_map
from annotator.propositions.services import links_create, proposition_create
from annotator.reviews.services import assignment_submit
from tests.factories import (
    AnnotationFactory,
    AuthorFactory,
    DocumentFactory,
    ProjectFactory,
    RelationFactory,
    SourceFactory,
    member,
)
from tests.propositions.conftest import seed_file_text

pytestmark = pytest.mark.django_db

CLAIM = "The regime passively facilitated the strike."
EARLIER = "Pakistan Might Be About To Launch A 'Special Military Operation' In Afghanistan"


def _span(document, user, phrase, code, layer=Layer.GOLD):
    start = document.text.index(phrase)
    return AnnotationFactory(document=document, annotator=user, layer=layer, start=start,
                             end=start + len(phrase), label_code=code)  # fmt: skip


def _supports(evidence, claim):
    return RelationFactory(source=evidence, target=claim, type="supports")


@pytest.fixture
def corpus():
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    korybko, other_author = AuthorFactory(name="A. Writer"), AuthorFactory(name="B. Reporter")
    outlet = SourceFactory(name="Outlet A", domain="outlet-a.example")
    wire = SourceFactory(name="Wire B", domain="wire-b.example")
    first = DocumentFactory(project=project, source=outlet, title=EARLIER,
                            text=f"{CLAIM} Officials confirmed the flight logs in a published report.")  # fmt: skip
    first.authors.set([korybko])
    repeats = []
    for n in range(2, 6):
        text = f"Piece {n}. {CLAIM} Like was mentioned earlier in this analysis, it is obvious."
        doc = DocumentFactory(project=project, source=outlet, title=f"Piece {n}", text=text)
        doc.authors.set([korybko])
        repeats.append(doc)
    elsewhere = DocumentFactory(project=project, source=wire, title="Wire copy",
                                text="Troops moved north. Satellite images show the convoy.")  # fmt: skip
    elsewhere.authors.set([other_author])
    return {"project": project, "reviewer": reviewer, "outlet": outlet, "wire": wire, "first": first,
            "repeats": repeats, "elsewhere": elsewhere}  # fmt: skip


def _annotate(c):
    user = c["reviewer"]
    claims = [_span(c["first"], user, CLAIM, "CLAIM")]
    other = _span(c["first"], user, "Officials confirmed the flight logs", "CLAIM")
    external = _span(c["first"], user, "in a published report", "EVIDENCE")
    _supports(external, other)
    provenance_set(span=external, kind=ProvenanceKind.EXTERNAL_PRIMARY, user=user)
    for doc in c["repeats"]:
        claim = _span(doc, user, CLAIM, "CLAIM")
        evidence = _span(doc, user, "Like was mentioned earlier in this analysis", "EVIDENCE")
        _supports(evidence, claim)
        suggestion = provenance_suggest(span=evidence)
        provenance_set(span=evidence, kind=suggestion["kind"], user=user)
        claims.append(claim)
    proposition = proposition_create(project=c["project"], text=CLAIM, user=user, spans=claims)
    wire_claim = _span(c["elsewhere"], user, "Troops moved north", "CLAIM")
    _supports(_span(c["elsewhere"], user, "Satellite images show the convoy", "EVIDENCE"), wire_claim)
    return proposition, claims


def test_figures_count_propositions_not_repetitions_and_ignore_self_citation(corpus):
    """Outlet A: 6 claim spans, 2 distinct propositions (P five times, one other claim), repetition
    rate 1 - 2/6; only the other claim has non-self evidence: supported share 1/2, where a per-claim
    count that trusts self-citation would say 5/6."""
    _annotate(corpus)
    rows = {r["name"]: r for r in source_figures(project_id=corpus["project"].pk)}
    a = rows["Outlet A"]
    assert (a["documents"], a["claim_spans"], a["propositions"], a["repeated_propositions"]) == (5, 6, 2, 1)
    assert a["repetition_rate"] == pytest.approx(1 - 2 / 6)
    assert (a["supported_propositions"], a["supported_share"]) == (1, 0.5)
    assert a["naive_supported_share"] == pytest.approx(5 / 6)
    assert a["self_citations"] == 4
    b = rows["Wire B"]
    assert (b["claim_spans"], b["propositions"], b["repetition_rate"], b["supported_share"]) == (1, 1, 0, 1.0)
    by_author = {r["name"]: r for r in source_figures(project_id=corpus["project"].pk, kind="author")}
    writer = by_author["A. Writer"]
    assert (writer["claim_spans"], writer["propositions"], writer["supported_propositions"]) == (6, 2, 1)
    assert by_author["B. Reporter"]["claim_spans"] == 1


def test_one_external_source_for_any_occurrence_supports_the_proposition_for_the_outlet(corpus):
    proposition, claims = _annotate(corpus)
    evidence = _span(corpus["repeats"][0], corpus["reviewer"], "it is obvious", "EVIDENCE")
    _supports(evidence, claims[1])
    provenance_set(span=evidence, kind=ProvenanceKind.EXTERNAL_SECONDARY, user=corpus["reviewer"])
    a = next(r for r in source_figures(project_id=corpus["project"].pk) if r["name"] == "Outlet A")
    assert (a["supported_propositions"], a["supported_share"]) == (2, 1.0)


def test_the_source_map_aggregates_support_over_documents(corpus):
    proposition, _ = _annotate(corpus)
    graph = source_map(project_id=corpus["project"].pk, source_id=corpus["outlet"].pk)
    assert [(n["id"], n["spans"], n["documents"]) for n in graph["nodes"]] == [(proposition.pk, 5, 5)]
    assert [(e["from"], e["to"], e["type"], e["documents"], e["self_citations"]) for e in graph["edges"]] == [
        (None, proposition.pk, "supports", 4, 4)
    ]


def test_without_gold_a_document_counts_as_the_mean_of_its_submitted_readers(corpus):
    """The credibility scores' unit rule. Outlet A's first piece has gold (claim P); piece 2 has no
    gold but two submitted readers: one marks P and another claim, the other marks P, supported by a
    self-citation; a third reader still in progress marks more and is not counted. Piece 2 adds
    (2 + 1) / 2 = 1.5 claim spans, P (stated by both readers) once, the unlinked claim with weight 1/2
    (one reader of two): n = 2.5, k = 1.5, repetition 1 - 1.5/2.5 = 0.4, supported 0, self-citations
    1/2. A per-claim count over every layer would say 5 claims."""
    c, project = corpus, corpus["project"]
    first, second = c["first"], c["repeats"][0]
    gold = _span(first, c["reviewer"], CLAIM, "CLAIM")
    proposition = proposition_create(project=project, text=CLAIM, user=c["reviewer"], spans=[gold])
    one, two, late = (member(project, Role.ANNOTATOR) for _ in range(3))
    stated = [_span(second, reader, CLAIM, "CLAIM", layer=Layer.ANNOTATOR) for reader in (one, two)]
    _span(second, one, "it is obvious", "CLAIM", layer=Layer.ANNOTATOR)
    cited = _span(
        second, two, "Like was mentioned earlier in this analysis", "EVIDENCE", layer=Layer.ANNOTATOR
    )
    _supports(cited, stated[1])
    provenance_set(span=cited, kind=ProvenanceKind.SELF_CITATION, user=two)
    for reader, span in zip((one, two), stated, strict=True):
        links_create(proposition=proposition, spans=[span], user=reader)
        assignment_submit(document=second, annotator=reader)
    _span(second, late, "it is obvious", "CLAIM", layer=Layer.ANNOTATOR)
    _span(second, late, "Piece 2", "CLAIM", layer=Layer.ANNOTATOR)

    a = next(r for r in source_figures(project_id=project.pk) if r["name"] == "Outlet A")
    assert (a["documents"], a["claim_spans"], a["propositions"], a["repeated_propositions"]) == (
        2,
        2.5,
        1.5,
        1,
    )
    assert a["repetition_rate"] == pytest.approx(0.4)
    assert (a["supported_propositions"], a["supported_share"]) == (0, 0)
    assert a["naive_supported_share"] == pytest.approx(0.5 / 2.5)
    assert a["self_citations"] == 0.5
    graph = source_map(project_id=project.pk, source_id=c["outlet"].pk)
    assert [(n["id"], n["spans"], n["documents"], n["span_ids"]) for n in graph["nodes"]] == [
        (proposition.pk, 2, 2, [gold.pk, stated[0].pk, stated[1].pk])
    ]
    assert [(e["type"], e["relations"], e["self_citations"]) for e in graph["edges"]] == [
        ("supports", 0.5, 0.5)
    ]
    # Once the reviewer builds gold for piece 2, gold alone counts there.
    _span(second, c["reviewer"], CLAIM, "CLAIM")
    a = next(r for r in source_figures(project_id=project.pk) if r["name"] == "Outlet A")
    assert (a["claim_spans"], a["propositions"], a["self_citations"]) == (2, 2, 0)


def test_self_reference_wording_suggests_self_citation(corpus):
    evidence = _span(corpus["repeats"][0], corpus["reviewer"], "it is obvious", "EVIDENCE")
    suggestion = provenance_suggest(span=evidence)
    assert suggestion["kind"] == ProvenanceKind.SELF_CITATION
    assert suggestion["reason"] == (
        "The sentence refers back to the author's own text: 'like was mentioned earlier in this analysis'."
    )


def test_a_cited_title_by_the_same_author_is_a_self_citation_and_by_others_secondary(corpus):
    cites = DocumentFactory(project=corpus["project"], source=corpus["wire"],
                            text=f"As argued in “{EARLIER.replace(chr(39), '’')}”, war looms.")  # fmt: skip
    cites.authors.set(list(corpus["first"].authors.all()))
    evidence = _span(cites, corpus["reviewer"], "As argued in", "EVIDENCE")
    suggestion = provenance_suggest(span=evidence)
    assert (suggestion["kind"], suggestion["cited_document"]) == (
        ProvenanceKind.SELF_CITATION,
        corpus["first"].pk,
    )
    assert (
        suggestion["reason"]
        == f"It cites document {corpus['first'].pk} ({EARLIER!r}), a project document by the same author."
    )
    cites.authors.set([AuthorFactory()])
    suggestion = provenance_suggest(span=evidence)
    assert (suggestion["kind"], suggestion["cited_document"]) == (
        ProvenanceKind.EXTERNAL_SECONDARY,
        corpus["first"].pk,
    )


def test_a_link_to_the_outlets_own_site_is_a_self_citation_and_plain_evidence_gets_no_suggestion(corpus):
    doc = DocumentFactory(project=corpus["project"], source=corpus["outlet"],
                          text="See https://www.outlet-a.example/2022/08/piece for details. Logs were published.")  # fmt: skip
    linked = _span(doc, corpus["reviewer"], "See https://www.outlet-a.example/2022/08/piece", "EVIDENCE")
    assert provenance_suggest(span=linked)["kind"] == ProvenanceKind.SELF_CITATION
    plain = _span(corpus["elsewhere"], corpus["reviewer"], "Satellite images show the convoy", "EVIDENCE")
    assert provenance_suggest(span=plain) is None


def test_provenance_is_for_evidence_only_in_the_service_and_the_database(corpus):
    claim = _span(corpus["first"], corpus["reviewer"], CLAIM, "CLAIM")
    with pytest.raises(ApplicationError) as exc:
        provenance_set(span=claim, kind=ProvenanceKind.ANONYMOUS, user=corpus["reviewer"])
    assert exc.value.errors == {"span": [f"Span {claim.pk} is a claim span; provenance is for evidence."]}
    evidence = _span(corpus["first"], corpus["reviewer"], "in a published report", "EVIDENCE")
    with pytest.raises(ApplicationError, match="Unknown provenance 'made_up'"):
        provenance_set(span=evidence, kind="made_up", user=corpus["reviewer"])
    with pytest.raises(IntegrityError, match="provenance_on_evidence"), transaction.atomic():
        EvidenceProvenance.objects.create(annotation=claim, project=corpus["project"], kind="anonymous")


def test_the_seed_wording_in_004_is_suggested_as_self_citation(db):
    """Seed 004: "…accused Pakistan of being an American military proxy like was mentioned earlier in this analysis"."""
    from annotator.documents.seeds import seeds_load

    project = seeds_load().project
    reviewer = member(project, Role.REVIEWER)
    text = seed_file_text("004_f998963fd164dc02.txt")
    document = project.documents.get(text=text)
    phrase = "the Taliban’s Defense Minister accused Pakistan of being an American military proxy"
    start = text.index(phrase)
    assert start == 10404
    evidence = AnnotationFactory(document=document, annotator=reviewer, layer=Layer.GOLD, start=start,
                                 end=start + len(phrase), label_code="EVIDENCE")  # fmt: skip
    suggestion = provenance_suggest(span=evidence)
    assert suggestion["kind"] == ProvenanceKind.SELF_CITATION
    assert "like was mentioned earlier in this analysis" in suggestion["reason"]
