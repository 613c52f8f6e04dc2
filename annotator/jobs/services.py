"""Job bookkeeping for background work: create, start, report progress, finish.

Progress is written with a plain UPDATE on the job row so pollers see it
while the job runs. A job whose main work must be all-or-nothing should do
that work in its own ``transaction.atomic()`` block and report progress from
outside it, or accept that progress becomes visible at commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from annotator.jobs.models import Job, JobState


def job_create(*, kind: str, project=None, created_by=None, params: dict | None = None) -> Job:
    return Job.objects.create(kind=kind, project=project, created_by=created_by, params=params or {})


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


def job_enqueue(*, job: Job, task, **kwargs) -> None:
    """Send ``task(job_id=..., **kwargs)`` once the surrounding transaction commits."""

    def send():
        result = task.delay(job_id=job.pk, **kwargs)
        Job.objects.filter(pk=job.pk, celery_task_id="").update(celery_task_id=result.id or "")

    transaction.on_commit(send)


def job_start(*, job_id: int) -> Job | None:
    """Mark the job running; None when it already finished (a redelivered task)."""
    updated = Job.objects.filter(pk=job_id, state__in=[JobState.PENDING, JobState.RUNNING]).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    return Job.objects.get(pk=job_id) if updated else None


def job_progress(*, job_id: int, percent: int, counts: dict | None = None) -> None:
    fields = {"progress": max(0, min(100, int(percent)))}
    if counts is not None:
        fields["counts"] = counts
    Job.objects.filter(pk=job_id).update(**fields)


def job_finish(
    *,
    job_id: int,
    counts: dict | None = None,
    errors: list | None = None,
    message: str = "",
    result_file=None,
) -> Job:
    job = Job.objects.get(pk=job_id)
    job.state = JobState.SUCCEEDED
    job.progress = 100
    job.finished_at = timezone.now()
    job.message = message
    if counts is not None:
        job.counts = counts
    if errors is not None:
        job.errors = errors
    if result_file is not None:
        job.result_file = result_file
    job.save()
    return job


def job_fail(*, job_id: int, message: str, errors: list | None = None, counts: dict | None = None) -> Job:
    job = Job.objects.get(pk=job_id)
    job.state = JobState.FAILED
    job.finished_at = timezone.now()
    job.message = message
    if errors is not None:
        job.errors = errors
    if counts is not None:
        job.counts = counts
    job.save()
    return job
