"""GET jobs/{id}/?wait=S: one request that answers when the job ends (an import's client waits
without a polling loop), or after S seconds with the job as it is."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections
from rest_framework.test import APIClient

from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import job_create
from annotator.projects.models import Role
from tests.factories import ProjectFactory, UserFactory, member


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_wait_answers_when_another_process_ends_the_job():
    """The job ends 0.3 s into a 10 s wait: the answer is the finished job, long before 10 s."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    job = job_create(kind=JobKind.IMPORT, project=project, created_by=manager)

    def finish():
        time.sleep(0.3)
        Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, progress=100)
        connections.close_all()

    worker = threading.Thread(target=finish)
    began = time.monotonic()
    worker.start()
    response = _client(manager).get(f"/api/v1/jobs/{job.pk}/?wait=10")
    worker.join()
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["progress"]) == ("succeeded", 100)
    assert 0.3 <= time.monotonic() - began < 5


@pytest.mark.django_db
def test_wait_times_out_with_the_job_as_it_is_and_refuses_bad_values():
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    job = job_create(kind=JobKind.IMPORT, project=project, created_by=manager)
    client = _client(manager)
    began = time.monotonic()
    response = client.get(f"/api/v1/jobs/{job.pk}/?wait=0.2")
    assert response.status_code == 200 and response.json()["state"] == "pending"
    assert time.monotonic() - began >= 0.2
    for bad in ("11", "-1", "soon"):
        response = client.get(f"/api/v1/jobs/{job.pk}/?wait={bad}")
        assert response.status_code == 400
        assert response.json()["errors"]["wait"] == ["wait must be a number of seconds from 0 to 10."]
    # Someone who cannot see the job waits for nothing: 404 at once.
    response = _client(UserFactory()).get(f"/api/v1/jobs/{job.pk}/?wait=5")
    assert response.status_code == 404
