"""Real Celery workers over Redis: coalescing under a burst, and concurrent full recomputes."""

import time

import pytest

from annotator.credibility.models import ScoreDirty, SourceScore, SourceScoreSnapshot
from annotator.credibility.signals import scores_signals_suspended
from annotator.credibility.tasks import scores_recompute
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import job_create
from tests.credibility.corpus import build_corpus
from tests.credibility.test_incremental import add_claims

pytestmark = pytest.mark.integration


def wait_until(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def figures(project):
    return dict(SourceScore.objects.filter(project=project).values_list("entity_name", "claims"))


def test_a_burst_of_100_changes_gives_a_bounded_number_of_recomputes(celery_workers):
    """100 spans added to one Outlet A document, each in its own transaction, while a
    worker runs: the debounce (2 s) coalesces them into a few recomputes (at most 5,
    typically 1 or 2), and the figures end right: Outlet A 3 own + 100 claims."""
    with scores_signals_suspended():
        c = build_corpus()
    celery_workers.start(1)
    started = time.monotonic()
    add_claims(c, 100)
    burst_seconds = time.monotonic() - started

    def settled():
        return (
            not ScoreDirty.objects.filter(project=c.project).exists()
            and figures(c.project).get("Outlet A") == 103
        )

    wait_until(settled, what="the recompute of Outlet A")
    recomputes = SourceScoreSnapshot.objects.filter(project=c.project, entity_name="Outlet A").count()
    assert 1 <= recomputes <= 5, f"{recomputes} recomputes for a {burst_seconds:.1f}s burst"
    assert figures(c.project) == {
        "Outlet A": 103,
        "Author X": 103,
        "Author Y": 102,
        # untouched by the burst, so never computed
    }


def test_two_workers_running_the_full_recompute_at_once_end_correct(celery_workers):
    """Two full-recompute jobs sent together to two workers: both succeed, each writes one
    snapshot per source, and the current rows are the right figures, once each."""
    with scores_signals_suspended():
        c = build_corpus()
    celery_workers.start(2)
    jobs = [job_create(kind=JobKind.SCORES, project=c.project) for _ in range(2)]
    for job in jobs:
        scores_recompute.delay(job_id=job.pk, project_ids=[c.project.pk])
    wait_until(
        lambda: all(Job.objects.get(pk=j.pk).state == JobState.SUCCEEDED for j in jobs), what="both jobs"
    )
    assert figures(c.project) == {
        "Outlet A": 3,
        "Outlet B": 1,
        "Unknown outlet": 0,
        "Author X": 3,
        "Author Y": 2,
        "Unknown author": 0,
        "Speaker S": 2,
    }
    assert SourceScoreSnapshot.objects.filter(project=c.project).count() == 14
    done = Job.objects.get(pk=jobs[0].pk)
    assert (done.progress, done.counts) == (100, {"projects": 1, "rows": 7})
