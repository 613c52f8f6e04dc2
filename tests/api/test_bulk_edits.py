"""Bulk delete and relabel of spans: all or nothing, each span at the version the client saw."""

import pytest

from annotator.annotations.models import Annotation
from tests.factories import AnnotationFactory, label

pytestmark = pytest.mark.django_db


@pytest.fixture
def spans(team):
    return [
        AnnotationFactory(
            document=team.document, annotator=team.annotator, start=0, end=13, label_code="EVIDENCE"
        ),
        AnnotationFactory(document=team.document, annotator=team.annotator, start=15, end=45),
    ]


def test_bulk_relabel(team, client_for, spans):
    """Both spans become HEDGE with their version raised; a label of another project is refused."""
    hedge = label(team.project, "HEDGE")
    body = {"annotations": [{"id": s.pk, "version": s.version} for s in spans], "label": hedge.pk}
    response = client_for(team.annotator).post("/api/v1/annotations/bulk/relabel/", body, format="json")
    assert response.status_code == 200, response.json()
    assert [(a["id"], a["label"], a["version"]) for a in response.json()["annotations"]] == [
        (spans[0].pk, hedge.pk, 2), (spans[1].pk, hedge.pk, 2)]  # fmt: skip
    assert set(Annotation.objects.values_list("label__code", flat=True)) == {"HEDGE"}


def test_bulk_delete_is_all_or_nothing(team, client_for, spans):
    """A stale version on the second span is a 409 naming annotations[1].version; nothing is deleted."""
    client = client_for(team.annotator)
    stale = {"annotations": [{"id": spans[0].pk, "version": 1}, {"id": spans[1].pk, "version": 7}]}
    response = client.post("/api/v1/annotations/bulk/delete/", stale, format="json")
    assert response.status_code == 409
    assert response.json()["errors"] == {"annotations[1].version": ["Stale version 7; current is 1."]}
    assert Annotation.objects.count() == 2
    fresh = {"annotations": [{"id": s.pk, "version": 1} for s in spans]}
    assert client_for(team.other).post(
        "/api/v1/annotations/bulk/delete/", fresh, format="json"
    ).status_code in (403, 404)
    done = client.post("/api/v1/annotations/bulk/delete/", fresh, format="json")
    assert (done.status_code, done.json()) == (200, {"deleted": 2})
    assert Annotation.objects.count() == 0
    assert Annotation.history.filter(history_type="-").count() == 2
