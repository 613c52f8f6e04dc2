"""Celery task: fetch the job by id and call the one service (safe to run twice)."""

from celery import shared_task

from annotator.hedges.services import hedge_job_run


@shared_task(acks_late=True)
def hedges_suggest(*, job_id: int) -> None:
    hedge_job_run(job_id=job_id)
