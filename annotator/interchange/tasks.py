"""Celery tasks: one job_run call each (annotator/jobs/runner.py) around the service doing the work."""

from celery import shared_task

from annotator.interchange.export_run import export_job_run
from annotator.interchange.import_run import import_job_run
from annotator.jobs.runner import JOB_TASK, job_run


@shared_task(name="interchange.project_export", **JOB_TASK)
def project_export(self, *, job_id: int) -> None:
    job_run(job_id=job_id, task=self, work=export_job_run)


@shared_task(name="interchange.documents_import", **JOB_TASK)
def documents_import(self, *, job_id: int) -> None:
    job_run(job_id=job_id, task=self, work=import_job_run)
