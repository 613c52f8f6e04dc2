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
