"""Exports: who may export what, streaming it, and export jobs that write a file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from annotator.access import access_project
from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError, PermissionDenied
from annotator.interchange.exporters import exporter_get
from annotator.interchange.selection import STATUSES, ExportSelection
from annotator.jobs.models import JobKind
from annotator.jobs.services import (
    job_create,
    job_enqueue,
    job_failure_recorded,
    job_finish,
    job_progress,
    job_start,
)
from annotator.projects.models import Project, Role
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
    from annotator.interchange.tasks import export_project

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
    job_enqueue(job=job, task=export_project)
    return job


def export_job_run(*, job_id: int, task=None) -> None:
    """Write the export to MEDIA_ROOT/exports/ with progress; safe to run twice (it starts over)."""
    job = job_start(job_id=job_id)
    if job is None:
        return
    params = job.params
    with job_failure_recorded(job_id=job_id, task=task):
        selection = ExportSelection(
            project=Project.objects.get(pk=job.project_id), status=params["status"],
            annotator_id=params.get("annotator"), document_ids=params.get("documents"),
            bom=params.get("bom", False),
        )  # fmt: skip
        exporter = exporter_get(params["format"])
        total = max(1, selection.documents().count())

        def progress(documents: int, annotations: int) -> None:
            job_progress(job_id=job_id, percent=min(99, documents * 100 // total),
                         counts={"documents": documents, "annotations": annotations})  # fmt: skip

        relative = Path("exports") / export_file_name(job_id=job_id, name=exporter.filename(selection))
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        with partial.open("wb") as handle:
            for chunk in exporter.stream(selection, base_url=params.get("base_url", ""), progress=progress):
                handle.write(chunk)
        partial.replace(target)
        counts = {"documents": selection.documents().count(), "annotations": selection.annotations().count(),
                  "relations": selection.relations().count(), "bytes": target.stat().st_size}  # fmt: skip
        job_finish(
            job_id=job_id, counts=counts, message=f"Exported {relative.name}.", result_file=str(relative)
        )


# Job.result_file holds 255 characters: "exports/" + this name stays well inside, whatever the project is called.
EXPORT_NAME_LIMIT = 180


def export_file_name(*, job_id: int, name: str) -> str:
    """``job-<id>-<exporter's name>``, the middle shortened so the extension survives a long project name."""
    full = f"job-{job_id}-{name}"
    if len(full) <= EXPORT_NAME_LIMIT:
        return full
    stem, dot, extension = full.partition(".")
    keep = EXPORT_NAME_LIMIT - len(dot + extension)
    return stem[:keep].rstrip("-_") + dot + extension
