"""Celery tasks: thin wrappers that fetch by id and call one service, and how to queue them.

All are safe to run twice (recompute-and-upsert); database hiccups retry.
"""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from annotator.core.queueing import task_send
from annotator.credibility.services import (
    scores_recompute_dirty,
    scores_recompute_projects,
    scores_reschedule_needed,
    scores_schedule_release,
)
from annotator.jobs.models import JobKind
from annotator.jobs.services import job_create, job_fail


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=3)
def scores_recompute_dirty_task(self, *, project_id: int) -> int:
    """Incremental: the sources touched since the last run of this project."""
    try:
        written = scores_recompute_dirty(project_id=project_id)
    except OperationalError as exc:
        raise self.retry(exc=exc)
    if scores_reschedule_needed(project_id=project_id):
        scores_recompute_enqueue(project_id=project_id)
    return written


def scores_recompute_enqueue(*, project_id: int) -> None:
    """Queue the project's incremental recompute; call once its ``scheduled`` row is committed."""
    sent = task_send(
        scores_recompute_dirty_task,
        kwargs={"project_id": project_id},
        countdown=getattr(settings, "CREDIBILITY_DEBOUNCE_SECONDS", 2.0),
    )
    if sent is None:
        scores_schedule_release(project_id=project_id)


@shared_task(bind=True, acks_late=True, max_retries=3, default_retry_delay=10)
def scores_recompute_task(self, *, job_id: int | None = None, project_ids: list[int] | None = None) -> dict:
    """Full recompute of some or all projects; Celery beat calls it with no job (one is created)."""
    if job_id is None:
        job_id = job_create(
            kind=JobKind.SCORES, params={"project_ids": project_ids, "trigger": "schedule"}
        ).pk
    try:
        return scores_recompute_projects(project_ids=project_ids, job_id=job_id)
    except OperationalError as exc:
        if self.request.retries >= self.max_retries:
            job_fail(job_id=job_id, message=f"Recompute failed: {exc}")
            raise
        raise self.retry(exc=exc, kwargs={"job_id": job_id, "project_ids": project_ids})
    except Exception as exc:
        job_fail(job_id=job_id, message=f"Recompute failed: {type(exc).__name__}: {exc}")
        raise
