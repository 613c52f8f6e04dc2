"""Serve Assay for local use: web server, and a Celery worker and beat when a broker is set.

Ctrl-C stops every process this command started, and the embedded
PostgreSQL when it was this command that needed it.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from annotator.config import embedded_pg


class Command(BaseCommand):
    help = "Run the web server (and a Celery worker + beat when CELERY_BROKER_URL is set) until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--keep-db", action="store_true", help="leave the embedded PostgreSQL running")

    def handle(self, *args, addr, keep_db, **options):
        python = sys.executable
        manage = str(settings.BASE_DIR / "manage.py")
        commands = [("web", [python, manage, "runserver", addr])]
        if settings.CELERY_BROKER_URL:
            celery = [python, "-m", "celery", "-A", "annotator"]
            commands.append(("worker", [*celery, "worker", "--loglevel=INFO", "-c", "2"]))
            commands.append(("beat", [*celery, "beat", "--loglevel=INFO"]))
            self.stdout.write(f"Celery broker: {settings.CELERY_BROKER_URL} (worker and beat started)")
        else:
            self.stdout.write("No CELERY_BROKER_URL: background jobs run in-process.")

        processes = []
        for name, command in commands:
            # Own process groups, so Ctrl-C reaches them only through us, in order.
            processes.append((name, subprocess.Popen(command, start_new_session=True)))  # noqa: S603 (our own argv)
        self.stdout.write(f"Assay is at http://{addr}/  (Ctrl-C stops everything)")

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for _, p in processes):
                time.sleep(0.3)
        finally:
            for _, process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for name, process in processes:
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                self.stdout.write(f"stopped {name}")
            if not settings.DATABASE_URL and not keep_db:
                embedded_pg.stop()
