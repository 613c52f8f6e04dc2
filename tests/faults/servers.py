"""Assay's web server as users run it, in a process group of its own: `manage.py serve` (what
`make run` starts: gunicorn gthread, a Celery worker and beat under a supervisor) or the
docker image's `entrypoint.sh web` (sync workers), pointed at the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from tests.conftest import ROOT, test_database_url
from tests.faults.conftest import free_port, wait_until


def http_get(url: str, *, headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """One server process (and its children); ``stop()`` ends every process it started."""

    def __init__(self, argv: list[str], *, log: Path, env: dict[str, str]):
        self.port = free_port(int(os.environ.get("ASSAY_TEST_SERVER_PORT", "8101")))
        self.url = f"http://127.0.0.1:{self.port}"
        self.argv = [part.replace("{addr}", f"127.0.0.1:{self.port}") for part in argv]
        self.log = log
        self.env = {
            **os.environ, "DATABASE_URL": test_database_url(), "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "annotator.config.settings.base",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", **env,
        }  # fmt: skip
        self.process: subprocess.Popen | None = None
        # Every descendant seen, so none outlives the test. psutil.Process remembers its start
        # time: a pid reused by someone else's process is never signalled.
        self.seen: dict[int, psutil.Process] = {}

    def start(self, *, timeout: float = 120) -> Server:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # fmt: skip

        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.argv[:4]} exited ({self.process.returncode}):\n{self.output()}")
            with contextlib.suppress(OSError):
                return http_get(f"{self.url}/login/", timeout=5)[0] == 200
            return False

        wait_until(answers, timeout=timeout, what=f"{' '.join(self.argv[:4])} answers", interval=0.3)
        self.descendants()
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def descendants(self) -> list[psutil.Process]:
        try:
            found = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        for process in found:
            self.seen.setdefault(process.pid, process)
        return found

    def child(self, word: str) -> psutil.Process | None:
        """The supervised child (a direct child of serve) whose command line holds ``word``."""
        for process in psutil.Process(self.process.pid).children():
            with contextlib.suppress(psutil.NoSuchProcess):
                if word in process.cmdline():
                    return process
        return None

    def stop(self) -> None:
        if self.process is None:
            return
        self.descendants()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)  # serve stops its children in order
        try:
            self.process.wait(40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        gone, alive = psutil.wait_procs(list(self.seen.values()), timeout=15)
        for process in alive:  # only processes this server started
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        self.process = None


def serve(log: Path, *options: str, env: dict[str, str] | None = None) -> Server:
    """`manage.py serve` as `make run` runs it (DEBUG on), on a free port."""
    argv = [sys.executable, "manage.py", "serve", "--addr", "{addr}", *options]
    return Server(argv, log=log, env=env or {})


def docker_web(log: Path, *, env: dict[str, str]) -> Server:
    """docker/entrypoint.sh's web role (migrate, then gunicorn as configured there)."""
    server = Server(["sh", str(ROOT / "docker" / "entrypoint.sh"), "web"], log=log, env=env)
    server.env["GUNICORN_BIND"] = f"127.0.0.1:{server.port}"
    return server
