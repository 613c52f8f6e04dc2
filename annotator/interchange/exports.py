"""Exports: who may export what, streaming it, and starting export jobs (export_run.py writes the file)."""

from __future__ import annotations

from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.interchange.exporters import exporter_get
from annotator.interchange.selection import STATUSES, ExportSelection
from annotator.interchange.tasks import project_export
from annotator.jobs.models import JobKind
from annotator.jobs.services import job_create, job_enqueue
from annotator.projects.models import Role
from annotator.projects.selectors import role_at_least


def export_selection_for(
    *, user, project_id: int, status: str = "all", annotator_id: int | None = None,
    document_ids: list[int] | None = None, bom: bool = False,
) -> ExportSelection:  # fmt: skip
    """The selection the caller may export: reviewers and managers any layer, annotators their own."""
    project, role = access_project(user=user, project_id=project_id)
    if status not in STATUSES:
        raise ApplicationError.field(
            "status", f"Unknown status {status!r}; use one of {', '.join(STATUSES)}."
        )
    if not role_at_least(role, Role.REVIEWER):
        if status == Layer.GOLD:
            raise PermissionDenied("Only reviewers and managers can export the gold layer.")
        if annotator_id not in (None, user.pk):
            raise PermissionDenied("Annotators can export only their own layer.")
        annotator_id = user.pk
    return ExportSelection(
        project=project, status=status, annotator_id=annotator_id, document_ids=document_ids, bom=bom
    )


def export_job_assert_downloadable(*, user, job) -> None:
    """The caller may still read what this export job's file holds.

    The file keeps the layers its selection held when the job ran; access is decided by
    the caller's role now, not when the job started: a non-member gets NotFound, and a
    reviewer since made an annotator cannot fetch the gold or other layers they exported.
    """
    _, role = access_project(user=user, project_id=job.project_id)
    if role_at_least(role, Role.REVIEWER):
        return
    if job.params.get("status") == Layer.GOLD or job.params.get("annotator") != user.pk:
        raise PermissionDenied(
            f"This export holds layers you can no longer see in the project (you are {role})."
        )


def export_stream(*, selection: ExportSelection, format: str, base_url: str = ""):
    """(chunks, media type, file name) for one export."""
    exporter = exporter_get(format)
    return (
        exporter.stream(selection, base_url=base_url),
        exporter.media_type_for(selection),
        exporter.filename(selection),
    )


@transaction.atomic
def export_job_start(*, user, selection: ExportSelection, format: str, base_url: str = ""):
    exporter_get(format)  # refuse unknown formats before queueing anything
    job = job_create(
        kind=JobKind.EXPORT,
        project=selection.project,
        created_by=user,
        params={
            "format": format,
            "status": selection.status,
            "annotator": selection.annotator_id,
            "documents": selection.document_ids,
            "bom": selection.bom,
            "base_url": base_url,
        },  # fmt: skip
    )
    job_enqueue(job=job, task=project_export)
    return job
