"""Real processes for fault tests: a Celery worker that can be SIGKILLed whole, a private
redis-server that can be stopped and started again (never the shared one)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import IN_CI, ROOT, _reset_producer_pool, test_database_url


@pytest.fixture(autouse=True)
def _imports_through_the_worker(settings):
    """Fault tests follow an import through a real worker: no upload runs inside the request."""
    settings.ASSAY_IMPORT_INLINE_BYTES = 0


def free_port(start: int = 6390) -> int:
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a private redis-server")


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout}s")


class PrivateRedis:
    """redis-server on a port of its own, without persistence: stop() is a broker outage."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server not found (apt-get install -y redis-server)"
            if IN_CI:
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )

        def up():
            with socket.socket() as sock:
                return sock.connect_ex(("127.0.0.1", self.port)) == 0

        wait_until(up, timeout=10, what="private redis-server started")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


class Worker:
    """One `celery worker` in a process group of its own, so SIGKILL takes it whole."""

    def __init__(self, *, broker: str, queue: str):
        self.broker, self.queue = broker, queue
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ, "DATABASE_URL": test_database_url(), "CELERY_BROKER_URL": self.broker,
            "ASSAY_CELERY_QUEUE": self.queue, "DJANGO_SETTINGS_MODULE": "annotator.config.settings.test",
            "DEBUG": "true",
        }  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "annotator", "worker", "-Q", self.queue,
             "-n", f"{uuid.uuid4().hex[:6]}-{self.queue}@%h", "-c", "1", "-P", "prefork",
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.wait_ready()

    def wait_ready(self, timeout: float = 40) -> None:
        from annotator import celery_app

        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited with code {self.process.returncode}")
            replies = celery_app.control.ping(timeout=0.5) or []
            return any(self.queue in name for reply in replies for name in reply)

        wait_until(ready, timeout=timeout, what="celery worker answers ping", interval=0.2)

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once (no cleanup, no ack)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


@pytest.fixture
def broker_routing():
    """Point this process's Celery at ``url`` (write and read: CELERY_BROKER_URL in the
    environment would win over broker_url) and a queue of its own; restored afterwards."""
    from annotator import celery_app

    keys = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url", "task_default_queue")
    saved = {key: celery_app.conf.get(key) for key in keys}
    queue = f"assay-faults-{uuid.uuid4().hex[:8]}"

    def route(url: str) -> str:
        celery_app.conf.update(task_always_eager=False, broker_url=url, broker_read_url=url,
                               broker_write_url=url, task_default_queue=queue)  # fmt: skip
        _reset_producer_pool(celery_app)
        return queue

    yield route
    celery_app.conf.update(**saved)
    _reset_producer_pool(celery_app)


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers():
    started: list[Worker] = []

    def start(*, broker: str, queue: str) -> Worker:
        worker = Worker(broker=broker, queue=queue)
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()
