"""Every task the Celery app knows: named ``<app>.<entity>_<action>``, each one that runs a Job
ends it (eagerly, here), and the names used before the rename still run (one release)."""

from __future__ import annotations

import importlib
import re
import time

import factory
import pytest
from django.apps import apps as django_apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from annotator import celery_app
from annotator.config.celery_app import TASKS_RENAMED
from annotator.jobs import runner
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import job_create
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member

# Tasks with no Job: quick or periodic housekeeping (their own tests cover them).
JOBLESS = {
    "jobs.jobs_reap",
    "idempotency.idempotent_requests_purge",
    "credibility.scores_recompute_dirty",
    "reviews.agreement_document_compute",
}


EXPORT = {
    "format": "native",
    "status": "all",
    "annotator": None,
    "documents": None,
    "bom": False,
    "base_url": "",
}


def _import_params(media) -> dict:
    (media / "imports" / "up").mkdir(parents=True)
    (media / "imports" / "up" / "0.upload").write_bytes(b'{"text": "One."}\n')
    files = [{"name": "a.jsonl", "path": "imports/up/0.upload", "format": "jsonl", "bytes": 17}]
    return {"files": files, "folder": "imports/up", "mode": "atomic", "annotator": None}


def _job_tasks(project, media) -> dict[str, tuple[str, dict, dict]]:
    """What each Job task needs: the job's kind and params, and the task's other arguments."""
    return {
        "jobs.job_ping": (JobKind.PING, {}, {}),
        "credibility.scores_recompute": (
            JobKind.SCORES,
            {"project_ids": [project.pk]},
            {"project_ids": [project.pk]},
        ),
        "reviews.agreement_project_compute": (
            JobKind.AGREEMENT,
            {"project": project.pk},
            {"project_id": project.pk},
        ),
        "hedges.hedge_documents_suggest": (JobKind.HEDGES, {"document_ids": None}, {}),
        "interchange.project_export": (JobKind.EXPORT, EXPORT, {}),
        "interchange.documents_import": (JobKind.IMPORT, _import_params(media), {}),
    }


JOB_TASKS = [
    "credibility.scores_recompute",
    "hedges.hedge_documents_suggest",
    "interchange.documents_import",
    "interchange.project_export",
    "jobs.job_ping",
    "reviews.agreement_project_compute",
]


@pytest.fixture(autouse=True, scope="module")
def _tasks_imported():
    """As a worker does at start: import every app's tasks module (the tests import only some)."""
    celery_app.loader.import_default_modules()


def _registered() -> set[str]:
    return {name for name in celery_app.tasks if not name.startswith("celery.")}


def test_tasks_are_named_app_dot_entity_action_after_their_function():
    """Each name is "<app>.<function>" of the module that defines it; besides them only the old names."""
    current = _registered() - set(TASKS_RENAMED)
    assert current == set(TASKS_RENAMED.values())
    for name in current:
        task = celery_app.tasks[name]
        app, function = name.split(".")
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", function), name
        assert (task.__module__, task.run.__name__) == (f"annotator.{app}.tasks", function)


def test_every_task_either_runs_a_job_or_is_declared_jobless():
    """A job task has the job base (the hard time limit fails its job) and retries through job_run."""
    assert set(JOB_TASKS) == _registered() - set(TASKS_RENAMED) - JOBLESS
    for name in JOB_TASKS:
        task = celery_app.tasks[name]
        assert isinstance(task, runner.JobTask) and (task.acks_late, task.max_retries) == (True, 3), name


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory()
    DocumentFactory(project=project, text="The deal might collapse, experts say.")
    return project, tmp_path, member(project, Role.MANAGER)


def _job_for(name: str, scene) -> tuple[Job, dict]:
    project, media, manager = scene
    kind, params, kwargs = _job_tasks(project, media)[name]
    return job_create(kind=kind, project=project, created_by=manager, params=params), kwargs


@pytest.mark.parametrize("name", JOB_TASKS)
def test_every_job_task_ends_its_job_succeeded(name, scene):
    job, kwargs = _job_for(name, scene)
    celery_app.tasks[name].apply(kwargs={"job_id": job.pk, **kwargs})
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (JobState.SUCCEEDED, 100, 1), job.message


@pytest.mark.parametrize("name", JOB_TASKS)
def test_every_job_task_ends_its_job_failed_when_it_breaks(name, scene, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runner, "job_finish", broken)
    job, kwargs = _job_for(name, scene)
    celery_app.tasks[name].apply(kwargs={"job_id": job.pk, **kwargs})
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.FAILED, "The job failed: RuntimeError: disk full")


@pytest.mark.parametrize("old", sorted(TASKS_RENAMED))
def test_an_old_name_sends_the_same_arguments_to_the_new_task(old, monkeypatch):
    new = celery_app.tasks[TASKS_RENAMED[old]]
    sent = []
    monkeypatch.setattr(new, "apply_async", lambda **options: sent.append(options))
    celery_app.tasks[old].apply(kwargs={"job_id": 7, "project_id": 3})
    assert sent == [{"args": (), "kwargs": {"job_id": 7, "project_id": 3}}]


@pytest.mark.parametrize("old", sorted(o for o, n in TASKS_RENAMED.items() if n in JOB_TASKS))
def test_a_message_queued_under_an_old_name_ends_its_job(old, scene):
    job, kwargs = _job_for(TASKS_RENAMED[old], scene)
    celery_app.tasks[old].apply(kwargs={"job_id": job.pk, **kwargs})
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.message


def test_the_migration_renames_stored_task_names(db):
    """Job rows (what retry and the reaper send) and beat's periodic tasks; others are left."""
    migration = importlib.import_module("annotator.jobs.migrations.0004_task_names_renamed")
    assert migration.RENAMED == TASKS_RENAMED
    old = "annotator.credibility.tasks.scores_recompute_task"
    job = job_create(kind=JobKind.SCORES)
    other = job_create(kind=JobKind.PING)
    Job.objects.filter(pk=job.pk).update(task_name=old)
    Job.objects.filter(pk=other.pk).update(task_name="somewhere.else")
    every = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    beat = PeriodicTask.objects.create(name="hourly", task=old, interval=every)
    migration.forwards(django_apps, None)
    assert Job.objects.get(pk=job.pk).task_name == "credibility.scores_recompute"
    assert Job.objects.get(pk=other.pk).task_name == "somewhere.else"
    assert PeriodicTask.objects.get(pk=beat.pk).task == "credibility.scores_recompute"
    migration.backwards(django_apps, None)
    assert Job.objects.get(pk=job.pk).task_name == old


def test_beat_sends_only_registered_tasks(settings):
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat == {"credibility.scores_recompute", "jobs.jobs_reap", "idempotency.idempotent_requests_purge"}
    assert beat <= _registered() - set(TASKS_RENAMED)


@pytest.mark.integration
def test_a_message_under_an_old_name_runs_on_a_real_worker(celery_workers):
    """Queued before a deploy under the old name, run by a worker of the new code: the job ends."""
    celery_workers.start(1)
    job = job_create(kind=JobKind.PING)
    celery_app.send_task("annotator.jobs.tasks.ping", kwargs={"job_id": job.pk}, queue=celery_workers.queue)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Job.objects.get(pk=job.pk).state != JobState.SUCCEEDED:
        time.sleep(0.1)
    job.refresh_from_db()
    assert (job.state, job.counts) == (JobState.SUCCEEDED, {"pong": 1})
    assert job.message.startswith("pong from ")


@pytest.mark.integration
def test_a_job_stopped_at_the_soft_time_limit_on_a_real_worker_ends_failed(celery_workers):
    """The worker raises SoftTimeLimitExceeded inside the work (here after 1 s of a ~15 s job):
    the job ends failed saying so, instead of running on or staying ``running``."""
    project = ProjectFactory()
    text = "Officials say the deal might collapse, and it is widely believed that talks could fail. " * 200
    DocumentFactory.create_batch(500, project=project, text=factory.Sequence(lambda n: f"{n}. {text}"))
    job = job_create(kind=JobKind.HEDGES, project=project, params={"document_ids": None})
    celery_workers.start(1)
    celery_app.tasks["hedges.hedge_documents_suggest"].apply_async(
        kwargs={"job_id": job.pk}, soft_time_limit=1, time_limit=120
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and Job.objects.get(pk=job.pk).state in (
        JobState.PENDING,
        JobState.RUNNING,
    ):
        time.sleep(0.1)
    job.refresh_from_db()
    assert (job.state, job.message) == (
        JobState.FAILED,
        "The job ran past its time limit (1 s) and was stopped. Retry it, or split the work.",
    )
    assert job.progress < 100 and job.finished_at is not None
