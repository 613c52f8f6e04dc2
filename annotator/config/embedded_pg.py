"""The embedded PostgreSQL used when DATABASE_URL is not set.

pgserver ships a real PostgreSQL binary in its wheel. The cluster lives under
``var/pgdata`` and keeps running between processes (web, worker, manage.py),
so each process only reattaches; ``python -m annotator.config.embedded_pg stop``
stops it (``make run`` does that on exit).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_lock = threading.Lock()
_socket_dir: str | None = None


def data_dir() -> Path:
    return Path(os.environ.get("ASSAY_VAR_DIR", BASE_DIR / "var")) / "pgdata"


def _use_own_runtime_dir(pgdata: Path) -> None:
    # pgserver keeps its lock file in the runtime dir; give it one of ours.
    runtime = pgdata.parent / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def ensure_running(database: str) -> str:
    """Start (or reattach to) the embedded server and create ``database``.

    Returns the directory of the server's Unix socket, usable as HOST.
    """
    global _socket_dir
    with _lock:
        if _socket_dir is None:
            pgdata = data_dir()
            _use_own_runtime_dir(pgdata)

            import pgserver
            import psycopg

            server = pgserver.get_server(pgdata, cleanup_mode=None)
            socket_dir = server.get_postmaster_info().socket_dir
            with psycopg.connect(
                host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True
            ) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
                if not exists:
                    conn.execute(
                        psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(database))
                    )
            _socket_dir = str(socket_dir)
        return _socket_dir


def stop() -> None:
    pgdata = data_dir()
    _use_own_runtime_dir(pgdata)
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        print("embedded PostgreSQL is not running")
        return
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    print(f"stopped embedded PostgreSQL in {pgdata}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "stop":
        stop()
    elif command == "start":
        print(ensure_running(os.environ.get("ASSAY_DB_NAME", "assay")))
    else:
        sys.exit(f"usage: python -m annotator.config.embedded_pg [start|stop], not {command!r}")
