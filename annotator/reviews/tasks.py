"""Thin Celery tasks: fetch by id, call one service. Safe to run twice (recompute and replace)."""

from functools import partial

from celery import shared_task

from annotator.documents.models import Document
from annotator.jobs.runner import JOB_TASK, job_run
from annotator.reviews import agreement_services


@shared_task(name="reviews.agreement_document_compute", acks_late=True)
def agreement_document_compute(*, document_id: int) -> None:
    """Recompute a document's agreement after a layer was submitted (no Job: it is quick)."""
    document = Document.objects.select_related("project").filter(pk=document_id).first()
    if document is not None:
        agreement_services.agreement_document_compute(document=document)


@shared_task(name="reviews.agreement_project_compute", **JOB_TASK)
def agreement_project_compute(self, *, job_id: int, project_id: int) -> None:
    """On-demand recomputation of a whole project, reported through a Job."""
    job_run(
        job_id=job_id,
        task=self,
        work=partial(agreement_services.agreement_project_job_run, project_id=project_id),
    )
