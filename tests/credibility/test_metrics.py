"""Every figure of the hand-built corpus (tests/credibility/corpus.py), worked out by hand
(clustered intervals through the independent computation in test_units_and_intervals).

z = 1.959964, z² = 3.841459. Wilson for s successes in n trials, p = s/n:
    centre = (p + z²/2n) / (1 + z²/n),  half = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)
"""

from math import sqrt

import pytest
from pytest import approx
from scipy.stats import t as student_t

from annotator.credibility.intervals import wilson
from annotator.credibility.models import SourceScore
from annotator.credibility.services import Targets, scores_recompute
from annotator.projects.models import ScoreLayer
from tests.credibility.corpus import build_corpus, link, span, submit
from tests.credibility.test_units_and_intervals import clustered_wilson
from tests.factories import DocumentFactory, ProjectFactory, SourceFactory, member

pytestmark = pytest.mark.django_db
Z = 1.959963984540054
Z2 = Z * Z  # 3.841459


def wilson_by_hand(s, n):
    p = s / n
    centre = (p + Z2 / (2 * n)) / (1 + Z2 / n)
    half = Z * sqrt(p * (1 - p) / n + Z2 / (4 * n * n)) / (1 + Z2 / n)
    return centre - half, centre + half


def rows(project):
    scores_recompute(project=project, targets=Targets(everything=True))
    return {(r.kind, r.entity_name): r for r in SourceScore.objects.filter(project=project)}


def test_wilson_for_three_out_of_four_written_out():
    """Wilson 3/4: p = .75, n = 4; centre = (.75 + .480182)/1.960365 = .627527,
    half = 1.959964·√(.046875 + .060023)/1.960365 = .326885 → [.300642, .954413]."""
    low, high = wilson(3, 4)
    assert low == approx(0.300642, abs=1e-6)
    assert high == approx(0.954413, abs=1e-6)
    assert (low, high) == approx(wilson_by_hand(3, 4))


def test_outlet_a_every_figure():
    """Outlet A = d1 + d2 (gold). c1 is attributed to Speaker S, so it is reported speech, not
    the writer's: own 3 claims (c2, c3 overlapping c2, c4), 3 evidence, 1 opinion, 2 hedges,
    30 words; c4 supported and attacked (contested), c2 qualified; 1 reported claim.
    The rejected gold claim and the annotator layer on d1 (gold exists) do not count.
    Units: d1 = claims 2, evidence 1; d2 = claims 1, evidence 2 (one reading each)."""
    r = rows(build_corpus().project)[("outlet", "Outlet A")]
    assert (r.documents, r.scored_documents, r.docs_gold, r.readings, r.words) == (2, 2, 2, 2, 30)
    assert (r.claims, r.evidence, r.opinions, r.hedges) == (3, 3, 1, 2)
    assert (r.reported_claims, r.reported_evidence) == (1, 0)
    assert r.evidence_subtypes == {"statistic": 1, "quote": 1, "unspecified": 1}
    assert (r.supported_claims, r.attacked_claims, r.contested_claims, r.qualified_claims) == (1, 1, 1, 1)
    assert r.layer == "gold"
    f = r.figures
    assert f["ratio"]["point"] == 1.0
    # claims among claims + evidence per document: d1 [1, 1, 0], d2 [1, 0, 0]
    p, low, high = clustered_wilson([[1, 1, 0], [1, 0, 0]])
    assert (f["ratio"]["low"], f["ratio"]["high"]) == approx((low / (1 - low), high / (1 - high)))
    # supported among claims: d1 [0, 0], d2 [1]
    assert (
        f["supported_share"]["point"],
        f["supported_share"]["low"],
        f["supported_share"]["high"],
    ) == approx(clustered_wilson([[0, 0], [1]]))
    assert f["supported_share"]["documents"] == 2
    # hedges per word: 1 of 10 and 1 of 20; V = 2·((1 − 10/15)² + (1 − 20/15)²)/30² = 4/8100,
    # below the Poisson (2/30)/30 = 18/8100: design effect 1; exposure 30·(z/t₁)².
    exposure = 30 * (Z / student_t.ppf(0.975, 1)) ** 2
    events = 2 / 30 * exposure
    assert f["hedge_density"]["point"] == approx(2000 / 30)
    assert f["hedge_density"]["low"] == approx(
        max(0.0, events + Z2 / 2 - Z * sqrt(events + Z2 / 4)) / exposure * 1000
    )
    assert f["hedge_density"]["high"] == approx(
        (events + Z2 / 2 + Z * sqrt(events + Z2 / 4)) / exposure * 1000
    )


def test_zero_evidence_gives_an_unbounded_ratio_and_one_document_no_interval():
    """Outlet B: d3 (submitted layer: 2 claims, c5 attributed to S, no evidence) and d5 (nothing
    submitted). One own claim, no evidence: no ratio point; one document gives no interval
    (the share is [0, 1], so the ratio is [0, ∞))."""
    r = rows(build_corpus().project)[("outlet", "Outlet B")]
    assert (r.documents, r.scored_documents, r.docs_submitted, r.words) == (2, 1, 1, 10)
    assert (r.claims, r.reported_claims, r.evidence, r.supported_claims) == (1, 1, 0, 0)
    assert r.layer == "submitted"
    assert r.figures["ratio"] == {
        "point": None,
        "low": 0.0,
        "high": None,
        "documents": 1,
        "effective_n": None,
    }
    assert r.figures["supported_share"]["point"] == 0.0
    assert r.figures["hedge_density"]["point"] == 0.0
    assert r.small_sample


def test_zero_claims_leaves_claim_figures_unknown():
    """The unknown outlet (d4, no outlet): 1 opinion, no claims. No claims-per-evidence figure
    and no shares over claims; opinion share 1/1 from one document: [0, 1]."""
    r = rows(build_corpus().project)[("outlet", "Unknown outlet")]
    assert r.entity_id == 0
    assert (r.documents, r.claims, r.evidence, r.opinions) == (1, 0, 0, 1)
    assert r.figures["ratio"]["point"] is None and r.figures["ratio"]["low"] is None
    assert r.figures["supported_share"] == {
        "point": None, "low": None, "high": None, "documents": 0, "effective_n": None
    }  # fmt: skip
    assert (r.figures["opinion_share"]["point"], r.figures["opinion_share"]["low"]) == (1.0, 0.0)


def test_authors_including_the_unknown_author_row():
    """Author Y wrote d2 (gold) and d3 (submitted): own 2 claims (c4; c6, c5 is reported),
    2 evidence, layer mixed. Documents without an author go to "Unknown author" (d4, d5)."""
    r = rows(build_corpus().project)
    y = r[("author", "Author Y")]
    assert (y.documents, y.claims, y.evidence, y.hedges, y.words) == (2, 2, 2, 1, 30)
    assert (y.supported_claims, y.attacked_claims, y.contested_claims) == (1, 1, 1)
    assert (y.docs_gold, y.docs_submitted, y.layer) == (1, 1, "mixed")
    assert y.figures["ratio"]["point"] == 1.0
    x = r[("author", "Author X")]
    assert (x.claims, x.evidence, x.words) == (3, 3, 30)  # same documents as Outlet A
    unknown = r[("author", "Unknown author")]
    assert (unknown.entity_id, unknown.documents, unknown.scored_documents, unknown.opinions) == (0, 2, 1, 1)


def test_a_speaker_quoted_across_outlets_is_one_row():
    """Speaker S has c1 (Outlet A, gold, supported by the writer's e1) and c5 (Outlet B,
    submitted): one row, 2 documents, 2 claims, 1 supported, words of both documents (10 + 10)."""
    c = build_corpus()
    r = rows(c.project)[("speaker", "Speaker S")]
    assert r.entity_id == c.speaker.pk
    assert (r.documents, r.claims, r.evidence, r.supported_claims, r.words) == (2, 2, 0, 1, 20)
    assert r.layer == "mixed"
    f = r.figures["supported_share"]
    assert (f["point"], f["low"], f["high"]) == approx(clustered_wilson([[1], [0]]))


def test_custom_label_of_kind_claim_counts_as_claim_and_other_kinds_do_not():
    """A project label RUMOUR of kind claim counts as a claim; a label of kind other is ignored."""
    from annotator.projects.models import Label

    project = ProjectFactory()
    Label.objects.create(project=project, code="RUMOUR", name="Rumour", kind="claim")
    Label.objects.create(project=project, code="NOTE", name="Note", kind="other")
    reviewer = member(project, "reviewer")
    doc = DocumentFactory(
        project=project, text="alpha bravo delta gamma", source=SourceFactory(name="Rumours")
    )
    span(doc, reviewer, 0, "RUMOUR")
    span(doc, reviewer, 1, "NOTE")
    r = rows(project)[("outlet", "Rumours")]
    assert (r.claims, r.evidence, r.opinions, r.hedges) == (1, 0, 0, 0)


def test_fallback_chain_approved_then_submitted_and_pooled_readings():
    """score_layer=approved: gold is ignored; a document with an approved layer uses only
    the approved layer(s); one with only submitted layers pools all of them (2 readings,
    so words count twice)."""
    project = ProjectFactory(score_layer=ScoreLayer.APPROVED)
    reviewer, a1, a2 = member(project, "reviewer"), member(project, "annotator"), member(project, "annotator")
    outlet = SourceFactory(name="Chain")
    approved_doc = DocumentFactory(project=project, text="alpha bravo delta gamma kappa", source=outlet)
    submitted_doc = DocumentFactory(project=project, text="omega sigma theta", source=outlet)
    span(approved_doc, reviewer, 0, "CLAIM")  # gold: not in this project's chain
    span(approved_doc, a1, 1, "CLAIM", layer="annotator")
    submit(approved_doc, a1, state="approved")
    span(approved_doc, a2, 2, "EVIDENCE", layer="annotator")
    submit(approved_doc, a2)  # submitted only: the approved tier wins on this document
    span(submitted_doc, a1, 0, "CLAIM", layer="annotator")
    submit(submitted_doc, a1)
    span(submitted_doc, a2, 0, "CLAIM", layer="annotator")
    span(submitted_doc, a2, 1, "HEDGE", layer="annotator")
    submit(submitted_doc, a2)
    r = rows(project)[("outlet", "Chain")]
    assert (r.docs_gold, r.docs_approved, r.docs_submitted, r.layer) == (0, 1, 1, "mixed")
    # Each document is one unit: the approved one (1 claim), the submitted one read twice
    # (1 claim each, a hedge from one reader: mean 0.5); words count once per document.
    assert (r.readings, r.words) == (3, 5 + 3)
    assert (r.claims, r.evidence, r.hedges) == (2, 0, 0.5)


def test_unsubmitted_work_is_not_scored():
    """An annotator layer still in progress counts for nothing; the document shows as unscored."""
    project = ProjectFactory(score_layer=ScoreLayer.SUBMITTED)
    a1 = member(project, "annotator")
    doc = DocumentFactory(project=project, text="alpha bravo", source=SourceFactory(name="Draft"))
    span(doc, a1, 0, "CLAIM", layer="annotator")
    r = rows(project)[("outlet", "Draft")]
    assert (r.documents, r.scored_documents, r.claims, r.layer) == (1, 0, 0, "none")


def test_evidence_supporting_a_claim_in_another_layer_is_impossible_and_hedge_support_does_not_count():
    """Only evidence→claim supports count as support: a hedge 'supporting' a claim (stored
    around the service, which refuses it) does not."""
    project = ProjectFactory()
    reviewer = member(project, "reviewer")
    doc = DocumentFactory(project=project, text="alpha bravo delta", source=SourceFactory(name="Hedgy"))
    claim = span(doc, reviewer, 0, "CLAIM")
    hedge = span(doc, reviewer, 1, "HEDGE")
    link(hedge, "supports", claim)
    r = rows(project)[("outlet", "Hedgy")]
    assert (r.claims, r.supported_claims, r.qualified_claims) == (1, 0, 0)


def test_targeted_recompute_touches_only_the_targets_and_removes_vanished_rows():
    """Recomputing speaker S alone (after recounting the changed documents) rewrites only S;
    once S's attributions are gone its row goes."""
    c = build_corpus()
    rows(c.project)
    before = SourceScore.objects.get(project=c.project, kind="outlet", entity_name="Outlet A").computed_at
    from annotator.annotations.models import Relation

    Relation.objects.filter(speaker=c.speaker).delete()
    changed = {c.docs["d1"].pk, c.docs["d3"].pk}  # what the signals mark for this change
    scores_recompute(project=c.project, targets=Targets(speakers={c.speaker.pk}), documents=changed)
    assert not SourceScore.objects.filter(project=c.project, kind="speaker").exists()
    assert (
        SourceScore.objects.get(project=c.project, kind="outlet", entity_name="Outlet A").computed_at
        == before
    )


def test_other_projects_do_not_leak_into_figures():
    """Two projects with the same outlet keep separate rows with their own counts."""
    c = build_corpus()
    other = ProjectFactory()
    reviewer = member(other, "reviewer")
    doc = DocumentFactory(project=other, text="alpha bravo", source=c.outlet_a)
    span(doc, reviewer, 0, "CLAIM")
    assert rows(other)[("outlet", "Outlet A")].claims == 1
    assert rows(c.project)[("outlet", "Outlet A")].claims == 3
