"""`make run` keeps serving when a child dies: the supervisor starts it again (real processes)."""

import os
import signal
import sys
import time

from annotator.core.management.commands.serve import Command
from annotator.core.supervisor import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_killed_child_is_started_again_and_the_others_keep_running():
    said = []
    supervisor = Supervisor(say=said.append)
    web = supervisor.add("web", SLEEPER)
    worker = supervisor.add("worker", SLEEPER)
    supervisor.start_all()
    try:
        web_pid, dead_pid = web.process.pid, worker.process.pid
        os.killpg(dead_pid, signal.SIGKILL)
        worker.process.wait(5)
        now = time.monotonic()
        assert supervisor.check(now) == []  # it waits a moment first (0.5 s for a first death)
        assert said == ["worker stopped (exit code -9); starting it again in 0.5s"]
        assert supervisor.check(now + 0.6) == ["worker"]
        assert worker.process.pid != dead_pid and worker.process.poll() is None
        assert web.process.pid == web_pid and web.process.poll() is None
        os.killpg(worker.process.pid, signal.SIGKILL)  # dies again at once: a longer pause
        worker.process.wait(5)
        supervisor.check(now + 0.7)
        assert said[-1] == "worker stopped (exit code -9); starting it again in 1.0s"
    finally:
        supervisor.stop_all(timeout=5)
    assert web.process.poll() is not None and worker.process.poll() is not None


def test_make_run_serves_with_gunicorn_threads_bounding_connections(settings):
    """gthread workers: at most workers x threads database connections, and a long download is
    not cut by gunicorn's timeout (the worker's main thread keeps answering the arbiter)."""
    settings.DEBUG = False
    argv = Command().web_argv(addr="127.0.0.1:8102", workers=2, threads=4)
    assert argv[1:4] == ["-m", "gunicorn", "annotator.config.wsgi:application"]
    options = dict(zip(argv[4::2], argv[5::2], strict=False))
    assert options == {
        "--bind": "127.0.0.1:8102", "--workers": "2", "--threads": "4", "--worker-class": "gthread",
        "--graceful-timeout": "10", "--access-logfile": "-",
    }  # fmt: skip


def test_a_child_gets_its_own_environment_on_top_of_ours(monkeypatch):
    """serve names each child to PostgreSQL this way (PGAPPNAME=assay-web, ...)."""
    monkeypatch.setenv("ASSAY_SUPERVISOR_PROBE", "inherited")
    check = "import os, sys; sys.exit(0 if (os.environ['PGAPPNAME'], os.environ['ASSAY_SUPERVISOR_PROBE']) == ('assay-x', 'inherited') else 3)"
    supervisor = Supervisor(say=lambda _text: None)
    child = supervisor.add("x", [sys.executable, "-c", check], env={"PGAPPNAME": "assay-x"})
    supervisor.start_all()
    assert child.process.wait(30) == 0


def test_serve_passes_a_shorter_timeout_to_gunicorn(settings):
    settings.DEBUG = False
    argv = Command().web_argv(addr="127.0.0.1:8102", workers=1, threads=2, timeout=3)
    assert argv[-2:] == ["--timeout", "3"]
