"""Import and export jobs through Redis to a real Celery worker process."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotator.documents.models import Document
from annotator.jobs.models import Job
from annotator.projects.models import Role
from tests.factories import ProjectFactory, member


def _wait(job_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.state in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.state} after {timeout}s")


@pytest.mark.integration
def test_import_then_export_run_in_a_worker(celery_workers, settings):
    """A JSONL import queued by the API is written by the worker; an export job then writes a downloadable file."""
    settings.ASSAY_IMPORT_INLINE_BYTES = 0  # queue even this small upload
    celery_workers.start(1)
    project = ProjectFactory(slug="worker-import")
    manager = member(project, Role.MANAGER, username="worker-boss")
    client = APIClient()
    client.force_authenticate(manager)
    lines = "\n".join(
        json.dumps(
            {
                "text": f"Document number {i}: prices rose.",
                "spans": [{"start": 0, "end": 8, "label": "CLAIM"}],
            }
        )
        for i in range(50)
    )
    response = client.post(
        f"/api/v1/projects/{project.pk}/imports/",
        {"file": [SimpleUploadedFile("w.jsonl", lines.encode())]},
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    job = _wait(response.json()["id"])
    assert (job.state, job.progress) == ("succeeded", 100), job.message
    assert job.counts == {"documents": 50, "duplicates": 0, "matched": 0, "annotations": 50, "relations": 0,
                          "merged": 0, "refused": 0, "rejected": 0}  # fmt: skip
    assert Document.objects.filter(project=project).count() == 50

    started = client.post(f"/api/v1/projects/{project.pk}/export/", {"format": "csv"}, format="json")
    assert started.status_code == 202
    export = _wait(started.json()["id"])
    assert export.state == "succeeded" and export.counts["annotations"] == 50
    body = client.get(f"/api/v1/jobs/{export.pk}/").json()
    download = client.get(body["result_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
