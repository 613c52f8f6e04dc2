"""Thin Celery tasks: a job's task is one job_run call (runner.py); names are ``<app>.<entity>_<action>``."""

from celery import shared_task

from annotator.jobs import services
from annotator.jobs.ping import job_ping_run
from annotator.jobs.runner import JOB_TASK, job_run


@shared_task(name="jobs.job_ping", **JOB_TASK)
def job_ping(self, *, job_id: int) -> None:
    """Round trip through the broker: the worker marks the job done and says who it is."""
    job_run(job_id=job_id, task=self, work=job_ping_run)


@shared_task(name="jobs.jobs_reap", acks_late=True, ignore_result=True)
def jobs_reap() -> dict:
    """Celery beat, every minute: jobs the broker refused, and jobs whose worker died."""
    return services.jobs_reap()
