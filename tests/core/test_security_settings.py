"""Deployment settings and the Content-Security-Policy (issue 12, item 7)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def _documented_production_env() -> dict[str, str]:
    """The ```sh block of docs/security.md's "Production environment" section."""
    text = (ROOT / "docs" / "security.md").read_text()
    section = text.split("## Production environment", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    env = dict(line.split("=", 1) for line in block.strip().splitlines())
    env["SECRET_KEY"] = "k3Y-" + "x7Qz9" * 12  # the placeholder stands for 50+ random characters
    return env


def _check_deploy(**env) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "ASSAY_", "DJANGO_"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def test_check_deploy_is_clean_under_the_documented_production_environment():
    """With exactly the variables docs/security.md lists, check --deploy reports no issues."""
    env = _documented_production_env()
    assert env["SECURE_HSTS_SECONDS"] == "31536000"
    output = _check_deploy(**env)
    assert "System check identified no issues (0 silenced)." in output, output


def test_without_them_check_deploy_names_what_is_missing():
    """Secure cookies alone still leave HSTS (W004) and the SSL redirect (W008) unset."""
    output = _check_deploy(DEBUG="false", SECRET_KEY="k3Y-" + "x7Qz9" * 12, SECURE_COOKIES="true")
    assert re.findall(r"security\.W0\d\d", output) == ["security.W004", "security.W008"], output


def test_a_malformed_proxy_ssl_header_is_refused_with_the_expected_form():
    output = _check_deploy(DEBUG="true", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert "SECURE_PROXY_SSL_HEADER must be '<header>,<value>', e.g. HTTP_X_FORWARDED_PROTO,https" in output


POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/v1/projects/", "/admin/login/"])
def test_every_response_carries_the_policy(url):
    """Pages and API answers (even a 403) send the documented policy: scripts only from this
    origin, no inline scripts, no framing."""
    response = Client().get(url)
    assert _directives(response["Content-Security-Policy"]) == POLICY


@pytest.mark.django_db
def test_the_api_docs_allow_their_bundles_styles_but_no_inline_scripts(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    for url in ("/api/docs/", "/api/redoc/"):
        directives = _directives(client.get(url)["Content-Security-Policy"])
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self' 'unsafe-inline'", url
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def _templates() -> list[Path]:
    paths = list((ROOT / "templates").rglob("*.html"))
    paths += list((ROOT / "annotator").rglob("templates/**/*.html"))
    return sorted(paths)


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """Every template's <script> loads a file (or is inert JSON data), there is no <style>
    element, no on*= handler attribute and no javascript: URL: nothing the policy would block."""
    assert len(_templates()) > 10
    for path in _templates():
        html = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: {tag}"
        assert not re.search(r"<style\b", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path
