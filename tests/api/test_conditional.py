"""ETag / If-None-Match on the GETs of spans and documents: a 304 without a body when nothing changed."""

import pytest

from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def test_span_etag_and_304(team, client_for):
    """A span's ETag is its version; If-None-Match with it gives 304, after an edit 200 with the new one."""
    span = AnnotationFactory(document=team.document, annotator=team.annotator, start=0, end=5)
    client = client_for(team.annotator)
    first = client.get(f"/api/v1/annotations/{span.pk}/")
    assert (first.status_code, first["ETag"]) == (200, f'"{span.version}"')
    again = client.get(f"/api/v1/annotations/{span.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    edited = client.patch(
        f"/api/v1/annotations/{span.pk}/", {"end": 13, "version": span.version}, format="json"
    )
    assert edited.status_code == 200
    changed = client.get(f"/api/v1/annotations/{span.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (changed.status_code, changed.json()["end"], changed["ETag"]) == (200, 13, f'"{span.version + 1}"')


def test_document_etag_and_304(team, client_for):
    """A document's ETag names its representation; a matching If-None-Match (or *) gives 304."""
    client = client_for(team.annotator)
    url = f"/api/v1/documents/{team.document.pk}/"
    first = client.get(url)
    assert first.status_code == 200 and first.json()["text"] == team.document.text
    tag = first["ETag"]
    assert tag.startswith('"') and len(tag) == 34
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", {tag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_outsider_gets_404_not_304(team, client_for):
    """If-None-Match does not reveal a document to a non-member."""
    response = client_for(team.outsider).get(f"/api/v1/documents/{team.document.pk}/", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 404
