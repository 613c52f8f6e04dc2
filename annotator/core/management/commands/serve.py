"""Serve Assay for local use: gunicorn, and a Celery worker and beat when a broker is set.

The web server is gunicorn (as in docker/), with a bounded number of threads, so
the database connections it holds are bounded too (``--workers`` x ``--threads``;
runserver opened one per request thread and kept it for CONN_MAX_AGE). Its threaded
workers are not killed by gunicorn's timeout while a long export streams to a slow
reader. Under DEBUG it reloads on code changes.

A child that dies (a crashed Celery worker, say) is started again without stopping
the others (annotator/core/supervisor.py). With the embedded PostgreSQL, a server
that stopped (killed, crashed) is noticed within seconds and started again, and the
console says so. Ctrl-C or SIGTERM stops everything this command started, and the
embedded PostgreSQL when it was this command that needed it.

Each child names itself to PostgreSQL (``application_name`` assay-web, assay-worker,
assay-beat, through libpq's PGAPPNAME), so ``pg_stat_activity`` shows who holds which
connection (tests/faults/test_serve.py counts the web server's against its bound).
"""

import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from annotator.config import embedded_pg
from annotator.core.supervisor import Supervisor

DATABASE_CHECK_SECONDS = 3.0


class Command(BaseCommand):
    help = "Run gunicorn (and a Celery worker + beat when CELERY_BROKER_URL is set) until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--keep-db", action="store_true", help="leave the embedded PostgreSQL running")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--threads", type=int, default=4, help="threads (and at most DB connections) per worker"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=None,
            help="gunicorn's worker timeout in seconds (default: gunicorn's)",
        )

    def web_argv(self, *, addr: str, workers: int, threads: int, timeout: int | None = None) -> list[str]:
        argv = [
            sys.executable, "-m", "gunicorn", "annotator.config.wsgi:application", "--bind", addr,
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--graceful-timeout", "10", "--access-logfile", "-",
        ]  # fmt: skip
        if timeout is not None:
            argv += ["--timeout", str(timeout)]
        if settings.DEBUG:
            argv.append("--reload")
        return argv

    def handle(self, *args, addr, keep_db, workers, threads, timeout, **options):
        python = sys.executable
        supervisor = Supervisor(say=lambda text: self.stdout.write(text))
        web = self.web_argv(addr=addr, workers=workers, threads=threads, timeout=timeout)
        supervisor.add("web", web, env={"PGAPPNAME": "assay-web"})
        if settings.CELERY_BROKER_URL:
            celery = [python, "-m", "celery", "-A", "annotator"]
            supervisor.add(
                "worker", [*celery, "worker", "--loglevel=INFO", "-c", "2"], env={"PGAPPNAME": "assay-worker"}
            )
            supervisor.add("beat", [*celery, "beat", "--loglevel=INFO"], env={"PGAPPNAME": "assay-beat"})
            self.stdout.write(f"Celery broker: {settings.CELERY_BROKER_URL} (worker and beat started)")
        else:
            self.stdout.write("No CELERY_BROKER_URL: background jobs run in-process.")
        embedded = not settings.DATABASE_URL
        supervisor.start_all()
        self.stdout.write(
            f"Assay is at http://{addr}/  (at most {workers * threads} database connections; Ctrl-C stops everything)"
        )

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        checked = time.monotonic()
        try:
            while not stopping:
                time.sleep(0.3)
                supervisor.check()
                if embedded and time.monotonic() - checked > DATABASE_CHECK_SECONDS:
                    checked = time.monotonic()
                    self._database_watch()
        finally:
            supervisor.stop_all()
            if embedded and not keep_db:
                embedded_pg.stop()

    def _database_watch(self) -> None:
        if embedded_pg.is_running():
            return
        self.stderr.write(
            "The embedded PostgreSQL stopped (killed or crashed): requests fail until it is back. Starting it again..."
        )
        try:
            embedded_pg.restart()
        except Exception as exc:  # noqa: BLE001 - said on the console; checked again shortly
            self.stderr.write(f"Could not start the embedded PostgreSQL: {exc}. See var/pgdata/log.")
            return
        self.stdout.write("The embedded PostgreSQL is running again.")
