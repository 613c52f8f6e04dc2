"""job_run, the one lifecycle of a task's job: it starts the job, lets the work report
progress and always ends it (succeeded with the outcome, or failed saying why)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from billiard.exceptions import SoftTimeLimitExceeded
from celery.exceptions import Retry, TimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from annotator.core.errors import ApplicationError
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.runner import JobOutcome, job_run
from annotator.jobs.services import job_create
from annotator.jobs.tasks import job_ping

pytestmark = pytest.mark.django_db


def _job(**fields) -> Job:
    job = job_create(kind=JobKind.PING)
    if fields:
        Job.objects.filter(pk=job.pk).update(**fields)
    return job


def _failing(exc: BaseException):
    def work(*, job, progress):
        progress(40, {"documents": 2})
        raise exc

    return work


def test_success_writes_the_outcome_and_ends_the_job():
    job = _job()
    seen = []

    def work(*, job, progress):
        seen.append((job.state, job.attempts))
        return JobOutcome(message="Done.", counts={"documents": 3}, errors=[{"where": "line 2"}],
                          result_file="exports/x.json")  # fmt: skip

    ended = job_run(job_id=job.pk, work=work)
    job.refresh_from_db()
    assert seen == [(JobState.RUNNING, 1)]
    assert ended == job
    assert (job.state, job.progress, job.message, job.counts, job.errors, job.result_file.name) == (
        JobState.SUCCEEDED, 100, "Done.", {"documents": 3}, [{"where": "line 2"}], "exports/x.json",
    )  # fmt: skip
    assert job.started_at <= job.finished_at and job.attempts == 1


def test_progress_is_visible_while_the_work_runs():
    """A plain UPDATE: a poller reads 40% and the counts before the work returns."""
    job = _job()
    polled = []

    def work(*, job, progress):
        progress(40, {"documents": 2})
        row = Job.objects.get(pk=job.pk)
        polled.append((row.state, row.progress, row.counts, row.heartbeat_at is not None))
        progress(250)  # clamped; counts left as they were
        row = Job.objects.get(pk=job.pk)
        polled.append((row.progress, row.counts))
        return JobOutcome(message="ok")

    job_run(job_id=job.pk, work=work)
    assert polled == [(JobState.RUNNING, 40, {"documents": 2}, True), (100, {"documents": 2})]


def test_any_error_fails_the_job_with_its_type_and_text_and_keeps_the_counts_so_far():
    job = _job()
    ended = job_run(job_id=job.pk, work=_failing(KeyError("exporter vanished")))
    assert (ended.state, ended.message, ended.counts, ended.progress) == (
        JobState.FAILED, "The job failed: KeyError: 'exporter vanished'", {"documents": 2}, 40,
    )  # fmt: skip
    assert ended.finished_at is not None


def test_an_application_error_fails_the_job_with_its_message_and_field_errors():
    job = _job()
    error = ApplicationError.field("format", "Unknown format 'xml'.")
    ended = job_run(job_id=job.pk, work=_failing(error))
    assert (ended.state, ended.message, ended.errors) == (
        JobState.FAILED, "Unknown format 'xml'.", [{"where": "format", "message": "Unknown format 'xml'."}],
    )  # fmt: skip


def test_the_soft_time_limit_fails_the_job_saying_so(settings):
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 1500
    job = _job()
    ended = job_run(job_id=job.pk, work=_failing(SoftTimeLimitExceeded()))
    assert (ended.state, ended.message) == (
        JobState.FAILED,
        "The job ran past its time limit (1500 s) and was stopped. Retry it, or split the work.",
    )


@pytest.mark.parametrize("state", [JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED])
def test_a_job_that_already_ended_is_not_run_again(state):
    """A redelivered message, or a job cancelled before its task ran: the work is not called."""
    finished = timezone.now()
    job = _job(state=state, finished_at=finished, message="as it was")
    calls = []
    assert job_run(job_id=job.pk, work=lambda **kw: calls.append(kw)) is None
    job.refresh_from_db()
    assert calls == []
    assert (job.state, job.attempts, job.message, job.finished_at) == (state, 0, "as it was", finished)


def test_a_running_job_delivered_again_after_its_worker_died_runs_again():
    job = _job(state=JobState.RUNNING, attempts=1, started_at=timezone.now())
    ended = job_run(job_id=job.pk, work=lambda **kw: JobOutcome(message="second run"))
    assert (ended.state, ended.attempts, ended.message) == (JobState.SUCCEEDED, 2, "second run")


def _task(*, retries: int, kwargs: dict):
    """A bound task as a worker runs it; retry() records its arguments and returns Retry to raise."""
    sent = []

    def retry(**options):
        sent.append(options)
        return Retry("again")

    request = SimpleNamespace(retries=retries, is_eager=False, called_directly=False, kwargs=kwargs)
    return SimpleNamespace(request=request, max_retries=3, retry=retry), sent


def test_a_lost_database_is_retried_with_the_same_job_while_retries_remain():
    """Beat starts the full recompute with no job; the job made in the run is the one retried."""
    job = _job()
    task, sent = _task(retries=1, kwargs={"project_ids": None})
    with pytest.raises(Retry):
        job_run(job_id=job.pk, task=task, work=_failing(OperationalError("server closed the connection")))
    assert [(o["countdown"], o["kwargs"]) for o in sent] == [(4, {"project_ids": None, "job_id": job.pk})]
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


def test_a_lost_database_fails_the_job_once_retries_are_exhausted():
    job = _job()
    task, sent = _task(retries=3, kwargs={"job_id": job.pk})
    ended = job_run(job_id=job.pk, task=task, work=_failing(OperationalError("server closed the connection")))
    assert sent == []
    assert (ended.state, ended.message) == (
        JobState.FAILED,
        "The database connection was lost while the job ran (server closed the connection). Retry the job.",
    )


def test_the_hard_time_limit_fails_the_job_of_any_job_task():
    """The pool process is killed, so Celery reports it to the task's on_failure in the worker's
    main process: every job task's base fails the job; other errors there are left alone."""
    job, other = _job(state=JobState.RUNNING), _job(state=JobState.RUNNING)
    job_ping.on_failure(TimeLimitExceeded(1800), "task-id", (), {"job_id": job.pk}, None)
    job_ping.on_failure(RuntimeError("worker lost"), "task-id", (), {"job_id": other.pk}, None)
    job.refresh_from_db()
    assert (job.state, job.message) == (
        JobState.FAILED,
        "The job ran past its hard time limit (1800 s) and its process was stopped. Retry it, or split the work.",
    )
    assert Job.objects.get(pk=other.pk).state == JobState.RUNNING
