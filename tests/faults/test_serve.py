"""`make run`'s server (`manage.py serve`: gunicorn gthread under a supervisor) with real processes:
many concurrent clients never get a 5xx and the web server never holds more PostgreSQL
connections than workers x threads; a Celery worker killed with SIGKILL is started again while
the web keeps answering, and a job queued meanwhile then completes."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.request
import uuid

import psycopg
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from annotator.annotations.models import Annotation
from annotator.projects.models import Role
from tests import conftest as root
from tests.conftest import broker_url
from tests.factories import DocumentFactory, ProjectFactory, label, member
from tests.faults.conftest import wait_until
from tests.faults.servers import http_get, serve

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WORKERS, THREADS = 2, 4
REQUESTS_EACH = 6
WEB_CONNECTIONS = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'assay-web'"


@pytest.fixture
def served(tmp_path):
    """Start `manage.py serve` on the test database with a queue of its own; stopped afterwards."""
    started = []

    def start(*options: str):
        server = serve(
            tmp_path / "serve.log", "--workers", str(WORKERS), "--threads", str(THREADS), *options,
            env={"CELERY_BROKER_URL": broker_url(), "ASSAY_CELERY_QUEUE": f"assay-serve-{uuid.uuid4().hex[:8]}",
                 "ASSAY_MEDIA_ROOT": str(tmp_path / "media")},
        )  # fmt: skip
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def _world(words: int):
    project = ProjectFactory(slug="served")
    document = DocumentFactory(project=project, text=" ".join(f"w{i:03d}" for i in range(words)))
    manager = member(project, Role.MANAGER, username="served-boss")
    browser = Client()
    browser.force_login(manager)
    return (
        project,
        document,
        manager,
        browser.cookies["sessionid"].value,
        Token.objects.create(user=manager).key,
    )


def _post(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body or {}).encode(), method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


class ConnectionSampler(threading.Thread):
    """Counts the web server's PostgreSQL backends every 20 ms; ``peak`` is the most seen at once."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.samples, self.halt = 0, 0, threading.Event()

    def run(self):
        with psycopg.connect(root.test_database_url(), autocommit=True) as db:
            while not self.halt.is_set():
                self.peak = max(self.peak, db.execute(WEB_CONNECTIONS).fetchone()[0])
                self.samples += 1
                time.sleep(0.02)

    def stop(self) -> int:
        self.halt.set()
        self.join(10)
        return self.peak


@pytest.mark.parametrize("clients", [16, 32])
def test_concurrent_clients_get_no_5xx_and_connections_stay_bounded(served, clients):
    project, document, _, session, token = _world(words=clients * REQUESTS_EACH)
    claim = label(project, "CLAIM").pk
    server = served()
    cookie = {"Cookie": f"sessionid={session}"}
    api = {"Authorization": f"Token {token}", "Accept": "application/json"}
    reads = [
        (f"/projects/{project.pk}/", cookie), (f"/documents/{document.pk}/", cookie), ("/", cookie),
        (f"/api/v1/documents/?project={project.pk}", api), (f"/api/v1/annotations/?document={document.pk}", api),
    ]  # fmt: skip
    answers: list[tuple[str, int]] = []
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        barrier.wait()  # all at once
        for n in range(REQUESTS_EACH):
            if n == REQUESTS_EACH - 1:  # one write each, at its own word
                word = index * REQUESTS_EACH
                body = {"document": document.pk, "start": word * 5, "end": word * 5 + 4, "label": claim}
                answers.append(("POST span", _post(f"{server.url}/api/v1/annotations/", token, body)[0]))
                continue
            path, headers = reads[(index + n) % len(reads)]
            answers.append((path, http_get(server.url + path, headers=headers, timeout=120)[0]))

    sampler = ConnectionSampler()
    sampler.start()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    time.sleep(0.2)
    peak = sampler.stop()

    assert len(answers) == clients * REQUESTS_EACH
    assert [a for a in answers if a[1] not in (200, 201)] == []  # no 5xx (and nothing else either)
    assert Annotation.objects.filter(document=document).count() == clients
    assert sampler.samples > 10 and 0 < peak <= WORKERS * THREADS, (peak, sampler.samples)


def test_a_sigkilled_worker_is_restarted_while_the_web_keeps_answering(served):
    project, _, _, _, token = _world(words=10)
    server = served()
    worker, web = server.child("worker"), server.child("gunicorn")
    assert worker is not None and web is not None, server.output()
    api = {"Authorization": f"Token {token}", "Accept": "application/json"}
    statuses: list[int] = []
    halt = threading.Event()

    def keep_asking() -> None:
        while not halt.is_set():
            statuses.append(http_get(f"{server.url}/api/v1/projects/", headers=api, timeout=60)[0])
            time.sleep(0.05)

    askers = [threading.Thread(target=keep_asking) for _ in range(3)]
    for asker in askers:
        asker.start()
    try:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, no clean-up
        worker.wait(10)
        status, job = _post(f"{server.url}/api/v1/projects/{project.pk}/export/?format=native", token)
        assert status == 202, job  # queued while no worker runs
        wait_until(
            lambda: "worker stopped (exit code -9)" in server.output(), timeout=20, what="supervisor noticed"
        )
        restarted = wait_until(lambda: server.child("worker"), timeout=30, what="worker started again")
        assert restarted.pid != worker.pid

        def job_ended():
            state = json.loads(http_get(f"{server.url}/api/v1/jobs/{job['id']}/", headers=api)[1])["state"]
            return state if state in ("succeeded", "failed") else None

        assert wait_until(job_ended, timeout=120, what="the queued export ends", interval=0.5) == "succeeded"
    finally:
        halt.set()
        for asker in askers:
            asker.join(60)
    assert len(statuses) > 10 and set(statuses) == {200}, statuses
    assert server.child("gunicorn").pid == web.pid  # the web server itself never stopped
