"""The one Job lifecycle of a Celery task: claim, run, report progress, always end.

Every task that runs a Job is ``@shared_task(name="<app>.<entity>_<action>", **JOB_TASK)``
whose body is one call, ``job_run(job_id=job_id, task=self, work=<service>)``. The work
is a service ``work(*, job, progress) -> JobOutcome``: it does not start, finish or fail
the job itself, so it can be tested directly and every kind of job ends the same way:

- a job that already ended (a redelivered message, a cancelled job) is not run again;
  a ``running`` one (its worker died, the broker delivered it again) runs again;
- success writes the outcome (``succeeded``, progress 100) and deletes what the job kept
  to be retried (an import's upload);
- a lost database connection is retried by the task (2, 4, 6 s) while retries remain,
  then fails the job saying so; an ApplicationError fails it with its message and field
  errors; the soft time limit fails it saying so; any other error fails it with the
  error's type and text. The error is logged, not raised: the message is acknowledged
  and the job row carries the outcome.

The hard time limit kills the process running the work: JobTask.on_failure fails the job
then. What is not caught is the worker itself going away (SIGKILL, out of memory, a cold
shutdown): the job stays ``running`` until the broker delivers the message again or the
reaper (services.jobs_reap) runs it again or fails it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from celery import Task
from celery.exceptions import Retry, SoftTimeLimitExceeded, TimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

from annotator.core.errors import ApplicationError
from annotator.jobs.models import Job, JobState
from annotator.jobs.services import job_cleanup, job_fail, job_finish, job_progress, job_start

log = logging.getLogger(__name__)


class JobTask(Task):
    """Base of the tasks that run a Job: the hard time limit fails the job too.

    At the hard limit the pool process is killed mid-work, so job_run never sees it; Celery
    calls ``on_failure`` in the worker's main process instead, with the task's arguments.
    """

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = (kwargs or {}).get("job_id")
        if isinstance(exc, TimeLimitExceeded) and job_id is not None:
            log.error("job %s: its process was stopped at the hard time limit", job_id)
            limit = exc.args[0] if exc.args else settings.CELERY_TASK_TIME_LIMIT
            job_fail(job_id=job_id, message=(
                f"The job ran past its hard time limit ({limit:g} s) and its process was stopped. "
                "Retry it, or split the work."
            ))  # fmt: skip


# The options of every task that runs a Job: bound (job_run retries through it), acknowledged
# after it ran (a dead worker's message is delivered again), three retries of a lost database.
JOB_TASK = {"base": JobTask, "bind": True, "acks_late": True, "max_retries": 3}


@dataclass(frozen=True)
class JobOutcome:
    """What a job's work reports when it succeeded; ``None`` fields leave the row's value."""

    message: str
    counts: dict | None = None
    errors: list | None = None
    result_file: str | None = None


Progress = Callable[..., None]  # progress(percent, counts=None): a plain UPDATE, seen while the job runs
Work = Callable[..., JobOutcome]  # work(*, job, progress)


def job_run(*, job_id: int, work: Work, task=None) -> Job | None:
    """Run ``work`` as job ``job_id``; the ended job, or None when it had already ended.

    ``task`` is the bound Celery task, to retry a lost database connection; run eagerly,
    called directly or without ``task``, every error fails the job at once.
    """
    job = job_start(job_id=job_id)
    if job is None:
        log.info("job %s already ended; not run again", job_id)
        return None
    try:
        outcome = work(job=job, progress=partial(_progress, job_id))
        finished = job_finish(
            job_id=job_id, counts=outcome.counts, errors=outcome.errors, message=outcome.message,
            result_file=outcome.result_file,
        )  # fmt: skip
    except Retry:
        raise
    except (OperationalError, InterfaceError) as exc:
        return _connection_lost(job_id=job_id, task=task, exc=exc)
    except ApplicationError as exc:
        errors = [{"where": key, "message": m} for key, messages in exc.errors.items() for m in messages]
        return job_fail(job_id=job_id, message=exc.message, errors=errors)
    except SoftTimeLimitExceeded:
        log.error("job %s stopped at the soft time limit", job_id)
        # The message's limits, (hard, soft), when it was sent with its own; else the settings'.
        limits = getattr(getattr(task, "request", None), "timelimit", None) or (None, None)
        limit = limits[1] or settings.CELERY_TASK_SOFT_TIME_LIMIT
        return job_fail(job_id=job_id, message=(
            f"The job ran past its time limit ({limit:g} s) and was stopped. Retry it, or split the work."
        ))  # fmt: skip
    except Exception as exc:
        log.exception("job %s failed", job_id)
        return job_fail(job_id=job_id, message=f"The job failed: {type(exc).__name__}: {exc}")
    if finished.state == JobState.SUCCEEDED:
        job_cleanup(job=finished)
    return finished


def _progress(job_id: int, percent: int, counts: dict | None = None) -> None:
    job_progress(job_id=job_id, percent=percent, counts=counts)


def _connection_lost(*, job_id: int, task, exc: Exception) -> Job:
    """Retry through ``task`` while retries remain (the job stays running), else fail the job."""
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()  # the next query opens a fresh connection
    request = getattr(task, "request", None)
    retries = getattr(request, "retries", None)
    in_worker = request is not None and not (request.is_eager or request.called_directly)
    if in_worker and retries < task.max_retries:
        log.warning("job %s: database connection lost, retrying: %s", job_id, exc)
        # The same job again (a beat-started task created its job in this run: keep its id).
        kwargs = {**(request.kwargs or {}), "job_id": job_id}
        raise task.retry(exc=exc, countdown=2 * (retries + 1), kwargs=kwargs) from None
    log.exception("job %s failed: database connection lost", job_id)
    return job_fail(
        job_id=job_id, message=f"The database connection was lost while the job ran ({exc}). Retry the job."
    )
