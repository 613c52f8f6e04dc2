"""Keep a few child processes running: what `make run` (manage.py serve) needs from a supervisor.

Each child runs in a process group of its own (Ctrl-C reaches it only through us,
in order). A child that exits while we are not stopping is started again, with a
growing pause if it keeps dying (so a broken configuration does not spin), and
the restart is said on the console: a crashed Celery worker no longer takes the
web server down with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_PAUSE_SECONDS = 30.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str] | None = None  # added to this process's environment
    process: subprocess.Popen | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = field(default=0.0)


class Supervisor:
    def __init__(self, *, say: Callable[[str], None] = print, popen=subprocess.Popen):
        self.children: list[Child] = []
        self.say = say
        self.popen = popen

    def add(self, name: str, argv: list[str], *, env: dict[str, str] | None = None) -> Child:
        child = Child(name=name, argv=argv, env=env)
        self.children.append(child)
        return child

    def start_all(self) -> None:
        for child in self.children:
            self._start(child)

    def _start(self, child: Child) -> None:
        env = {**os.environ, **child.env} if child.env else None
        child.process = self.popen(child.argv, start_new_session=True, env=env)  # noqa: S603 - our own argv
        child.started_at = time.monotonic()

    def check(self, now: float | None = None) -> list[str]:
        """Start again every child that exited; the names of those restarted."""
        now = time.monotonic() if now is None else now
        restarted = []
        for child in self.children:
            if child.process is None or child.process.poll() is None:
                continue
            if child.next_start == 0.0:
                # Quick deaths in a row wait longer each time; a child that ran a minute starts over.
                if now - child.started_at > 60:
                    child.restarts = 0
                pause = min(MAX_PAUSE_SECONDS, 0.5 * 2**child.restarts)
                child.next_start = now + pause
                self.say(
                    f"{child.name} stopped (exit code {child.process.returncode}); starting it again in {pause:.1f}s"
                )
            if now >= child.next_start:
                child.restarts += 1
                child.next_start = 0.0
                self._start(child)
                restarted.append(child.name)
        return restarted

    def stop_all(self, timeout: float = 15) -> None:
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                os.killpg(child.process.pid, signal.SIGTERM)
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait(5)
            self.say(f"stopped {child.name}")
