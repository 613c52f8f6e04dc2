import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, var_dir):
    env = {**os.environ, "ASSAY_VAR_DIR": str(var_dir), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_embedded_postgres_starts_keeps_data_across_restarts_and_stops(tmp_path):
    """With no DATABASE_URL, manage.py starts a real PostgreSQL under var/ and reattaches to it later."""
    create = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor();"
        "c.execute('CREATE TABLE probe (v text)'); c.execute(\"INSERT INTO probe VALUES ('kept')\");"
        "c.execute('SELECT version()'); print(c.fetchone()[0])"
    )
    env_setup = [
        "-c",
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'annotator.config.settings.base');",
    ]
    first = run([*env_setup[:1], env_setup[1] + create], tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("PostgreSQL ")
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()

    stopped = run(["-m", "annotator.config.embedded_pg", "stop"], tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped embedded PostgreSQL" in stopped.stdout

    read = (
        "import django; django.setup(); from django.db import connection; c = connection.cursor();"
        "c.execute('SELECT v FROM probe'); print(c.fetchone()[0])"
    )
    second = run([*env_setup[:1], env_setup[1] + read], tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "kept"
    assert run(["-m", "annotator.config.embedded_pg", "stop"], tmp_path).returncode == 0


def test_an_empty_or_corrupt_handle_list_does_not_jam_the_embedded_server(tmp_path):
    """pgserver's .handle_pids.json left empty (a process stopped while rewriting it) or cut
    short used to fail every later start with JSONDecodeError; now it is rebuilt from the
    processes alive, under pgserver's lock, and commands work without deleting anything."""
    query = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'annotator.config.settings.base');"
        "import django; django.setup(); from django.db import connection; c = connection.cursor();"
        "c.execute('SELECT 41 + 1'); print(c.fetchone()[0])"
    )
    first = run(["-c", query], tmp_path)
    assert first.returncode == 0 and first.stdout.strip() == "42", first.stderr
    handles = tmp_path / "pgdata" / ".handle_pids.json"
    assert handles.exists()
    try:
        for broken in ["", "[12, 3", '{"pids": 1}', "[999999999]"]:
            handles.write_text(broken)
            again = run(["-c", query], tmp_path)
            assert again.returncode == 0 and again.stdout.strip() == "42", (broken, again.stderr)
            assert isinstance(json.loads(handles.read_text()), list)
            assert 999999999 not in json.loads(handles.read_text())
        handles.write_text("")
        stopped = run(["-m", "annotator.config.embedded_pg", "stop"], tmp_path)
        assert stopped.returncode == 0 and "stopped embedded PostgreSQL" in stopped.stdout, stopped.stderr
    finally:
        run(["-m", "annotator.config.embedded_pg", "stop"], tmp_path)


def test_a_killed_embedded_server_is_noticed_and_started_again(tmp_path):
    """What `make run` does every few seconds (serve.py): a postmaster killed with SIGKILL reads
    as not running, and restart() brings it back with the data."""
    script = (
        "import os, signal, time; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'annotator.config.settings.base');"
        "import django; django.setup(); import psycopg;"
        "from annotator.config import embedded_pg as e; from pgserver.utils import PostmasterInfo;"
        "host = e.ensure_running('assay'); c = psycopg.connect(host=host, user='postgres', dbname='assay', autocommit=True);"
        "c.execute('CREATE TABLE probe (v text)'); c.execute(\"INSERT INTO probe VALUES ('kept')\"); c.close();"
        "pid = PostmasterInfo.read_from_pgdata(e.data_dir()).pid; os.kill(pid, signal.SIGKILL);"
        "deadline = time.monotonic() + 10\n"
        "while e.is_running() and time.monotonic() < deadline: time.sleep(0.1)\n"
        "print('down', not e.is_running()); host = e.restart(); print('up', e.is_running());"
        "c = psycopg.connect(host=host, user='postgres', dbname='assay'); print(c.execute('SELECT v FROM probe').fetchone()[0])"
    )
    try:
        result = run(["-c", script], tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["down", "True", "up", "True", "kept"]
    finally:
        run(["-m", "annotator.config.embedded_pg", "stop"], tmp_path)
