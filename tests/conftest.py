"""Shared fixtures: services check, a real Celery worker over Redis.

Browser fixtures (one live server, one Chromium for the whole run) live in
tests/browser/conftest.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
IN_CI = os.environ.get("CI", "").lower() == "true"


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER


def _redis_reachable(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}"
    return None


def pytest_collection_modifyitems(config, items):
    """Integration tests need Redis. Locally they skip with the reason; in CI they fail."""
    if not any(item.get_closest_marker("integration") for item in items):
        return
    problem = _redis_reachable(broker_url())
    if problem is None:
        return
    message = f"Redis broker at {broker_url()} is not reachable ({problem})"
    if IN_CI:
        raise pytest.UsageError(f"CI=true and a required service is missing: {message}")
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.skip(reason=f"{message}; set CI=true to make this fail"))


def test_database_url() -> str:
    """A DATABASE_URL for the test database, for processes outside pytest."""
    from django.db import connection

    s = connection.settings_dict
    host = s.get("HOST") or ""
    if not host:  # the embedded server: a Unix socket directory
        from annotator.config import embedded_pg

        host = embedded_pg.ensure_running("postgres")
    netloc = quote(host, safe="") if host.startswith("/") else host
    if s.get("PORT"):
        netloc += f":{s['PORT']}"
    user = s.get("USER") or "postgres"
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    return f"postgresql://{quote(user, safe='')}{password}@{netloc}/{s['NAME']}"


class WorkerPool:
    """Real ``celery worker`` processes over Redis, on a queue of their own."""

    def __init__(self, database_url: str, broker: str):
        self.database_url = database_url
        self.broker = broker
        self.queue = f"assay-test-{uuid.uuid4().hex[:8]}"
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int = 1, concurrency: int = 1) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker,
            "ASSAY_CELERY_QUEUE": self.queue,
            "DJANGO_SETTINGS_MODULE": "annotator.config.settings.test",
            "DEBUG": "true",
        }
        for _ in range(count):
            name = f"w{len(self.processes)}-{self.queue}@%h"
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "annotator",
                        "worker",
                        "-Q",
                        self.queue,
                        "-n",
                        name,
                        "-c",
                        str(concurrency),
                        "-P",
                        "prefork",
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel=WARNING",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        self.wait_ready(len(self.processes))

    def wait_ready(self, count: int, timeout: float = 30) -> None:
        from annotator import celery_app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.processes:
                if proc.poll() is not None:
                    raise RuntimeError(f"celery worker exited with code {proc.returncode}")
            replies = celery_app.control.ping(timeout=0.5) or []
            if sum(1 for r in replies for name in r if self.queue in name) >= count:
                return
        raise RuntimeError(f"{count} celery worker(s) did not start within {timeout}s")

    def stop(self) -> None:
        for proc in self.processes:
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.processes.clear()


def _reset_producer_pool(app) -> None:
    """Forget connections and producers made for the previous broker settings."""
    from kombu import pools

    app._pool = None
    app.amqp._producer_pool = None
    app.amqp.__dict__.pop("queues", None)
    pools.reset()


@pytest.fixture
def celery_workers(transactional_db):
    """Route tasks to real worker processes over Redis for one test.

    The test's writes must be committed for a worker to see them, hence
    ``transactional_db``. Call ``celery_workers.start(n)`` to start workers.
    """
    from annotator import celery_app

    problem = _redis_reachable(broker_url())
    if problem:
        pytest.fail(f"Redis broker at {broker_url()} is not reachable: {problem}")
    pool = WorkerPool(test_database_url(), broker_url())
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    celery_app.conf.update(task_always_eager=False, broker_url=pool.broker, task_default_queue=pool.queue)
    _reset_producer_pool(celery_app)
    try:
        yield pool
    finally:
        pool.stop()
        celery_app.conf.update(**saved)
        _reset_producer_pool(celery_app)
