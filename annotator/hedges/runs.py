"""Starting suggestion jobs: on import (the documents_added signal) and on demand."""

from __future__ import annotations

from django.conf import settings

from annotator.hedges.tasks import hedge_documents_suggest
from annotator.jobs.models import Job, JobKind
from annotator.jobs.services import job_queue
from annotator.projects.models import Project


def hedge_job_start(*, project: Project, user=None, document_ids: list[int] | None = None) -> Job:
    """Queue a job suggesting hedge cues for ``document_ids`` (the whole project when None).

    One INSERT, sent on commit: called inside an import's transaction, the job row commits
    with the documents (or not at all) and adds no commit of its own."""
    return job_queue(
        kind=JobKind.HEDGES, task=hedge_documents_suggest, project=project, created_by=user,
        params={"document_ids": document_ids},
    )  # fmt: skip


def hedges_on_documents_added(
    sender, *, project: Project, document_ids: list[int], user=None, **kwargs
) -> None:
    """Receiver of documents_added (inside the storing transaction): suggest cues in the new
    documents, unless switched off."""
    if not settings.ASSAY_HEDGES_ON_IMPORT:
        return
    hedge_job_start(
        project=project, user=user if getattr(user, "pk", None) else None, document_ids=document_ids
    )
