"""Import jobs: check an upload now (so bad input is a 4xx at once), write it in a Celery job.

An upload of at most ASSAY_IMPORT_INLINE_BYTES is written inside the request instead (as
Label Studio answers a small upload): the answer is the finished job, with no queue round
trip and no second parse. The documents, the finished job row, the credibility marks and
the hedges job row are one transaction and one commit; only task sends follow the commit.

The request parses and validates everything before queueing: file-level
problems and, in all-or-nothing mode, any rejected line are answered with a
400 and nothing is stored. The job parses the saved files again and writes
(import_run.py).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotator.core.errors import ApplicationError
from annotator.core.gc_pause import gc_paused
from annotator.interchange.import_parse import import_parse, rejections_error
from annotator.interchange.import_run import import_summary
from annotator.interchange.importers.base import Taxonomy
from annotator.interchange.imports import import_write
from annotator.interchange.tasks import documents_import
from annotator.jobs.models import JobKind
from annotator.jobs.services import job_create_finished, job_queue
from annotator.projects.models import Project


class PayloadTooLarge(ApplicationError):
    status_code = 413


def upload_assert_size(*, size: int | None, name: str = "The upload") -> None:
    limit = settings.ASSAY_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise PayloadTooLarge(
            f"{name} is {size:,} bytes; the limit is {limit:,} bytes (ASSAY_MAX_UPLOAD_BYTES). Split it into smaller files.",
            errors={"file": [f"larger than {limit:,} bytes"]},
        )


def import_inline(files: list[tuple[str, bytes, str]]) -> bool:
    """Whether an upload is small enough to import inside the request (ASSAY_IMPORT_INLINE_BYTES)."""
    return sum(len(data) for _, data, _ in files) <= settings.ASSAY_IMPORT_INLINE_BYTES


def import_job_start(
    *, user, project: Project, files: list[tuple[str, bytes, str]], mode: str, annotator=None
):
    """Validate the upload; import a small one at once (the job is returned finished), else save
    it under MEDIA_ROOT/imports/ and queue the job."""
    with gc_paused():
        taxonomy = Taxonomy(project)
        parsed = import_parse(files=files, taxonomy=taxonomy)
        if mode == "atomic" and parsed.rejections:
            raise rejections_error(parsed.rejections)
        if import_inline(files):
            return _import_now(user=user, project=project, files=files, mode=mode, annotator=annotator,
                               parsed=parsed, taxonomy=taxonomy)  # fmt: skip
    folder = Path("imports") / uuid.uuid4().hex
    absolute = Path(settings.MEDIA_ROOT) / folder
    absolute.mkdir(parents=True, exist_ok=True)
    saved = []
    for index, (name, data, fmt) in enumerate(files):
        path = absolute / f"{index}.upload"
        path.write_bytes(data)
        saved.append({"name": name, "path": str(folder / path.name), "format": fmt, "bytes": len(data)})
    return job_queue(
        kind=JobKind.IMPORT, task=documents_import, project=project, created_by=user,
        params={"files": saved, "folder": str(folder), "mode": mode,
                "annotator": annotator.pk if annotator else None},
    )  # fmt: skip


def _import_now(*, user, project: Project, files, mode: str, annotator, parsed, taxonomy):
    """Write a small upload in this request (already parsed) and record it as a finished job,
    in one transaction: an error is the request's 400, nothing is written, no job is recorded."""
    started = timezone.now()
    with transaction.atomic():
        counts, rejections = import_write(
            project=project, user=user, parsed=parsed, taxonomy=taxonomy, mode=mode,
            annotator=annotator or user, own_transaction=False,
        )  # fmt: skip
        return job_create_finished(
            kind=JobKind.IMPORT, project=project, created_by=user, counts=counts, errors=rejections,
            message=import_summary(counts), started_at=started,
            params={"files": [{"name": name, "format": fmt, "bytes": len(data)} for name, data, fmt in files],
                    "mode": mode, "annotator": annotator.pk if annotator else None, "inline": True},
        )  # fmt: skip
