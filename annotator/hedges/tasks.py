"""Celery task: one job_run call around the one service (safe to run twice)."""

from celery import shared_task

from annotator.hedges.services import hedge_job_run
from annotator.jobs.runner import JOB_TASK, job_run


@shared_task(name="hedges.hedge_documents_suggest", **JOB_TASK)
def hedge_documents_suggest(self, *, job_id: int) -> None:
    """Suggest hedge cues in the job's documents (all of its project when none are named)."""
    job_run(job_id=job_id, task=self, work=hedge_job_run)
