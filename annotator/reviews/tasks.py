"""Thin Celery tasks: fetch by id, call one service. Safe to run twice (recompute and replace)."""

from celery import shared_task

from annotator.documents.models import Document
from annotator.jobs.services import job_fail, job_finish, job_progress, job_start
from annotator.projects.models import Project
from annotator.reviews.agreement_services import agreement_document_compute, agreement_project_compute


@shared_task(acks_late=True)
def agreement_document(*, document_id: int) -> None:
    """Recompute a document's agreement after a layer was submitted (no Job: it is quick)."""
    document = Document.objects.select_related("project").filter(pk=document_id).first()
    if document is not None:
        agreement_document_compute(document=document)


@shared_task(acks_late=True)
def agreement_project(*, job_id: int, project_id: int) -> None:
    """On-demand recomputation of a whole project, reported through a Job."""
    if job_start(job_id=job_id) is None:
        return
    try:
        project = Project.objects.get(pk=project_id)
        overall = agreement_project_compute(
            project=project, progress=lambda pct: job_progress(job_id=job_id, percent=pct)
        )
    except Exception as exc:
        job_fail(job_id=job_id, message=f"Agreement failed: {exc}")
        raise
    job_finish(
        job_id=job_id,
        counts={"documents": Document.objects.filter(project_id=project_id).count()},
        message=f"Agreement computed: alpha={overall.alpha}, exact F1={overall.exact_f1}",
    )
