"""The import job's work: write a saved upload with progress (tasks.py runs it; import_jobs.py starts it)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from annotator.interchange.imports import import_documents
from annotator.interchange.progress import SideProgress
from annotator.jobs.runner import JobOutcome
from annotator.projects.models import Project


def import_summary(counts: dict) -> str:
    message = f"Imported {counts['documents']} documents ({counts['duplicates']} duplicates skipped"
    return message + (f", {counts['rejected']} rejected)." if counts["rejected"] else ").")


def import_job_run(*, job, progress) -> JobOutcome:
    """Write the saved upload. Its files stay until the job succeeds or is cancelled, so a
    failed job (a lost database, a dead worker) can be retried. Progress goes through a side
    connection (``progress`` would only show at commit of an all-or-nothing import)."""
    params = job.params
    side = SideProgress(job.pk)

    def written(phase: str, done: int, total: int) -> None:
        side(
            5 + 94 * done // max(1, total) if phase == "writing" else 5,
            {"documents_total": total, "written": done},
        )

    try:
        root = Path(settings.MEDIA_ROOT)
        files = [(f["name"], (root / f["path"]).read_bytes(), f["format"]) for f in params["files"]]
        annotator = get_user_model().objects.get(pk=params["annotator"]) if params.get("annotator") else None
        counts, rejections = import_documents(
            project=Project.objects.get(pk=job.project_id), user=job.created_by, files=files,
            mode=params["mode"], annotator=annotator, progress=written,
        )  # fmt: skip
    finally:
        side.close()
    return JobOutcome(counts=counts, errors=rejections, message=import_summary(counts))
