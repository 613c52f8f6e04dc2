"""Database backends terminated (pg_terminate_backend) during a burst of span writes through a
live server: every acknowledged write is stored, every failure is a JSON 503 with Retry-After,
no span lacks its history row, and clients retrying with their Idempotency-Key store each
change exactly once."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from annotator.annotations.models import Annotation
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, label, member

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

CLIENTS, WRITES_EACH = 4, 12


def _post(url: str, token: str, body: dict, key: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", "Idempotency-Key": key},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - the test's live server
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def test_backends_killed_during_a_write_burst(live_server):
    text = " ".join(f"w{i:03d}" for i in range(CLIENTS * WRITES_EACH))  # "w000 w001 ..." 4 + 1 each
    project = ProjectFactory(slug="killed-backends")
    document = DocumentFactory(project=project, text=text)
    claim = label(project, "CLAIM").pk
    users = [member(project, Role.ANNOTATOR, username=f"burst{i}") for i in range(CLIENTS)]
    tokens = [Token.objects.create(user=user).key for user in users]
    url = f"{live_server.url}/api/v1/annotations/"
    acknowledged: list[int] = []
    failures: list[tuple[int, dict, dict]] = []
    stop = threading.Event()
    killed = []

    def client(index: int) -> None:
        for n in range(WRITES_EACH):
            word = index * WRITES_EACH + n
            body = {"document": document.pk, "start": word * 5, "end": word * 5 + 4, "label": claim}
            key = str(uuid.uuid4())
            for _attempt in range(50):
                status, data, headers = _post(url, tokens[index], body, key)
                if status == 201:
                    acknowledged.append(data["id"])
                    break
                failures.append((status, data, headers))
                time.sleep(0.05)

    def killer() -> None:
        with connection.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
                )
                killed.append(cursor.fetchone()[0])
                time.sleep(0.15)
        connection.close()

    assassin = threading.Thread(target=killer)
    assassin.start()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    assassin.join(timeout=10)

    assert sum(killed) > 0 and failures, "no backend was terminated during the burst"
    for status, data, headers in failures:
        assert status == 503, (status, data)
        assert set(data) == {"message", "errors"} and headers.get("Retry-After") == "5"
    # Each change was acknowledged exactly once, and each is stored once, with its history.
    assert len(acknowledged) == CLIENTS * WRITES_EACH == len(set(acknowledged))
    stored = set(Annotation.objects.filter(document=document).values_list("id", flat=True))
    assert stored == set(acknowledged)
    with_history = set(
        Annotation.history.filter(document_id=document.pk, history_type="+").values_list("id", flat=True)
    )
    assert with_history == stored
