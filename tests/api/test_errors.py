"""One error shape everywhere: wrong paths, methods, media types, bodies and cursors, all as JSON."""

import json

import pytest

from annotator.annotations.models import Annotation
from tests.factories import label

pytestmark = pytest.mark.django_db


def test_unknown_paths_under_the_api_are_json_404s(team, client_for):
    """A path no endpoint serves is a 404 naming the path, not Django's HTML page; slashless paths redirect."""
    client = client_for(team.annotator)
    for path in ["/api/v1/nope/", "/api/v1/annotations/1/unknown/", "/api/"]:
        response = client.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path
        assert response.json() == {
            "message": f"There is no API endpoint at {path}; the endpoints are listed at /api/docs/.",
            "errors": {},
        }
    posted = client.post("/api/v1/nope/", {"a": 1}, format="json")
    assert posted.status_code == 404 and posted.json()["message"].startswith("There is no API endpoint")
    redirect = client.get("/api/v1/annotations")
    assert (redirect.status_code, redirect["Location"]) == (301, "/api/v1/annotations/")


def test_wrong_method_is_a_json_405(team, client_for):
    """PUT on a document (text is never edited) and on a project (PATCH it) are 405s in the error shape."""
    client = client_for(team.manager)
    put = client.put(f"/api/v1/documents/{team.document.pk}/", {"text": "x"}, format="json")
    assert (put.status_code, put.json()) == (405, {"message": 'Method "PUT" not allowed.', "errors": {}})
    replace = client.put(f"/api/v1/projects/{team.project.pk}/", {"name": "x"}, format="json")
    assert (replace.status_code, replace.json()["message"]) == (405, 'Method "PUT" not allowed.')


def test_body_over_the_memory_limit_is_a_json_413_and_stores_nothing(team, client_for, settings):
    """A bulk body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with the limit in the message."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    span = {"document": team.document.pk, "start": 0, "end": 5, "label": label(team.project, "CLAIM").pk}
    body = json.dumps({"annotations": [{**span, "note": "x" * 500}] * 40})
    response = client_for(team.annotator).post(
        "/api/v1/annotations/bulk/", data=body, content_type="application/json"
    )
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    message = (
        "The request body is larger than 10,000 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE); "
        "send fewer items per request, or upload files to an import."
    )
    assert response.json() == {"message": message, "errors": {"body": [message]}}
    assert Annotation.objects.count() == 0


def test_a_json_array_instead_of_an_object_is_named(team, client_for):
    """`[]` as a span body is a 400 saying an object was expected."""
    response = client_for(team.annotator).post(
        "/api/v1/annotations/", data="[]", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


def test_a_forged_cursor_is_a_400_naming_the_cursor(team, client_for):
    """?cursor= that no list gave out is refused naming `cursor` (DRF alone says only "Invalid cursor")."""
    response = client_for(team.annotator).get("/api/v1/annotations/?cursor=zzz")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "cursor": ["This cursor was not made by this list; follow the next or previous link as given."]
    }
