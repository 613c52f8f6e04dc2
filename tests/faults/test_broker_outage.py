"""The broker (a private redis-server) stops, then comes back: writes answer 2xx throughout,
jobs that could not be queued say so and run once it is back, and scores catch up."""

from __future__ import annotations

import time

import pytest
import redis
from rest_framework.test import APIClient

from annotator.credibility.models import ScoreDirty
from annotator.jobs.models import Job, JobState
from annotator.jobs.services import NOT_QUEUED, jobs_reap
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, label, member
from tests.faults.conftest import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TEXT = "Taxes rose 5%. Experts say growth will follow. Officials deny it."


def _broker_idle(url: str, queue: str) -> bool:
    """No task waiting in the queue and none delivered but not yet acknowledged (kombu's redis
    transport keeps those in the "unacked" hash)."""
    broker = redis.Redis.from_url(url)
    try:
        return broker.llen(queue) == 0 and broker.hlen("unacked") == 0
    finally:
        broker.close()


def _dirty(project) -> set[str]:
    return set(ScoreDirty.objects.filter(project=project).values_list("kind", flat=True))


def test_broker_outage_then_recovery(private_redis, broker_routing, workers, settings):
    settings.CREDIBILITY_DEBOUNCE_SECONDS = 0.2
    queue = broker_routing(private_redis.url)
    workers(broker=private_redis.url, queue=queue)
    project = ProjectFactory(slug="outage")
    document = DocumentFactory(project=project, text=TEXT)
    manager = member(project, Role.MANAGER, username="outage-boss")
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(manager)
    claim = label(project, "CLAIM").pk

    def span(start, end):
        return client.post("/api/v1/annotations/", {"document": document.pk, "start": start, "end": end,
                                                    "label": claim, "layer": "gold"}, format="json")  # fmt: skip

    assert span(0, 5).status_code == 201
    wait_until(lambda: not _dirty(project), timeout=30, what="first recompute ran")
    # ...and acknowledged: a broker that stops while the worker acks a finished task makes
    # celery's consumer fail for good ("'NoneType' object has no attribute 'hostname'"), which
    # compose's restart policy covers in production but this one worker would not survive; the
    # outage under test is the one that meets writes and new jobs, not that race.
    wait_until(lambda: _broker_idle(private_redis.url, queue), timeout=30, what="broker holds no message")

    private_redis.stop()  # the outage
    began = time.monotonic()
    during = span(6, 10)
    assert during.status_code == 201, during.content  # committed, so acknowledged
    assert time.monotonic() - began < 10  # bounded: the send gives up after its retries
    assert _dirty(project) == {"document"}  # marked for later; no queued-task row blocks later marks
    export = client.post(f"/api/v1/projects/{project.pk}/export/?format=native")
    recompute = client.post("/api/v1/source-scores/recompute/", {"project": project.pk}, format="json")
    assert (export.status_code, recompute.status_code) == (202, 202), (export.content, recompute.content)
    jobs = [export.json()["id"], recompute.json()["id"]]
    for job in Job.objects.filter(pk__in=jobs):
        assert (job.state, job.message, job.celery_task_id) == (JobState.PENDING, NOT_QUEUED, "")
    assert client.get(f"/api/v1/jobs/{jobs[0]}/").json()["message"] == NOT_QUEUED

    private_redis.start()  # back, empty (no persistence)
    wait_until(lambda: jobs_reap(stale_after=0)["queued"] == 2, timeout=30, what="reaper queues both jobs",
               interval=0.5)  # fmt: skip
    assert span(11, 14).status_code == 201  # a new change queues the recompute again
    wait_until(
        lambda: set(Job.objects.filter(pk__in=jobs).values_list("state", flat=True)) == {JobState.SUCCEEDED},
        timeout=60, what="both jobs succeed once the broker is back", interval=0.2,
    )  # fmt: skip
    wait_until(lambda: not _dirty(project), timeout=30, what="scores caught up (no dirty marks left)")
