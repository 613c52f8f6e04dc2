"""Incremental recomputes: what a change marks dirty, coalescing, and the claim-and-recompute step."""

import pytest

from annotator.annotations.models import Relation
from annotator.annotations.relation_services import relation_delete
from annotator.annotations.services import annotation_create
from annotator.credibility import scheduling
from annotator.credibility.models import ScoreDirty, SourceScore, SourceScoreSnapshot
from annotator.credibility.services import Targets, scores_recompute, scores_recompute_dirty
from tests.credibility.corpus import build_corpus, word
from tests.factories import label

pytestmark = pytest.mark.django_db


def dirty(project):
    return sorted(ScoreDirty.objects.filter(project=project).values_list("kind", "entity_id"))


def add_claims(c, n, doc="d2"):
    document = c.docs[doc]
    # Multi-word spans: the corpus already has single-word claims.
    pairs = [(i, j) for i in range(document.word_count) for j in range(i + 1, document.word_count)][:n]
    for i, j in pairs:
        annotation_create(
            document=document,
            annotator=c.reviewer,
            start=word(i)[0],
            end=word(j)[1],
            label=label(c.project, "CLAIM"),
            layer="gold",
        )


def test_a_burst_of_changes_marks_one_document_and_schedules_one_task(
    sent, django_capture_on_commit_callbacks
):
    """Ten spans added one transaction at a time leave one dirty row for the document
    and send the recompute task once, with the debounce countdown."""
    c = build_corpus()
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            annotation_create(
                document=c.docs["d2"],
                annotator=c.reviewer,
                start=word(n)[0],
                end=word(n + 1)[1],
                label=label(c.project, "HEDGE"),
                layer="gold",
            )
    assert dirty(c.project) == [("document", c.docs["d2"].pk), ("scheduled", 0)]
    assert sent == [{"kwargs": {"project_id": c.project.pk}, "countdown": 2.0}]


def test_a_rolled_back_change_marks_nothing(sent, django_capture_on_commit_callbacks):
    """A change whose transaction rolls back never reaches the dirty table."""
    from django.db import transaction

    c = build_corpus()
    ScoreDirty.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                add_claims(c, 1)
                raise RuntimeError("abort")
        except RuntimeError:
            pass
    assert callbacks == [] and dirty(c.project) == [] and sent == []


def test_recompute_dirty_recomputes_the_documents_sources_only(sent, django_capture_on_commit_callbacks):
    """A new claim on d2 (Outlet A; authors X, Y) recomputes Outlet A, X and Y and
    clears the markers; Outlet B, untouched, keeps its old row."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    b_before = SourceScore.objects.get(project=c.project, entity_name="Outlet B").computed_at
    with django_capture_on_commit_callbacks(execute=True):
        add_claims(c, 1)
    assert scores_recompute_dirty(project_id=c.project.pk) == 3
    assert dirty(c.project) == []
    figures = dict(
        SourceScore.objects.filter(project=c.project, kind__in=["outlet", "author"]).values_list(
            "entity_name", "claims"
        )
    )
    assert figures == {
        "Outlet A": 4,
        "Outlet B": 1,
        "Unknown outlet": 0,
        "Author X": 4,
        "Author Y": 3,
        "Unknown author": 0,
    }
    assert SourceScore.objects.get(project=c.project, entity_name="Outlet B").computed_at == b_before
    assert SourceScoreSnapshot.objects.filter(project=c.project, entity_name="Outlet A").count() == 2


def test_deleting_an_attribution_marks_the_speaker(sent, django_capture_on_commit_callbacks):
    """The speaker of a deleted attributed_to relation is marked: after the recompute
    their figures no longer include that claim."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    ScoreDirty.objects.all().delete()
    relation = Relation.objects.get(source=c.spans["c1"], type="attributed_to")
    with django_capture_on_commit_callbacks(execute=True):
        relation_delete(relation=relation)
    assert ("speaker", c.speaker.pk) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    speaker = SourceScore.objects.get(project=c.project, kind="speaker")
    assert (speaker.claims, speaker.supported_claims, speaker.documents) == (1, 0, 1)


def test_document_metadata_change_marks_the_whole_project(sent, django_capture_on_commit_callbacks):
    """Moving d1 from Outlet A to Outlet B moves its figures: the whole project is recomputed."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    ScoreDirty.objects.all().delete()
    doc = c.docs["d1"]
    with django_capture_on_commit_callbacks(execute=True):
        doc.source = c.outlet_b
        doc.save(update_fields=["source"])
    assert ("project", 0) in dirty(c.project)
    scores_recompute_dirty(project_id=c.project.pk)
    claims = dict(
        SourceScore.objects.filter(project=c.project, kind="outlet").values_list("entity_name", "claims")
    )
    assert claims == {"Outlet A": 1, "Outlet B": 3, "Unknown outlet": 0}


def test_recompute_is_idempotent():
    """Running the same recompute twice gives the same current rows (no double count)
    and one more snapshot per row."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    first = list(
        SourceScore.objects.filter(project=c.project)
        .order_by("kind", "entity_id")
        .values("kind", "entity_id", "claims", "evidence", "words", "figures")
    )
    scores_recompute(project=c.project, targets=Targets(everything=True))
    again = list(
        SourceScore.objects.filter(project=c.project)
        .order_by("kind", "entity_id")
        .values("kind", "entity_id", "claims", "evidence", "words", "figures")
    )
    assert first == again and len(first) == 7
    assert SourceScoreSnapshot.objects.filter(project=c.project).count() == 14


def test_marking_a_deleted_project_is_a_no_op(sent):
    """A mark for a project deleted meanwhile writes nothing and sends nothing."""
    assert scheduling.scores_mark_dirty(project_id=987654, document_ids=[1]) is False
    assert sent == [] and not ScoreDirty.objects.exists()


def test_a_change_to_a_document_without_outlet_or_author_recomputes_the_unknown_rows(
    sent, django_capture_on_commit_callbacks
):
    """A claim added to d4 (no outlet, no author) recomputes "Unknown outlet" (d4: 1 claim,
    1 opinion) and "Unknown author" (d4 and d5: 2 documents, 1 scored), and nothing else."""
    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    with django_capture_on_commit_callbacks(execute=True):
        add_claims(c, 1, doc="d4")
    assert scores_recompute_dirty(project_id=c.project.pk) == 2
    outlet = SourceScore.objects.get(project=c.project, kind="outlet", entity_id=0)
    author = SourceScore.objects.get(project=c.project, kind="author", entity_id=0)
    assert (outlet.documents, outlet.claims, outlet.opinions, outlet.figures["opinion_share"]["point"]) == (
        1,
        1,
        1,
        0.5,
    )
    assert (author.documents, author.scored_documents, author.claims) == (2, 1, 1)


def test_documents_of_a_targeted_source_that_were_never_counted_are_counted(
    sent, django_capture_on_commit_callbacks
):
    """A document of Outlet A loaded with the signals off (so never counted) is counted by the
    next incremental recompute of Outlet A (after a new claim on d1): 3 + 1 + its 1 = 5 claims,
    3 documents, all scored."""
    from annotator.credibility.signals import scores_signals_suspended
    from tests.credibility.corpus import span, text_of
    from tests.factories import DocumentFactory

    c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    with scores_signals_suspended():
        late = DocumentFactory(project=c.project, text=text_of(10, "late"), source=c.outlet_a)
        span(late, c.reviewer, 0, "CLAIM")
    with django_capture_on_commit_callbacks(execute=True):
        add_claims(c, 1, doc="d1")
    scores_recompute_dirty(project_id=c.project.pk)
    a = SourceScore.objects.get(project=c.project, kind="outlet", entity_name="Outlet A")
    assert (a.documents, a.scored_documents, a.claims) == (3, 3, 5)
