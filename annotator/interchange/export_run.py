"""The export job's work: write the selection to MEDIA_ROOT/exports/ with progress (tasks.py runs it through jobs.runner)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from annotator.interchange.exporters import exporter_get
from annotator.interchange.selection import ExportSelection
from annotator.jobs.runner import JobOutcome
from annotator.projects.models import Project


def export_job_run(*, job, progress) -> JobOutcome:
    """Write the export to MEDIA_ROOT/exports/ with progress; safe to run twice (it starts over)."""
    params = job.params
    selection = ExportSelection(
        project=Project.objects.get(pk=job.project_id), status=params["status"],
        annotator_id=params.get("annotator"), document_ids=params.get("documents"),
        bom=params.get("bom", False),
    )  # fmt: skip
    exporter = exporter_get(params["format"])
    total = max(1, selection.documents().count())

    def exported(documents: int, annotations: int) -> None:
        progress(min(99, documents * 100 // total), {"documents": documents, "annotations": annotations})

    relative = Path("exports") / export_file_name(job_id=job.pk, name=exporter.filename(selection))
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    with partial.open("wb") as handle:
        for chunk in exporter.stream(selection, base_url=params.get("base_url", ""), progress=exported):
            handle.write(chunk)
    partial.replace(target)
    counts = {"documents": selection.documents().count(), "annotations": selection.annotations().count(),
              "relations": selection.relations().count(), "bytes": target.stat().st_size}  # fmt: skip
    return JobOutcome(counts=counts, message=f"Exported {relative.name}.", result_file=str(relative))


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
