import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def settings_value(expression: str, **env) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CELERY_BROKER_URL", "DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    code = f"from annotator.config.settings import base as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return (result.stdout or result.stderr).strip()


def test_without_a_broker_tasks_run_in_process_and_with_one_they_go_to_workers():
    assert settings_value("s.CELERY_TASK_ALWAYS_EAGER", DEBUG="true") == "True"
    assert (
        settings_value(
            "s.CELERY_TASK_ALWAYS_EAGER", DEBUG="true", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
        )
        == "False"
    )


def test_database_url_selects_postgres_and_nothing_else():
    assert settings_value("s.DATABASES['default']['ENGINE']", DEBUG="true") == "annotator.config.embedded_db"
    url = "postgres://postgres@127.0.0.1:5432/assay"
    assert settings_value("s.DATABASES['default']['NAME']", DEBUG="true", DATABASE_URL=url) == "assay"
    refused = settings_value("1", DEBUG="true", DATABASE_URL="sqlite:///db.sqlite3")
    assert refused.endswith("RuntimeError: DATABASE_URL must point at PostgreSQL (postgres://...)")


def test_production_needs_a_secret_key():
    out = settings_value("1", DEBUG="false")
    assert out.endswith("RuntimeError: SECRET_KEY must be set when DEBUG is off (see .env.example)")
    assert settings_value("s.DEBUG", DEBUG="false", SECRET_KEY="x" * 50) == "False"


def test_env_example_documents_every_setting():
    text = (ROOT / ".env.example").read_text()
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"):
        assert f"\n{name}=" in text


def test_compose_file_runs_web_worker_beat_postgres_and_redis_from_one_environment():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    for role in ("web", "worker", "beat"):
        service = compose["services"][role]
        assert service["command"] == [role]
        env = service["environment"]
        assert env["DATABASE_URL"] == "postgres://assay:assay@postgres:5432/assay"
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert "gunicorn annotator.config.wsgi:application" in entrypoint


def _compose_command() -> list[str] | None:
    """`docker compose` (the plugin) or the standalone `docker-compose`, whichever this machine has."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_file_passes_docker_compose_config_without_any_environment():
    command = _compose_command()
    if command is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and no docker compose client (.ci/run installs docker-compose)")
        pytest.skip("no docker compose client on this machine")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    }
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker" / "compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "beat" in result.stdout and "worker" in result.stdout
