"""Celery tasks: thin wrappers that call one service, and how to queue them.

All are safe to run twice (recompute-and-upsert); database hiccups retry.
"""

from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from annotator.core.queueing import task_send
from annotator.credibility import services
from annotator.jobs.models import JobKind
from annotator.jobs.runner import JOB_TASK, job_run
from annotator.jobs.services import job_create


@shared_task(name="credibility.scores_recompute_dirty", bind=True, acks_late=True, max_retries=5,
             default_retry_delay=3)  # fmt: skip
def scores_recompute_dirty(self, *, project_id: int) -> int:
    """Incremental, with no Job (it is debounced and quick): the sources touched since the last run."""
    try:
        written = services.scores_recompute_dirty(project_id=project_id)
    except OperationalError as exc:
        raise self.retry(exc=exc)
    if services.scores_reschedule_needed(project_id=project_id):
        scores_recompute_enqueue(project_id=project_id)
    return written


def scores_recompute_enqueue(*, project_id: int) -> None:
    """Queue the project's incremental recompute; call once its ``scheduled`` row is committed."""
    sent = task_send(
        scores_recompute_dirty,
        kwargs={"project_id": project_id},
        countdown=getattr(settings, "CREDIBILITY_DEBOUNCE_SECONDS", 2.0),
    )
    if sent is None:
        services.scores_schedule_release(project_id=project_id)


@shared_task(name="credibility.scores_recompute", **JOB_TASK)
def scores_recompute(self, *, job_id: int | None = None, project_ids: list[int] | None = None) -> None:
    """Full recompute of some or all projects; Celery beat calls it with no job (one is created)."""
    if job_id is None:
        job_id = job_create(
            kind=JobKind.SCORES, params={"project_ids": project_ids, "trigger": "schedule"}, task=self,
            task_kwargs={"project_ids": project_ids},
        ).pk  # fmt: skip
    job_run(
        job_id=job_id, task=self, work=partial(services.scores_recompute_job_run, project_ids=project_ids)
    )
