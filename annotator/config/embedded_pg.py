"""The embedded PostgreSQL used when DATABASE_URL is not set.

pgserver ships a real PostgreSQL binary in its wheel. The cluster lives under
``var/pgdata`` and keeps running between processes (web, worker, manage.py),
so each process only reattaches; ``python -m annotator.config.embedded_pg stop``
stops it (``make run`` does that on exit).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)
HANDLE_LIST = ".handle_pids.json"

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


def _atomic_put(self, values) -> None:
    """pgserver's DiskList.put, written to a temporary file and renamed over the list: a process
    stopped mid-write (SIGTERM to `make run`'s group) can no longer leave the list empty."""
    temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(values))
    os.replace(temporary, self.path)


def repair_handle_list(pgdata: Path) -> list[int] | None:
    """Make pgserver's list of client processes valid again, under pgserver's own lock.

    An empty or corrupt ``.handle_pids.json`` made every later start fail with
    JSONDecodeError. The list is rebuilt from the processes actually alive: the pids it
    still names that run (none, when it cannot be read). Returns the rebuilt list, or None
    when it was fine (or absent).
    """
    import psutil
    from pgserver.postgres_server import PostgresServer

    path = pgdata / HANDLE_LIST
    if not path.exists():
        return None
    with PostgresServer._lock:
        try:
            pids = json.loads(path.read_text())
            valid = isinstance(pids, list) and all(isinstance(p, int) for p in pids)
        except (OSError, ValueError):
            valid = False
        if not valid:
            pids = []
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if valid and alive == pids:
            return None
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(alive))
        os.replace(temporary, path)
    log.warning(
        "embedded PostgreSQL: rebuilt %s (it was %s): %s", path, "valid" if valid else "unreadable", alive
    )
    return alive


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
            from pgserver.utils import DiskList

            DiskList.put = _atomic_put
            repair_handle_list(pgdata)
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


def is_running() -> bool:
    """Whether the embedded server's postmaster is alive (False also when it never started)."""
    pgdata = data_dir()
    _use_own_runtime_dir(pgdata)
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    return info is not None and info.is_running()


def restart() -> str:
    """Start the server again after it stopped; the socket directory, as ensure_running."""
    global _socket_dir
    with _lock:
        _socket_dir = None
        from pgserver.postgres_server import PostgresServer

        PostgresServer._instances.pop(data_dir(), None)  # forget the dead server's handle
    return ensure_running(os.environ.get("ASSAY_DB_NAME", "assay"))


def stop() -> None:
    pgdata = data_dir()
    _use_own_runtime_dir(pgdata)
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    if pgdata.exists():
        repair_handle_list(pgdata)
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
