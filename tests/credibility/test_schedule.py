"""The scheduled full recompute: Celery beat's entry names the real task, and the task run the
way beat runs it (no arguments) recomputes every project as a Job with progress."""

import pytest
from django.conf import settings

from annotator.config.celery_app import app
from annotator.credibility.models import SourceScore, SourceScoreSnapshot
from annotator.credibility.signals import scores_signals_suspended
from annotator.credibility.tasks import scores_recompute
from annotator.jobs.models import Job, JobState
from tests.credibility.corpus import build_corpus, span
from tests.factories import DocumentFactory, ProjectFactory, member


def test_beat_runs_the_full_recompute_hourly():
    """The beat schedule has one credibility entry: the registered full-recompute task, every 3,600 s."""
    entry = settings.CELERY_BEAT_SCHEDULE["credibility-full-recompute"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["task"] == scores_recompute.name
    assert entry["schedule"] == 3600.0
    assert "args" not in entry and "kwargs" not in entry


@pytest.mark.django_db
def test_the_scheduled_run_recomputes_every_project_as_a_job():
    """Run as beat runs it (no job, no projects), the task creates a scores Job marked
    trigger=schedule and recomputes both projects: the corpus (7 rows) and a second project
    with one gold claim of Outlet A (Outlet A and Unknown author: 2 rows), one snapshot per
    row, ending at 100%."""
    with scores_signals_suspended():
        c = build_corpus()
        other = ProjectFactory()
        doc = DocumentFactory(project=other, text="alpha bravo", source=c.outlet_a)
        span(doc, member(other, "reviewer"), 0, "CLAIM")
    scores_recompute.apply().get()
    job = Job.objects.get(kind="scores")
    assert (job.state, job.progress, job.counts) == (JobState.SUCCEEDED, 100, {"projects": 2, "rows": 9})
    assert job.params == {"project_ids": None, "trigger": "schedule"}
    assert SourceScoreSnapshot.objects.filter(project=c.project).count() == 7
    assert sorted(SourceScore.objects.filter(project=other).values_list("entity_name", "claims")) == [
        ("Outlet A", 1),
        ("Unknown author", 1),
    ]
    assert SourceScore.objects.get(project=c.project, entity_name="Outlet A").claims == 3
