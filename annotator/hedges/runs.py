"""Starting suggestion jobs: on import (the documents_added signal) and on demand."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from annotator.hedges.tasks import hedge_documents_suggest
from annotator.jobs.models import Job, JobKind
from annotator.jobs.services import job_create, job_enqueue
from annotator.projects.models import Project


def hedge_job_start(*, project: Project, user=None, document_ids: list[int] | None = None) -> Job:
    """Queue a job suggesting hedge cues for ``document_ids`` (the whole project when None)."""
    with transaction.atomic():
        job = job_create(
            kind=JobKind.HEDGES,
            project=project,
            created_by=user,
            params={"document_ids": document_ids},
        )
        job_enqueue(job=job, task=hedge_documents_suggest)
    return job


def hedges_on_documents_added(
    sender, *, project_id: int, document_ids: list[int], user=None, **kwargs
) -> None:
    """Receiver of documents_added: suggest cues in the new documents, unless switched off."""
    if not settings.ASSAY_HEDGES_ON_IMPORT:
        return
    project = Project.objects.filter(pk=project_id).first()
    if project is not None:
        hedge_job_start(
            project=project, user=user if getattr(user, "pk", None) else None, document_ids=document_ids
        )
