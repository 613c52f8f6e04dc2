"""Every figure of the hand-built corpus (tests/credibility/corpus.py), worked out by hand.

z = 1.959964, z² = 3.841459. Wilson for s successes in n trials, p = s/n:
    centre = (p + z²/2n) / (1 + z²/n),  half = z √(p(1-p)/n + z²/4n²) / (1 + z²/n)
"""

from math import sqrt

import pytest
from pytest import approx

from annotator.credibility.intervals import wilson
from annotator.credibility.models import SourceScore
from annotator.credibility.services import Targets, scores_recompute
from annotator.projects.models import ScoreLayer
from tests.credibility.corpus import build_corpus, link, span, submit
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
    est = wilson(3, 4)
    assert est.point == 0.75
    assert est.low == approx(0.300642, abs=1e-6)
    assert est.high == approx(0.954413, abs=1e-6)
    assert (est.low, est.high) == approx(wilson_by_hand(3, 4))


def test_outlet_a_every_figure():
    """Outlet A = d1 + d2 (gold): 4 claims (c1, c2, c3 overlapping c2, c4), 3 evidence, 1 opinion,
    2 hedges, 30 words; c1 and c4 supported, c4 also attacked (contested), c2 qualified.
    The rejected gold claim and the annotator layer on d1 (gold exists) do not count."""
    r = rows(build_corpus().project)[("outlet", "Outlet A")]
    assert (r.documents, r.scored_documents, r.docs_gold, r.readings, r.words) == (2, 2, 2, 2, 30)
    assert (r.claims, r.evidence, r.opinions, r.hedges) == (4, 3, 1, 2)
    assert r.evidence_subtypes == {"statistic": 1, "quote": 1, "unspecified": 1}
    assert (r.supported_claims, r.attacked_claims, r.contested_claims, r.qualified_claims) == (2, 1, 1, 1)
    assert r.layer == "gold"
    # ratio 4/3; smoothed (4 + 1.920730)/(3 + 1.920730) = 5.920730/4.920730 = 1.203222
    assert r.ratio == approx(4 / 3)
    assert r.ratio_smoothed == approx(1.203222, abs=1e-6)
    # Wilson 4/7: p = .571429, centre = (.571429 + .274390)/1.548780 = .546121,
    # half = 1.959964·√(.034985 + .019599)/1.548780 = .295663 → [.250458, .841780];
    # ratio bounds = L/(1-L), U/(1-U) = .334149, 5.320319
    low, high = wilson_by_hand(4, 7)
    assert r.ratio_low == approx(low / (1 - low)) == approx(0.334149, abs=1e-6)
    assert r.ratio_high == approx(high / (1 - high)) == approx(5.320319, abs=1e-6)
    # supported 2/4: centre .5, half = 1.959964·√(.0625 + .060023)/1.960365 = .349961
    assert r.supported_share == 0.5
    assert (r.supported_low, r.supported_high) == approx((0.150039, 0.849961), abs=1e-6)
    # qualified 1/4 and opinions 1/(4+1)
    assert r.qualified_share == 0.25
    assert (r.qualified_low, r.qualified_high) == approx(wilson_by_hand(1, 4))
    assert r.opinion_share == approx(0.2)
    assert (r.opinion_low, r.opinion_high) == approx((0.036224, 0.624465), abs=1e-6)
    # hedges: 2 per 30 words = 66.667 per 1,000; Poisson score bounds
    # (2 + 1.920730 ∓ 1.959964·√(2 + .960365)) / 30 · 1000 = 18.282, 243.100
    assert r.hedge_density == approx(2000 / 30)
    assert (
        r.hedge_density_low
        == approx((2 + Z2 / 2 - Z * sqrt(2 + Z2 / 4)) / 30 * 1000)
        == approx(18.2824, abs=1e-4)
    )
    assert r.hedge_density_high == approx(243.0996, abs=1e-4)


def test_zero_evidence_gives_an_unbounded_ratio_but_a_finite_lower_bound():
    """Outlet B: d3 (submitted layer: 2 claims, no evidence) and d5 (nothing submitted).
    Ratio undefined; smoothed (2 + 1.920730)/1.920730 = 2.041271; Wilson 2/2 low = .342380 → .520636."""
    r = rows(build_corpus().project)[("outlet", "Outlet B")]
    assert (r.documents, r.scored_documents, r.docs_submitted, r.words) == (2, 1, 1, 10)
    assert (r.claims, r.evidence, r.supported_claims) == (2, 0, 0)
    assert r.layer == "submitted"
    assert r.ratio is None and r.ratio_high is None
    assert r.ratio_smoothed == approx(2.041271, abs=1e-6)
    low, _ = wilson_by_hand(2, 2)
    assert r.ratio_low == approx(low / (1 - low)) == approx(0.520636, abs=1e-6)
    assert r.supported_share == 0.0
    assert r.hedge_density == 0.0


def test_zero_claims_leaves_claim_shares_unknown():
    """The unknown outlet (d4, no outlet): 1 opinion, no claims. Shares over claims are
    unknown: no point, interval [0, 1]; opinion share 1/1 with Wilson low .206549."""
    r = rows(build_corpus().project)[("outlet", "Unknown outlet")]
    assert r.entity_id == 0
    assert (r.documents, r.claims, r.evidence, r.opinions) == (1, 0, 0, 1)
    assert r.ratio is None and r.ratio_smoothed is None and r.ratio_low == 0.0 and r.ratio_high is None
    assert (r.supported_share, r.supported_low, r.supported_high) == (None, 0.0, 1.0)
    assert r.opinion_share == 1.0
    assert r.opinion_low == approx(0.206549, abs=1e-6)


def test_authors_including_the_unknown_author_row():
    """Author Y wrote d2 (gold) and d3 (submitted): 3 claims, 2 evidence, layer mixed.
    Documents without an author go to "Unknown author" (d4, d5) rather than being dropped."""
    r = rows(build_corpus().project)
    y = r[("author", "Author Y")]
    assert (y.documents, y.claims, y.evidence, y.hedges, y.words) == (2, 3, 2, 1, 30)
    assert (y.supported_claims, y.attacked_claims, y.contested_claims) == (1, 1, 1)
    assert (y.docs_gold, y.docs_submitted, y.layer) == (1, 1, "mixed")
    assert y.ratio == 1.5
    low, high = wilson_by_hand(3, 5)
    assert (y.ratio_low, y.ratio_high) == approx((low / (1 - low), high / (1 - high)))
    x = r[("author", "Author X")]
    assert (x.claims, x.evidence, x.words) == (4, 3, 30)  # same documents as Outlet A
    unknown = r[("author", "Unknown author")]
    assert (unknown.entity_id, unknown.documents, unknown.scored_documents, unknown.opinions) == (0, 2, 1, 1)


def test_a_speaker_quoted_across_outlets_is_one_row():
    """Speaker S has c1 (Outlet A, gold, supported) and c5 (Outlet B, submitted): one row,
    2 documents, 2 claims, 1 supported, words of both documents (10 + 10)."""
    c = build_corpus()
    r = rows(c.project)[("speaker", "Speaker S")]
    assert r.entity_id == c.speaker.pk
    assert (r.documents, r.claims, r.evidence, r.supported_claims, r.words) == (2, 2, 0, 1, 20)
    assert r.layer == "mixed"
    assert (r.supported_low, r.supported_high) == approx(wilson_by_hand(1, 2))


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
    assert (r.readings, r.words) == (3, 5 + 3 * 2)
    assert (r.claims, r.evidence, r.hedges) == (3, 0, 1)


def test_unsubmitted_work_is_not_scored():
    """An annotator layer still in progress counts for nothing; the document shows as unscored."""
    project = ProjectFactory(score_layer=ScoreLayer.SUBMITTED)
    a1 = member(project, "annotator")
    doc = DocumentFactory(project=project, text="alpha bravo", source=SourceFactory(name="Draft"))
    span(doc, a1, 0, "CLAIM", layer="annotator")
    r = rows(project)[("outlet", "Draft")]
    assert (r.documents, r.scored_documents, r.claims, r.layer) == (1, 0, 0, "none")


def test_evidence_supporting_a_claim_in_another_layer_is_impossible_and_hedge_support_does_not_count():
    """Only evidence→claim supports count as support: a hedge 'supporting' a claim does not."""
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
    assert rows(c.project)[("outlet", "Outlet A")].claims == 4
