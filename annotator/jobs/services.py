"""Job bookkeeping for background work: create, queue, start, report progress, finish.

Progress is written with a plain UPDATE on the job row so pollers see it
while the job runs. A job whose main work must be all-or-nothing should do
that work in its own ``transaction.atomic()`` block and report progress from
outside it, or accept that progress becomes visible at commit.

Every job ends ``succeeded``, ``failed`` (with its error) or ``cancelled``:
- a job that could not be queued (broker down) stays ``pending`` and says so;
  the reaper (jobs_reap, every minute from Celery beat) queues it again;
- a job whose worker died (SIGKILL, out of memory, host lost) stops showing
  signs of life; the reaper runs it again, up to ASSAY_JOB_MAX_ATTEMPTS runs,
  then fails it;
- a task's work that raises anything fails the job with its message; a lost database
  connection is retried by the task first (runner.job_run, the one lifecycle of a task).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app as app  # the project's app (annotator/__init__.py); jobs sit below config
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, TextField, Value, When
from django.utils import timezone

from annotator.core.errors import ApplicationError
from annotator.core.queueing import task_send
from annotator.jobs.models import FINISHED_STATES, Job, JobState

log = logging.getLogger(__name__)

NOT_QUEUED = (
    "Not queued yet: the task queue (broker) could not be reached. It is queued again automatically "
    "within a minute of the broker coming back, or at once with Retry."
)
_LIVE = [JobState.PENDING, JobState.RUNNING]


def job_create(
    *, kind: str, project=None, created_by=None, params: dict | None = None, task=None,
    task_kwargs: dict | None = None,
) -> Job:  # fmt: skip
    """A pending job; ``task`` names the task already running it (Celery beat), so the reaper can
    run it again if its worker dies. Jobs queued from a request get theirs from job_queue/job_enqueue."""
    return Job.objects.create(
        kind=kind, project=project, created_by=created_by, params=params or {},
        task_name=task.name if task is not None else "", task_kwargs=task_kwargs or {},
    )  # fmt: skip


def job_create_finished(
    *, kind: str, project=None, created_by=None, params: dict | None = None, counts: dict | None = None,
    errors: list | None = None, message: str = "", started_at=None,
) -> Job:  # fmt: skip
    """A job that ran inside the request that asked for it, stored already succeeded."""
    now = timezone.now()
    return Job.objects.create(
        kind=kind, project=project, created_by=created_by, params=params or {}, state=JobState.SUCCEEDED,
        progress=100, counts=counts or {}, errors=errors or [], message=message, started_at=started_at or now,
        finished_at=now,
    )  # fmt: skip


def job_queue(
    *, kind: str, task, project=None, created_by=None, params: dict | None = None, **kwargs
) -> Job:  # fmt: skip
    """A pending job that runs ``task(job_id=..., **kwargs)``, sent once the surrounding
    transaction commits (at once outside one). One INSERT: inside a caller's transaction the
    job commits with the work that asked for it, or not at all."""
    job = job_create(kind=kind, project=project, created_by=created_by, params=params, task=task,
                     task_kwargs=kwargs)  # fmt: skip
    transaction.on_commit(lambda: job_send(job=job))
    return job


def job_enqueue(*, job: Job, task, **kwargs) -> None:
    """Send ``task(job_id=..., **kwargs)`` once the surrounding transaction commits.

    The task and its arguments are stored on the job, so the job can be queued again
    (broker outage, dead worker, Retry) without the request that made it.
    """
    job.task_name, job.task_kwargs = task.name, kwargs
    Job.objects.filter(pk=job.pk).update(task_name=task.name, task_kwargs=kwargs)
    transaction.on_commit(lambda: job_send(job=job))


def job_send(*, job: Job) -> bool:
    """Queue the job's task now; False (and the job says why) when the broker is unreachable."""
    task = app.tasks[job.task_name]
    task_id = task_send(task, kwargs={"job_id": job.pk, **job.task_kwargs})
    if task_id is None:
        Job.objects.filter(pk=job.pk, state=JobState.PENDING).update(message=NOT_QUEUED, celery_task_id="")
        job.message = NOT_QUEUED
        return False
    # In eager mode the task already ran: keep what it wrote, add only the id (and drop an
    # earlier NOT_QUEUED), in one statement.
    Job.objects.filter(pk=job.pk).update(
        celery_task_id=task_id,
        message=Case(
            When(message=NOT_QUEUED, then=Value("")), default=F("message"), output_field=TextField()
        ),
    )
    if job.message == NOT_QUEUED:
        job.message = ""
    job.celery_task_id = task_id
    return True


def job_start(*, job_id: int) -> Job | None:
    """Mark the job running; None when it already ended (a redelivered or cancelled task)."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job_id, state__in=_LIVE).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
        message="",
    )  # fmt: skip
    return Job.objects.get(pk=job_id) if updated else None


def job_progress(*, job_id: int, percent: int, counts: dict | None = None) -> None:
    fields = {"progress": max(0, min(100, int(percent))), "heartbeat_at": timezone.now()}
    if counts is not None:
        fields["counts"] = counts
    Job.objects.filter(pk=job_id).update(**fields)


def _end(job_id: int, **fields) -> Job:
    """Write the end of a job unless it already ended (a cancel wins over a late finish)."""
    Job.objects.filter(pk=job_id, state__in=_LIVE).update(finished_at=timezone.now(), **fields)
    return Job.objects.get(pk=job_id)


def job_finish(
    *,
    job_id: int,
    counts: dict | None = None,
    errors: list | None = None,
    message: str = "",
    result_file=None,
) -> Job:
    fields = {"state": JobState.SUCCEEDED, "progress": 100, "message": message}
    if counts is not None:
        fields["counts"] = counts
    if errors is not None:
        fields["errors"] = errors
    if result_file is not None:
        fields["result_file"] = str(result_file)
    return _end(job_id, **fields)


def job_fail(*, job_id: int, message: str, errors: list | None = None, counts: dict | None = None) -> Job:
    fields = {"state": JobState.FAILED, "message": message}
    if errors is not None:
        fields["errors"] = errors
    if counts is not None:
        fields["counts"] = counts
    return _end(job_id, **fields)


def job_cancel(*, job: Job, user) -> Job:
    """Stop a job that has not ended: it never starts, or its running task is terminated."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.state in FINISHED_STATES:
            raise ApplicationError.field(
                "state", f"Job {locked.pk} already ended ({locked.state}); nothing to cancel."
            )
        name = user.get_username() if user is not None else "the system"
        _end(locked.pk, state=JobState.CANCELLED, message=f"Cancelled by {name}.")
    if locked.celery_task_id:
        try:
            app.control.revoke(locked.celery_task_id, terminate=locked.state == JobState.RUNNING)
        except Exception as exc:  # noqa: BLE001 - the job row already says cancelled; job_start refuses it
            log.warning("job %s: could not revoke task %s: %s", locked.pk, locked.celery_task_id, exc)
    job_cleanup(job=locked)
    return Job.objects.get(pk=locked.pk)


def job_retry(*, job: Job) -> Job:
    """Run a failed or cancelled job again (or queue one the broker refused); same job, same id."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        queued_never = locked.state == JobState.PENDING and not locked.celery_task_id
        if locked.state not in (JobState.FAILED, JobState.CANCELLED) and not queued_never:
            raise ApplicationError.field(
                "state",
                f"Job {locked.pk} is {locked.state}; only failed, cancelled or unqueued jobs can be retried.",
            )
        if not locked.task_name:
            raise ApplicationError.field(
                "state", f"Job {locked.pk} was not started by a task and cannot be retried."
            )
        problem = job_retry_problem(job=locked)
        if problem:
            raise ApplicationError.field("state", problem)
        Job.objects.filter(pk=locked.pk).update(
            state=JobState.PENDING, progress=0, errors=[], message="", started_at=None, finished_at=None,
            attempts=0, celery_task_id="",
        )  # fmt: skip
        locked.refresh_from_db()
        transaction.on_commit(lambda: job_send(job=locked))
    return Job.objects.get(pk=locked.pk)


def job_retry_problem(*, job: Job) -> str | None:
    """Why this job cannot run again, or None (imports need their saved upload)."""
    from django.core.files.storage import default_storage

    folder = job.params.get("folder")
    if folder and not default_storage.exists(folder):
        return f"The upload of job {job.pk} is no longer kept; upload the files again."
    return None


def job_cleanup(*, job: Job) -> None:
    """Delete what an ended job kept to be retried (an import's upload) once it cannot be needed."""
    import shutil
    from pathlib import Path

    folder = job.params.get("folder")
    if folder:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / folder, ignore_errors=True)


def _uploads_expire(*, now) -> None:
    """Delete the uploads that failed jobs kept for a retry, ASSAY_JOB_UPLOAD_KEEP_DAYS after they failed."""
    cutoff = now - timedelta(days=settings.ASSAY_JOB_UPLOAD_KEEP_DAYS)
    expired = Job.objects.filter(state=JobState.FAILED, finished_at__lt=cutoff, params__has_key="folder")
    for job in expired.only("pk", "params"):
        job_cleanup(job=job)


def _active_task_ids() -> set[str] | None:
    """Task ids running on any worker now; None when the workers cannot be asked (broker down)."""
    try:
        replies = app.control.inspect(timeout=settings.ASSAY_JOB_INSPECT_TIMEOUT).active()
    except Exception as exc:  # noqa: BLE001 - no answer: do not guess that workers died
        log.warning("jobs reaper: cannot ask the workers what runs: %s", exc)
        return None
    return {task["id"] for tasks in (replies or {}).values() for task in tasks}


def jobs_reap(*, now=None, stale_after: float | None = None) -> dict:
    """Queue again the jobs the broker refused, and restart (or fail) those whose worker died.

    Safe to run any time and twice: a job whose task is still running on a worker, or
    that shows signs of life, is left alone; job_start refuses a task of an ended job.
    """
    now = now or timezone.now()
    stale_after = settings.ASSAY_JOB_STALE_SECONDS if stale_after is None else stale_after
    report = {"queued": 0, "restarted": 0, "failed": 0}
    _uploads_expire(now=now)
    unqueued = Job.objects.filter(state=JobState.PENDING, celery_task_id="").exclude(task_name="")
    for job in unqueued.filter(created_at__lt=now - timedelta(seconds=min(stale_after, 30))):
        report["queued"] += job_send(job=job)
    stale = list(
        Job.objects.filter(
            state=JobState.RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_after)
        ).exclude(task_name="")
    )
    if not stale:
        return report
    active = _active_task_ids()
    if active is None:
        return report
    for job in stale:
        if job.celery_task_id in active:
            continue
        if job.attempts >= settings.ASSAY_JOB_MAX_ATTEMPTS:
            job_fail(job_id=job.pk, message=(
                f"The worker running this job stopped {job.attempts} times (killed or out of memory); "
                "it was not restarted again. Retry it, or split the work."
            ))  # fmt: skip
            report["failed"] += 1
            continue
        restarted = Job.objects.filter(
            pk=job.pk, state=JobState.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(
            state=JobState.PENDING, message="Restarted: the worker running it stopped.", celery_task_id=""
        )
        if restarted:
            job.state, job.celery_task_id = JobState.PENDING, ""
            job_send(job=job)
            report["restarted"] += 1
    return report
