"""Errors the API used to answer with Django's HTML pages (or a 500): all in the JSON shape now."""

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from tests.factories import label

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def test_deeply_nested_json_body_is_a_400(team):
    """`[`x1200 as a span, bulk or relation body is a 400 naming the body, not a RecursionError 500."""
    client = _client(team.annotator)
    body = "[" * 1200 + "]" * 1200
    for path in ["/api/v1/annotations/", "/api/v1/annotations/bulk/", "/api/v1/relations/"]:
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, (path, response.content)
        message = (
            "The request body is nested too deeply to read; send at most a few levels of lists and objects."
        )
        assert response.json() == {"message": message, "errors": {"body": [message]}}


def test_post_without_the_trailing_slash_redirects_with_308(team):
    """POST /api/v1/annotations (no slash) is a 308 to the slashed URL in the JSON shape; nothing is stored."""
    client = _client(team.annotator)
    span = {"document": team.document.pk, "start": 0, "end": 5, "label": label(team.project, "CLAIM").pk}
    response = client.post("/api/v1/annotations?x=1", span, format="json")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/annotations/?x=1"
    assert response.json() == {
        "message": "The endpoint is /api/v1/annotations/?x=1 (with a trailing slash); send the request there.",
        "errors": {},
    }
    assert Annotation.objects.count() == 0
    assert client.get("/api/v1/annotations")["Location"] == "/api/v1/annotations/"


def test_a_newline_in_a_path_segment_is_a_json_404(team):
    """/api/v1/annotations/%0A/ reached Django's HTML 404 page; now the API's 404."""
    client = _client(team.annotator)
    span = client.get("/api/v1/annotations/%0A/")
    assert (span.status_code, span.json()) == (404, {"message": "Span not found.", "errors": {}})
    for path in ["/api/v1/%0A/annotations/", "/api/%0A", "/api/v1/annotations/%0A/x/"]:
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path
        shown = path.replace("%0A", "\\n")
        assert response.json() == {
            "message": f"There is no API endpoint at '{shown}'; the endpoints are listed at /api/docs/.",
            "errors": {},
        }


def test_a_lost_database_is_a_json_503_with_retry_after(team, monkeypatch):
    """An OperationalError inside a view is a 503 with Retry-After, in JSON under /api/ and
    as a short page elsewhere: never Django's HTML 500 or the debug page."""
    from api import annotations

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(annotations, "access_annotation", lost)
    response = _client(team.annotator).get("/api/v1/annotations/1/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {
        "message": "The database is unavailable; nothing was changed by this request. Try again in a few seconds.",
        "errors": {},
    }


def test_an_unexpected_error_under_the_api_is_a_json_500(team, monkeypatch):
    """A bug answers the JSON shape (no HTML, no debug page with settings)."""
    from api import annotations

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(annotations, "access_annotation", broken)
    response = _client(team.annotator).get("/api/v1/annotations/1/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": "The server failed to answer this request; the error was logged. Try again, or report it.",
        "errors": {},
    }
