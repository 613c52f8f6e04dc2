"""A Celery worker SIGKILLed in the middle of an import: restarted, the job is run again by the
reaper and ends succeeded, with each document written once (nothing half-written)."""

from __future__ import annotations

import json

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from annotator.documents.models import Document
from annotator.interchange.imports import IMPORT_LOCK_CLASS
from annotator.jobs.models import Job, JobState
from annotator.jobs.services import jobs_reap
from annotator.projects.models import Role
from tests import conftest as root
from tests.conftest import broker_url
from tests.factories import ProjectFactory, member
from tests.faults.conftest import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _waiting_on_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE NOT l.granted AND l.locktype = 'advisory' AND a.datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_sigkilled_worker_mid_import_is_restarted_and_the_job_succeeds(broker_routing, workers):
    queue = broker_routing(broker_url())
    first = workers(broker=broker_url(), queue=queue)
    project = ProjectFactory(slug="killed-worker")
    manager = member(project, Role.MANAGER, username="killed-boss")
    client = APIClient()
    client.force_authenticate(manager)
    lines = "\n".join(json.dumps({"text": f"Document {i}: prices rose."}) for i in range(40))

    # Hold the project's import lock in a connection of our own, so the job is caught
    # mid-run (started, inside its transaction) when the worker is killed.
    holder = psycopg.connect(root.test_database_url(), autocommit=True)
    try:
        holder.execute("SELECT pg_advisory_lock(%s, %s)", [IMPORT_LOCK_CLASS, project.pk])
        response = client.post(f"/api/v1/projects/{project.pk}/imports/",
                               {"file": [SimpleUploadedFile("k.jsonl", lines.encode())]}, format="multipart")  # fmt: skip
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        wait_until(
            lambda: Job.objects.get(pk=job_id).state == JobState.RUNNING, timeout=20, what="job running"
        )
        wait_until(_waiting_on_advisory_lock, timeout=20, what="import waits inside its transaction")
        first.kill()
    finally:
        holder.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK_CLASS, project.pk])
        holder.close()

    job = Job.objects.get(pk=job_id)
    assert (job.state, job.attempts) == (JobState.RUNNING, 1)  # what the dead worker left behind
    assert Document.objects.filter(project=project).count() == 0
    workers(broker=broker_url(), queue=queue)  # a supervisor restarts the worker
    assert jobs_reap(stale_after=0)["restarted"] == 1  # Celery beat runs this every minute

    job = wait_until(
        lambda: (j := Job.objects.get(pk=job_id)).state in (JobState.SUCCEEDED, JobState.FAILED) and j,
        timeout=60, what="restarted job ends", interval=0.2,
    )  # fmt: skip
    assert (job.state, job.attempts, job.counts["documents"]) == (JobState.SUCCEEDED, 2, 40), job.message
    assert Document.objects.filter(project=project).count() == 40
