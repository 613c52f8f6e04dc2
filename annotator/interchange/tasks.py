"""Celery tasks: thin wrappers that fetch by id and call one service.

Each runner records any failure on its job (annotator/jobs/services.py:job_failure_recorded)
and retries a lost database connection through the bound task.
"""

from celery import shared_task

from annotator.interchange.export_run import export_job_run
from annotator.interchange.import_run import import_job_run


@shared_task(bind=True, acks_late=True, max_retries=3)
def export_project(self, *, job_id: int) -> None:
    export_job_run(job_id=job_id, task=self)


@shared_task(bind=True, acks_late=True, max_retries=3)
def import_files(self, *, job_id: int) -> None:
    import_job_run(job_id=job_id, task=self)
