"""A streaming export read by a deliberately slow client, for longer than gunicorn's worker
timeout, under both servers Assay ships: `make run`'s (`manage.py serve`, gthread) and the
docker image's (`entrypoint.sh web`). The client gets the whole body, byte-complete (the
chunked encoding's last chunk arrives) and valid JSON.

The timeout is shortened to 3 s (the same code path as the default) so the test stays short.
The body is larger than what the kernel buffers on a loopback connection can hold (4 MB
send buffer at most, a small receive buffer here), so the worker is still writing it well
after the timeout: a worker killed by gunicorn's timeout would cut the body.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
from rest_framework.authtoken.models import Token

from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, member
from tests.faults.servers import docker_web, serve

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

TIMEOUT = 3  # seconds: gunicorn's --timeout for these servers
DOCUMENTS, DOCUMENT_CHARS = 40, 200_000  # an 8 MB export
READ_BYTES_PER_SECOND = 600_000  # about 13 s for the whole body: four times the timeout
WORST_CASE_BUFFERED = 4 * 2**20 + 64 * 2**10  # the kernel's largest send buffer, plus our receive buffer


def _slow_get(url_host: str, port: int, path: str, token: str) -> tuple[bytes, bytes, float]:
    """GET ``path`` reading at most READ_BYTES_PER_SECOND: (head, body as sent, seconds taken)."""
    began = time.monotonic()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)  # before connect: a small window
        sock.settimeout(60)
        sock.connect((url_host, port))
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: {url_host}:{port}\r\nAuthorization: Token {token}\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        received = bytearray()
        tick = 0.05
        while True:
            due = began + tick + len(received) / READ_BYTES_PER_SECOND
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            piece = sock.recv(int(READ_BYTES_PER_SECOND * tick))
            if not piece:
                break
            received += piece
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    return head, body, time.monotonic() - began


def _dechunk(raw: bytes) -> bytes:
    """The body of a chunked response; fails unless the terminating zero-length chunk is there."""
    body, rest = bytearray(), raw
    while True:
        size_line, sep, rest = rest.partition(b"\r\n")
        assert sep, f"cut inside a chunk header after {len(body)} bytes"
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return bytes(body)
        assert len(rest) >= size + 2, f"cut inside a chunk after {len(body) + len(rest)} bytes"
        body += rest[:size]
        rest = rest[size + 2 :]


def _start(how: str, log):
    no_broker = {"CELERY_BROKER_URL": ""}
    if how == "make run":
        return serve(log, "--timeout", str(TIMEOUT), env=no_broker).start()
    return docker_web(
        log, env={**no_broker, "GUNICORN_TIMEOUT": str(TIMEOUT), "GUNICORN_WORKERS": "1"}
    ).start()


@pytest.mark.parametrize("how", ["make run", "docker"])
def test_a_slow_reader_gets_the_whole_streaming_export(tmp_path, how):
    project = ProjectFactory(slug="slow-reader")
    for i in range(DOCUMENTS):
        words = " ".join(f"d{i:02d}w{n:06d}" for n in range(DOCUMENT_CHARS // 11))
        DocumentFactory(project=project, text=words, title=f"Long {i}")
    token = Token.objects.create(user=member(project, Role.MANAGER, username="slow-boss")).key
    server = _start(how, tmp_path / "server.log")
    try:
        head, raw, seconds = _slow_get("127.0.0.1", server.port, f"/api/v1/projects/{project.pk}/export/?format=native",
                                       token)  # fmt: skip
    finally:
        server.stop()

    status_line = head.split(b"\r\n")[0]
    assert status_line == b"HTTP/1.1 200 OK", (head, server.output()[-2000:])
    assert b"transfer-encoding: chunked" in head.lower()
    body = _dechunk(raw)
    exported = json.loads(body)  # valid JSON: nothing cut
    assert [d["title"] for d in exported["documents"]] == [f"Long {i}" for i in range(DOCUMENTS)]
    assert all(len(d["text"]) == len(DocumentFactory._meta.model.objects.get(title=d["title"]).text)
               for d in exported["documents"])  # fmt: skip
    # The read outlasted the timeout by far, and the worker was still writing after it.
    assert seconds > 3 * TIMEOUT
    assert (len(body) - WORST_CASE_BUFFERED) / READ_BYTES_PER_SECOND > TIMEOUT
    assert "WORKER TIMEOUT" not in server.output()
