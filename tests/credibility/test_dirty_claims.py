"""Claiming dirty markers: writers never wait on a recompute, and no marker is lost."""

import threading
import time
import uuid

import pytest
from django.db import connection

from annotator.credibility import services
from annotator.credibility.models import ScoreDirty, SourceScore
from annotator.credibility.scheduling import scores_mark_dirty
from annotator.credibility.services import (
    Targets,
    scores_recompute,
    scores_recompute_dirty,
)
from annotator.credibility.signals import scores_signals_suspended
from tests.credibility.corpus import build_corpus
from tests.credibility.test_incremental import add_claims, dirty


def outlet_a_claims(project):
    return SourceScore.objects.get(project=project, kind="outlet", entity_name="Outlet A").claims


@pytest.fixture
def scored_corpus():
    """The hand-built corpus, fully recomputed (Outlet A: 4 claims), with no markers left."""
    with scores_signals_suspended():
        c = build_corpus()
    scores_recompute(project=c.project, targets=Targets(everything=True))
    ScoreDirty.objects.all().delete()
    return c


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_while_a_recompute_runs_neither_waits_nor_is_lost(
    scored_corpus, sent, monkeypatch
):
    """A claim added to d2 (and marked dirty, after commit) from another connection
    while the recompute of d2 holds its transaction open finishes at once; the running
    recompute does not see it (Outlet A stays 4), its marker survives with a new task
    queued, and the next run brings Outlet A to 5."""
    c = scored_corpus
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])
    assert len(sent) == 1
    real_recompute = services.scores_recompute
    writer = {}

    def write_from_another_connection():
        started = time.monotonic()
        try:
            add_claims(c, 1)  # commits, then marks d2 dirty on commit
        finally:
            writer["seconds"] = time.monotonic() - started
            connection.close()

    def recompute_with_a_concurrent_write(**kwargs):
        written = real_recompute(**kwargs)
        # The recompute's writes are done but not committed: its locks are held now.
        thread = threading.Thread(target=write_from_another_connection)
        thread.start()
        thread.join(timeout=10)
        writer["blocked"] = thread.is_alive()
        return written

    monkeypatch.setattr(services, "scores_recompute", recompute_with_a_concurrent_write)
    scores_recompute_dirty(project_id=c.project.pk)
    assert writer["blocked"] is False and writer["seconds"] < 5
    assert outlet_a_claims(c.project) == 3
    assert dirty(c.project) == [("document", c.docs["d2"].pk), ("scheduled", 0)]
    assert len(sent) == 2  # the write's mark queued the next run

    monkeypatch.setattr(services, "scores_recompute", real_recompute)
    assert scores_recompute_dirty(project_id=c.project.pk) == 3
    assert outlet_a_claims(c.project) == 4
    assert dirty(c.project) == []


@pytest.mark.django_db
def test_a_failing_recompute_hands_its_markers_back(scored_corpus, sent, monkeypatch):
    """A recompute that raises leaves the claimed document marker in place, unclaimed
    (only the queued-task row is gone); the retry recomputes it: Outlet A 4 + 1 claim."""
    c = scored_corpus
    with scores_signals_suspended():
        add_claims(c, 1)
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "scores_recompute", broken)
    with pytest.raises(RuntimeError):
        scores_recompute_dirty(project_id=c.project.pk)
    assert dirty(c.project) == [("document", c.docs["d2"].pk)]
    assert not ScoreDirty.objects.filter(claim__isnull=False).exists()
    assert outlet_a_claims(c.project) == 3

    monkeypatch.undo()
    assert scores_recompute_dirty(project_id=c.project.pk) == 3
    assert outlet_a_claims(c.project) == 4
    assert dirty(c.project) == []


@pytest.mark.django_db
def test_markers_claimed_by_a_crashed_run_are_taken_by_the_next(scored_corpus, sent):
    """A run that claimed the markers and died before settling (worker killed) leaves
    them claimed; the redelivered task takes them again and recomputes: Outlet A 5."""
    c = scored_corpus
    with scores_signals_suspended():
        add_claims(c, 1)
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])
    services._claim(project_id=c.project.pk, claim=uuid.uuid4())  # ... and then the worker died
    assert scores_recompute_dirty(project_id=c.project.pk) == 3
    assert outlet_a_claims(c.project) == 4
    assert dirty(c.project) == []


@pytest.mark.django_db
def test_marking_a_claimed_row_again_releases_it_from_that_claim(scored_corpus, sent):
    """A change to a document whose marker a running recompute holds clears the claim,
    so that run's settling leaves the marker for the next run."""
    c = scored_corpus
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])
    claim = uuid.uuid4()
    services._claim(project_id=c.project.pk, claim=claim)
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])
    services._settle(project_id=c.project.pk, claim=claim, done=True)
    assert dirty(c.project) == [("document", c.docs["d2"].pk), ("scheduled", 0)]
    assert len(sent) == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_recomputing_the_same_source_at_once_count_once(scored_corpus, sent):
    """Two incremental runs of the same project started together (two workers picking up a
    redelivered task): both finish, Outlet A ends at 4 + 1 = 5 claims (not 6), its row is
    still one row, and no document marker is left."""
    c = scored_corpus
    with scores_signals_suspended():
        add_claims(c, 1)
    scores_mark_dirty(project_id=c.project.pk, document_ids=[c.docs["d2"].pk])
    start, errors = threading.Barrier(2), []

    def worker():
        try:
            start.wait(timeout=10)
            scores_recompute_dirty(project_id=c.project.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert outlet_a_claims(c.project) == 4
    assert SourceScore.objects.filter(project=c.project, kind="outlet", entity_name="Outlet A").count() == 1
    # No document marker is left. If one run settled while the other still held its claim it
    # queued one more (empty) run: then a queued-task row is left and a second task was sent.
    left = dirty(c.project)
    assert left in ([], [("scheduled", 0)])
    assert len(sent) == (2 if left else 1)
