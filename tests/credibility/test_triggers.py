"""Every kind of change the figures depend on marks its sources dirty after commit, and the
incremental recompute then brings the figures to the hand-computed values.

The corpus is tests/credibility/corpus.py: Outlet A (d1, d2; gold) has 4 claims, Outlet B
(d3 submitted by the annotator, d5 unscored) 2 claims, Speaker S is quoted in d1 and d3.
"""

import pytest

from annotator.annotations.relation_services import relation_create
from annotator.credibility.models import ScoreDirty, SourceScore
from annotator.credibility.services import Targets, scores_recompute, scores_recompute_dirty
from annotator.credibility.signals import scores_signals_suspended
from annotator.projects.models import Label, ScoreLayer
from annotator.reviews.decisions import annotation_review
from annotator.reviews.models import Assignment
from annotator.reviews.services import assignment_approve, assignment_request_changes
from tests.credibility.corpus import build_corpus
from tests.credibility.test_incremental import dirty
from tests.credibility.test_units_and_intervals import clustered_wilson

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(sent):
    """The corpus fully recomputed, with no markers left and no task sent yet."""
    with scores_signals_suspended():
        c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    ScoreDirty.objects.all().delete()
    return c


def score(c, kind, name):
    return SourceScore.objects.get(project=c.project, kind=kind, entity_name=name)


def test_approving_a_layer_marks_its_document_and_moves_it_to_the_approved_tier(
    scored, sent, django_capture_on_commit_callbacks
):
    """A reviewer approves the annotator's submitted layer on d3: d3 is marked, one task is
    queued, and Outlet B is then scored from the approved tier (same own claim c6; c5 is reported)."""
    c = scored
    assignment = Assignment.objects.get(document=c.docs["d3"], annotator=c.annotator)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_approve(assignment=assignment, reviewer=c.reviewer)
    assert dirty(c.project) == [("document", c.docs["d3"].pk), ("scheduled", 0)]
    assert len(sent) == 1
    scores_recompute_dirty(project_id=c.project.pk)
    b = score(c, "outlet", "Outlet B")
    assert (b.layer, b.docs_approved, b.docs_submitted, b.claims, b.reported_claims) == (
        "approved",
        1,
        0,
        1,
        1,
    )


def test_requesting_changes_takes_the_layer_out_of_the_figures(
    scored, sent, django_capture_on_commit_callbacks
):
    """Sending d3's layer back (changes requested) leaves d3 with no scored tier: Outlet B
    has 0 scored documents and 0 claims; Speaker S keeps only c1 (1 claim, supported)."""
    c = scored
    assignment = Assignment.objects.get(document=c.docs["d3"], annotator=c.annotator)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_request_changes(assignment=assignment, reviewer=c.reviewer, reason="Add the evidence.")
    assert ("document", c.docs["d3"].pk) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    b = score(c, "outlet", "Outlet B")
    assert (b.documents, b.scored_documents, b.claims, b.layer) == (2, 0, 0, "none")
    s = score(c, "speaker", "Speaker S")
    assert (s.documents, s.claims, s.supported_claims, s.figures["supported_share"]["point"]) == (
        1,
        1,
        1,
        1.0,
    )


def test_rejecting_a_span_in_review_removes_it_from_the_figures(
    scored, sent, django_capture_on_commit_callbacks
):
    """The reviewer rejects c5 (d3, attributed to Speaker S): Outlet B drops to 1 claim,
    Speaker S to 1 claim (c1) in 1 document."""
    c = scored
    with django_capture_on_commit_callbacks(execute=True):
        annotation_review(
            annotation=c.spans["c5"], reviewer=c.reviewer, decision="reject", reason="Not a claim."
        )
    assert ("document", c.docs["d3"].pk) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    assert score(c, "outlet", "Outlet B").claims == 1
    s = score(c, "speaker", "Speaker S")
    assert (s.claims, s.documents) == (1, 1)


def test_a_new_supports_relation_raises_the_supported_share(scored, sent, django_capture_on_commit_callbacks):
    """Evidence e1 now also supports c2: Outlet A has 2 of its 3 own claims supported (c1 is
    reported speech), share 2/3 with the clustered interval of d1 [1, 0] and d2 [1]."""
    c = scored
    with django_capture_on_commit_callbacks(execute=True):
        relation_create(source=c.spans["e1"], type="supports", target=c.spans["c2"])
    assert ("document", c.docs["d1"].pk) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    a = score(c, "outlet", "Outlet A")
    f = a.figures["supported_share"]
    assert a.supported_claims == 2
    assert (f["point"], f["low"], f["high"]) == pytest.approx(clustered_wilson([[1, 0], [1]]))


def test_changing_a_documents_authors_marks_the_whole_project(
    scored, sent, django_capture_on_commit_callbacks
):
    """d3 (own claim c6; c5 is reported) passes from Author Y to Author X: X has 3 + 1 = 4 claims, Y keeps d2's 1."""
    c = scored
    with django_capture_on_commit_callbacks(execute=True):
        c.docs["d3"].authors.set([c.author_x])
    assert ("project", 0) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    assert (score(c, "author", "Author X").claims, score(c, "author", "Author Y").claims) == (4, 1)


def test_changing_the_score_layer_setting_recomputes_the_project(
    scored, sent, django_capture_on_commit_callbacks
):
    """score_layer=submitted ignores gold: d1 is scored from the annotator's submitted layer
    (1 claim), d2 and d4 (gold only) are not scored, d3 keeps its own claim c6."""
    c = scored
    with django_capture_on_commit_callbacks(execute=True):
        c.project.score_layer = ScoreLayer.SUBMITTED
        c.project.save(update_fields=["score_layer"])
    assert ("project", 0) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    a = score(c, "outlet", "Outlet A")
    assert (a.documents, a.scored_documents, a.claims, a.evidence, a.layer) == (2, 1, 1, 0, "submitted")
    assert score(c, "outlet", "Outlet B").claims == 1
    assert score(c, "outlet", "Unknown outlet").scored_documents == 0


def test_changing_a_labels_kind_recomputes_the_project(scored, sent, django_capture_on_commit_callbacks):
    """Turning the OPINION label into a claim label makes o1 a claim: Outlet A 3 + 1 = 4 claims,
    0 opinions."""
    c = scored
    opinion = Label.objects.get(project=c.project, code="OPINION")
    with django_capture_on_commit_callbacks(execute=True):
        opinion.kind = "claim"
        opinion.save(update_fields=["kind"])
    assert ("project", 0) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    a = score(c, "outlet", "Outlet A")
    assert (a.claims, a.opinions) == (4, 0)


def test_renaming_an_outlet_or_speaker_renames_their_current_rows(
    scored, sent, django_capture_on_commit_callbacks
):
    """Renamed after commit, with no recompute queued: the current rows show the new names,
    the snapshots keep the old ones."""
    c = scored
    with django_capture_on_commit_callbacks(execute=True):
        c.outlet_a.name = "Outlet Alpha"
        c.outlet_a.save(update_fields=["name"])
        c.speaker.name = "Speaker Sigma"
        c.speaker.save(update_fields=["name"])
    assert score(c, "outlet", "Outlet Alpha").claims == 3
    assert score(c, "speaker", "Speaker Sigma").claims == 2
    assert sent == [] and dirty(c.project) == []
    from annotator.credibility.models import SourceScoreSnapshot

    assert (
        SourceScoreSnapshot.objects.get(project=c.project, kind="outlet", entity_id=c.outlet_a.pk).entity_name
        == "Outlet A"
    )
