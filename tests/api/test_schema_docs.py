"""The OpenAPI schema and its offline documentation pages."""

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_lists_the_v1_operations():
    """/api/schema/ is OpenAPI 3 with the workspace, export and import operations."""
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/documents/{id}/workspace/", "/api/v1/annotations/bulk/", "/api/v1/projects/{id}/export/",
                 "/api/v1/projects/{id}/imports/", "/api/v1/jobs/{id}/", "/api/v1/tokens/"]:  # fmt: skip
        assert path in schema["paths"], path


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_local_assets(url):
    """Swagger UI and ReDoc load their scripts from the app's static files (sidecar), not a CDN."""
    html = Client().get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_fetch_nothing_from_outside_and_link_back_to_the_app(url):
    """No web fonts or scripts from other sites (the docs work offline); a bar links back to the
    app, to the other docs view and to the API token page."""
    html = Client().get(url).content.decode()
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert 'href="https://' not in html and 'src="https://' not in html
    for link in ('href="/"', 'href="/api/docs/"', 'href="/api/redoc/"', 'href="/account/token/"'):
        assert link in html, link
