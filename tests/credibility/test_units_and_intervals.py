"""Issue 14: units, clustered intervals, small samples, reported speech, hedge families, daily trend.

Each test builds its own corpus; expected values are computed here, the
intervals independently with statsmodels (cluster-robust OLS) and scipy.
"""

from datetime import timedelta

import numpy as np
import pytest
import statsmodels.api as sm
from pytest import approx
from scipy.stats import t as student_t
from statsmodels.stats.proportion import proportion_confint

from annotator.credibility.models import SourceScore, SourceScoreSnapshot
from annotator.credibility.selectors import score_history, scores_list
from annotator.credibility.services import Targets, scores_recompute
from annotator.projects.models import Label, LabelKind, LabelSubtype, Role
from tests.credibility.corpus import link, span, submit, text_of
from tests.factories import DocumentFactory, ProjectFactory, SourceFactory, SpeakerFactory, member

pytestmark = pytest.mark.django_db
Z = 1.959963984540054


def recompute(project):
    scores_recompute(project=project, targets=Targets(everything=True))
    return {(r.kind, r.entity_name): r for r in SourceScore.objects.filter(project=project)}


def document(project, outlet, tag, words=20):
    return DocumentFactory(project=project, text=text_of(words, tag), source=outlet)


def clustered_wilson(successes_per_doc: list[list[int]]):
    """The expected share interval, computed independently: span-level OLS on a constant with
    cluster-robust (by document) variance, the design effect against the binomial variance,
    the effective sample with n − 1 degrees of freedom, then statsmodels' Wilson interval."""
    y = np.array([v for doc in successes_per_doc for v in doc], dtype=float)
    groups = np.array([i for i, doc in enumerate(successes_per_doc) for _ in doc])
    fit = sm.OLS(y, np.ones_like(y)).fit(cov_type="cluster", cov_kwds={"groups": groups})
    p, variance, n = fit.params[0], fit.bse[0] ** 2, len(y)
    deff = max(1.0, variance / (p * (1 - p) / n)) if 0 < p < 1 else 1.0
    g = len(successes_per_doc)
    effective = n / deff * (Z / student_t.ppf(0.975, g - 1)) ** 2
    low, high = proportion_confint(p * effective, effective, method="wilson")
    return p, low, high


def test_two_readers_of_one_text_count_as_one_reading():
    """Item 1: the same text (3 claims, 1 evidence supporting one) read by two submitted
    annotators under outlet "Twice" and by one under outlet "Once" gives identical figures;
    readers who disagree (3 and 5 claims) give their mean, 4, never the sum."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    once, twice, differ = (
        SourceFactory(name="Once"),
        SourceFactory(name="Twice"),
        SourceFactory(name="Differ"),
    )
    readers = [member(project, Role.ANNOTATOR) for _ in range(2)]

    def read(doc, reader, claims):
        spans = [span(doc, reader, k, "CLAIM", layer="annotator") for k in range(claims)]
        evidence = span(doc, reader, 10, "EVIDENCE", layer="annotator")
        link(evidence, "supports", spans[0])
        submit(doc, reader)

    read(document(project, once, "once"), readers[0], 3)
    doc = document(project, twice, "twice")
    read(doc, readers[0], 3)
    read(doc, readers[1], 3)
    doc = document(project, differ, "differ")
    read(doc, readers[0], 3)
    read(doc, readers[1], 5)

    rows = recompute(project)
    a, b, c = rows[("outlet", "Once")], rows[("outlet", "Twice")], rows[("outlet", "Differ")]
    assert (a.claims, a.evidence, a.supported_claims, a.words) == (3, 1, 1, 20)
    assert (b.claims, b.evidence, b.supported_claims, b.words) == (3, 1, 1, 20)
    assert b.readings == 2 and a.readings == 1
    assert a.figures == b.figures
    assert a.figures["ratio"]["point"] == 3.0
    assert (c.claims, c.evidence, c.supported_claims) == (4, 1, 1)
    assert c.figures["ratio"]["point"] == 4.0


def test_two_documents_give_a_wider_interval_than_twenty_with_the_same_span_counts():
    """Item 2: 20 claims, 10 supported, as 2 documents of 10 (5 supported each) or as 20 documents
    of 1 claim each: the same point, 0.5, but the 2-document interval is far wider. Both match the
    independent computation; n documents is carried with the figure."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    two, twenty = SourceFactory(name="Two"), SourceFactory(name="Twenty")
    for d in range(2):
        doc = document(project, two, f"two{d}")
        evidence = span(doc, reviewer, 19, "EVIDENCE")
        for k in range(10):
            claim = span(doc, reviewer, k, "CLAIM")
            if k < 5:
                link(evidence, "supports", claim)
    for d in range(20):
        doc = document(project, twenty, f"twenty{d}")
        claim = span(doc, reviewer, 0, "CLAIM")
        if d < 10:
            link(span(doc, reviewer, 1, "EVIDENCE"), "supports", claim)

    rows = recompute(project)
    narrow = rows[("outlet", "Twenty")].figures["supported_share"]
    wide = rows[("outlet", "Two")].figures["supported_share"]
    assert narrow["point"] == wide["point"] == 0.5
    assert (narrow["documents"], wide["documents"]) == (20, 2)
    assert wide["high"] - wide["low"] > 2 * (narrow["high"] - narrow["low"])

    p, low, high = clustered_wilson([[1] if d < 10 else [0] for d in range(20)])
    assert (narrow["point"], narrow["low"], narrow["high"]) == approx((p, low, high), abs=1e-9)
    p, low, high = clustered_wilson([[1] * 5 + [0] * 5, [1] * 5 + [0] * 5])
    assert (wide["point"], wide["low"], wide["high"]) == approx((p, low, high), abs=1e-9)


def test_uneven_documents_widen_the_interval_by_the_design_effect():
    """Item 2: 3 documents with 4/4, 0/4 and 2/4 supported claims: the clustered variance
    exceeds the binomial one, and the interval matches the independent computation."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    outlet = SourceFactory(name="Uneven")
    pattern = [[1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 0, 0]]
    for d, flags in enumerate(pattern):
        doc = document(project, outlet, f"uneven{d}")
        evidence = span(doc, reviewer, 19, "EVIDENCE")
        for k, supported in enumerate(flags):
            claim = span(doc, reviewer, k, "CLAIM")
            if supported:
                link(evidence, "supports", claim)
    figure = recompute(project)[("outlet", "Uneven")].figures["supported_share"]
    p, low, high = clustered_wilson(pattern)
    assert (figure["point"], figure["low"], figure["high"]) == approx((p, low, high), abs=1e-9)
    assert figure["documents"] == 3


def test_small_samples_are_flagged_with_a_reason_and_not_ranked():
    """Item 3: with the defaults (3 documents, 5 claims) an outlet with 2 documents and one with
    4 claims are "too little data": counts and reason kept, rank null, listed after the ranked
    ones. A speaker with no claims has no claims-per-evidence figure at all."""
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    big, few_docs, few_claims = (
        SourceFactory(name="Big"),
        SourceFactory(name="FewDocs"),
        SourceFactory(name="FewClaims"),
    )
    speaker = SpeakerFactory(name="Silent")
    for d in range(3):
        doc = document(project, big, f"big{d}")
        for k in range(2):
            span(doc, reviewer, k, "CLAIM")
        evidence = span(doc, reviewer, 5, "EVIDENCE")
        link(evidence, "attributed_to", speaker=speaker)
    for d in range(2):
        doc = document(project, few_docs, f"fewdocs{d}")
        for k in range(3):
            span(doc, reviewer, k, "CLAIM")
    for d in range(3):
        doc = document(project, few_claims, f"fewclaims{d}")
        span(doc, reviewer, 0, "CLAIM")
        if d == 0:
            span(doc, reviewer, 1, "CLAIM")

    rows = recompute(project)
    assert rows[("outlet", "Big")].small_sample is False
    assert rows[("outlet", "FewDocs")].small_sample is True
    assert rows[("outlet", "FewDocs")].small_sample_reason == "2 scored document(s), fewer than 3"
    assert rows[("outlet", "FewDocs")].claims == 6
    assert rows[("outlet", "FewClaims")].small_sample_reason == "4 claim(s), fewer than 5"
    silent = rows[("speaker", "Silent")]
    assert (silent.claims, silent.evidence) == (0, 3)
    assert silent.figures["ratio"] == {
        "point": None,
        "low": None,
        "high": None,
        "documents": 3,
        "effective_n": None,
    }
    assert "no claims" not in silent.small_sample_reason and silent.small_sample

    listed = [
        (s.entity_name, s.rank) for s in scores_list(user=reviewer, project_id=project.pk, kind="outlet")
    ]
    assert listed == [("Big", 1), ("FewClaims", None), ("FewDocs", None)]

    project.score_min_documents, project.score_min_claims = 2, 4
    project.save()
    rows = recompute(project)
    assert not rows[("outlet", "FewDocs")].small_sample and not rows[("outlet", "FewClaims")].small_sample


def test_small_samples_reach_the_api_with_reason_and_no_rank(client):
    """Item 3: the API says small_sample: true with the reason, and rank null."""
    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, SourceFactory(name="Lone"), "lone")
    span(doc, reviewer, 0, "CLAIM")
    recompute(project)
    client.force_login(reviewer)
    body = client.get(f"/api/v1/source-scores/?project={project.pk}&kind=outlet").json()
    (row,) = body
    assert (row["small_sample"], row["rank"]) == (True, None)
    assert row["small_sample_reason"] == "1 scored document(s), fewer than 3; 1 claim(s), fewer than 5"
    assert row["figures"]["supported_share"]["documents"] == 1


def test_the_writer_and_the_people_quoted_are_counted_apart_and_self_support_does_not_count():
    """Item 4: in one gold document, the official's quoted claim (words 0-4) holds the official's
    own evidence (word 2) and a hedge (word 3) inside the same quotation; that evidence supports
    the claim (circular). A second quoted claim (word 6) is supported by the writer's evidence
    (word 8). The writer's own claim (word 10) is supported by the quoted evidence.
    Speaker: 2 claims, 1 evidence, 1 hedge, 1 supported (the circular one is not).
    Outlet: own 1 claim, 1 evidence, 0 hedges, 1 supported; reported 2 claims, 1 evidence, 1 hedge."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    official = SpeakerFactory(name="Official")
    doc = document(project, SourceFactory(name="Paper"), "paper")
    quoted = span(doc, reviewer, 0, "CLAIM", end_word=4)
    own_evidence_of_official = span(doc, reviewer, 2, "EVIDENCE")
    span(doc, reviewer, 3, "HEDGE", subtype="modal")
    link(quoted, "attributed_to", speaker=official)
    link(own_evidence_of_official, "supports", quoted)
    second = span(doc, reviewer, 6, "CLAIM")
    link(second, "attributed_to", speaker=official)
    writers_evidence = span(doc, reviewer, 8, "EVIDENCE")
    link(writers_evidence, "supports", second)
    writers_claim = span(doc, reviewer, 10, "CLAIM")
    link(own_evidence_of_official, "supports", writers_claim)

    rows = recompute(project)
    s = rows[("speaker", "Official")]
    assert (s.claims, s.evidence, s.hedges, s.hedges_uncertain, s.supported_claims) == (2, 1, 1, 1, 1)
    assert s.figures["supported_share"]["point"] == 0.5
    o = rows[("outlet", "Paper")]
    assert (o.claims, o.evidence, o.hedges, o.supported_claims) == (1, 1, 0, 1)
    assert (o.reported_claims, o.reported_evidence, o.reported_hedges) == (2, 1, 1)
    assert o.figures["hedge_density"]["point"] == 0.0


def test_hedge_families_are_scored_apart():
    """Item 5: 5 hedges in 2 gold documents of 20 words: modal and speculation (acknowledged
    uncertainty), vague_attribution and insinuation (vague authority or insinuation), one with no
    subtype (total only); a custom hedge label with subtype code "modal" maps through its kind.
    uncertain 3, vague 2, total 6 over 40 words: densities 75 and 50 per 1,000, shares 1/2 and 1/3."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=0)
    reviewer = member(project, Role.REVIEWER)
    hedge = Label.objects.get(project=project, code="HEDGE")
    LabelSubtype.objects.get_or_create(label=hedge, code="speculation", defaults={"name": "Speculation"})
    custom = Label.objects.create(
        project=project, code="MAYBE", name="Maybe", kind=LabelKind.HEDGE, color="#123456"
    )
    LabelSubtype.objects.create(label=custom, code="modal", name="Modal")
    outlet = SourceFactory(name="Hedgy")
    d1, d2 = document(project, outlet, "h1"), document(project, outlet, "h2")
    span(d1, reviewer, 0, "HEDGE", subtype="modal")
    span(d1, reviewer, 1, "HEDGE", subtype="speculation")
    span(d1, reviewer, 2, "HEDGE", subtype="vague_attribution")
    span(d2, reviewer, 0, "HEDGE", subtype="insinuation")
    span(d2, reviewer, 1, "HEDGE")
    span(d2, reviewer, 2, "MAYBE", subtype="modal")

    r = recompute(project)[("outlet", "Hedgy")]
    assert (r.hedges, r.hedges_uncertain, r.hedges_vague, r.words) == (6, 3, 2, 40)
    f = r.figures
    assert f["uncertain_density"]["point"] == approx(1000 * 3 / 40)
    assert f["vague_density"]["point"] == approx(1000 * 2 / 40)
    assert f["hedge_density"]["point"] == approx(1000 * 6 / 40)
    assert f["uncertain_share"]["point"] == approx(3 / 6)
    assert f["vague_share"]["point"] == approx(2 / 6)
    assert f["uncertain_density"]["documents"] == 2


def test_the_trend_has_one_point_per_day_the_last_of_the_day():
    """Item 7: five recomputes over two days give two points, each the day's last snapshot."""
    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    outlet = SourceFactory(name="Daily")
    doc = document(project, outlet, "daily")
    span(doc, reviewer, 0, "CLAIM")
    recompute(project)
    base = SourceScoreSnapshot.objects.get(project=project, kind="outlet")
    original = base.pk
    day1 = base.computed_at.replace(hour=9, minute=0) - timedelta(days=1)
    stamps = [
        day1,
        day1 + timedelta(hours=1),
        day1 + timedelta(hours=5),
        day1 + timedelta(days=1),
        day1 + timedelta(days=1, hours=2),
    ]
    for claims, when in enumerate(stamps, start=1):
        base.pk, base.claims, base.computed_at = None, claims, when
        base.save()
    SourceScoreSnapshot.objects.filter(pk=original).delete()
    history = score_history(user=reviewer, project_id=project.pk, kind="outlet", entity_id=outlet.pk)
    points = [(h.period.date(), h.claims) for h in history]
    assert points == [(stamps[0].date(), 3), (stamps[3].date(), 5)]


@pytest.mark.parametrize(
    ("source_code", "type_", "target_code", "field", "message"),
    [
        (
            "HEDGE",
            "supports",
            "CLAIM",
            "source",
            "This hedge span (HEDGE) cannot be the source of supports: the source must be of kind claim or evidence.",
        ),
        (
            "OPINION",
            "supports",
            "CLAIM",
            "source",
            "This opinion span (OPINION) cannot be the source of supports: the source must be of kind claim or evidence.",
        ),
        (
            "EVIDENCE",
            "attacks",
            "EVIDENCE",
            "target",
            "This evidence span (EVIDENCE) cannot be the target of attacks: the target must be of kind claim or opinion.",
        ),
        (
            "CLAIM",
            "qualifies",
            "CLAIM",
            "source",
            "This claim span (CLAIM) cannot be the source of qualifies: the source must be of kind hedge.",
        ),
    ],
)
def test_links_that_can_never_count_are_refused_naming_the_field(
    source_code, type_, target_code, field, message
):
    """Item 6: supports from a hedge or an opinion, attacks on evidence, qualifies from a claim are
    refused by the service with a message naming the field; nothing is stored."""
    from annotator.annotations.models import Relation
    from annotator.annotations.relation_services import relation_create
    from annotator.core.errors import ApplicationError

    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, None, "rule")
    source, target = span(doc, reviewer, 0, source_code), span(doc, reviewer, 1, target_code)
    with pytest.raises(ApplicationError) as caught:
        relation_create(source=source, type=type_, target=target)
    assert caught.value.errors == {field: [message]}
    assert not Relation.objects.filter(source=source).exists()


def test_links_that_count_are_accepted():
    """Item 6: evidence supports and attacks a claim, a hedge qualifies it, any scored span is attributed."""
    from annotator.annotations.relation_services import relation_create

    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, None, "ok")
    claim, evidence, hedge = (
        span(doc, reviewer, k, code) for k, code in enumerate(["CLAIM", "EVIDENCE", "HEDGE"])
    )
    relation_create(source=evidence, type="supports", target=claim)
    relation_create(source=evidence, type="attacks", target=claim)
    relation_create(source=hedge, type="qualifies", target=claim)
    relation_create(source=evidence, type="attributed_to", speaker=SpeakerFactory())


def test_words_are_body_words_without_boilerplate():
    """Item 7: a 20-word document whose last 8 words are a marked "read more" list counts
    12 words, so 3 hedges give 250 per 1,000 words (not 150)."""
    from annotator.documents.services import document_create

    project = ProjectFactory(score_min_documents=1, score_min_claims=0)
    reviewer = member(project, Role.REVIEWER)
    text = text_of(20, "body")
    region_start = 6 * 12
    doc = document_create(
        project=project,
        text=text,
        outlet=SourceFactory(name="Bodied"),
        boilerplate=[{"kind": "read_more", "start": region_start, "end": len(text)}],
    )
    for k in range(3):
        span(doc, reviewer, k, "HEDGE")
    r = recompute(project)[("outlet", "Bodied")]
    assert r.words == 12
    assert r.figures["hedge_density"]["point"] == approx(1000 * 3 / 12)


def _flags(*spans):
    from annotator.annotations.models import Annotation

    rows = Annotation.objects.filter(pk__in=[s.pk for s in spans]).extra(
        select={"depth": "support_depth", "supported": "is_supported"}
    )
    by_id = {a.pk: (a.supported, a.depth) for a in rows}
    return [by_id[s.pk] for s in spans]


def test_support_through_sub_claim_chains_with_cycles_broken():
    """Item 6: evidence E supports sub-claim S1, S1 supports S2, S2 supports the main claim M:
    all supported (depths 1, 2, 3) through the service, and M counts as supported. Then M
    supports S1 too (a cycle): nothing changes. Deleting E's link leaves the loop S1 → S2 → M
    → S1 with no evidence: all three become unsupported (the cycle is broken by the bound)."""
    from annotator.annotations.models import Relation
    from annotator.annotations.relation_services import relation_create, relation_delete

    project = ProjectFactory(score_min_documents=1, score_min_claims=1)
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, SourceFactory(name="Chains"), "chain")
    evidence, s1, s2, main = (
        span(doc, reviewer, k, code) for k, code in enumerate(["EVIDENCE", "CLAIM", "CLAIM", "CLAIM"])
    )
    first = relation_create(source=evidence, type="supports", target=s1)
    relation_create(source=s1, type="supports", target=s2)
    relation_create(source=s2, type="supports", target=main)
    assert _flags(s1, s2, main) == [(True, 1), (True, 2), (True, 3)]
    r = recompute(project)[("outlet", "Chains")]
    assert (r.claims, r.supported_claims) == (3, 3)

    relation_create(source=main, type="supports", target=s1)
    assert _flags(s1, s2, main) == [(True, 1), (True, 2), (True, 3)]
    relation_delete(relation=Relation.objects.get(pk=first.pk))
    assert _flags(s1, s2, main) == [(False, None), (False, None), (False, None)]
    assert recompute(project)[("outlet", "Chains")].supported_claims == 0


def test_chains_are_bounded_at_five_links():
    """Item 6: a chain of 6 claims behind one piece of evidence: the first five are supported
    (depths 1 to 5), the sixth, six links away, is not."""
    from annotator.annotations.relation_services import relation_create

    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, None, "long")
    evidence = span(doc, reviewer, 0, "EVIDENCE")
    claims = [span(doc, reviewer, k, "CLAIM") for k in range(1, 7)]
    relation_create(source=evidence, type="supports", target=claims[0])
    for before, after in zip(claims, claims[1:]):
        relation_create(source=before, type="supports", target=after)
    assert _flags(*claims) == [(True, 1), (True, 2), (True, 3), (True, 4), (True, 5), (False, None)]


def test_the_rebuild_finds_chain_flags_right():
    """The repair tool recomputes chains too and finds nothing to change on a consistent project."""
    from django.db import connection

    from annotator.annotations.relation_services import relation_create
    from annotator.credibility.link_flags import link_flags_rebuild

    project = ProjectFactory()
    reviewer = member(project, Role.REVIEWER)
    doc = document(project, None, "rebuild")
    evidence, s1, main = (
        span(doc, reviewer, k, code) for k, code in enumerate(["EVIDENCE", "CLAIM", "CLAIM"])
    )
    relation_create(source=evidence, type="supports", target=s1)
    relation_create(source=s1, type="supports", target=main)
    assert link_flags_rebuild(project=project) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_annotation SET is_supported = false, support_depth = NULL WHERE id = %s",
            [main.pk],
        )
    assert link_flags_rebuild(project=project) == 1
    assert _flags(s1, main) == [(True, 1), (True, 2)]
