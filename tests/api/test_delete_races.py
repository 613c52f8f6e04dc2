"""Writes racing a DELETE of the same span or relation: the loser gets a 404 (or 409) in the
API's error shape, never a 500. Real threads, each with its own database connection."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Relation
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, RelationFactory, member

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Taxes rose 5%. Experts say growth will follow."


@pytest.fixture
def owner():
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    return member(project, Role.ANNOTATOR, username="ann"), document


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def _in_thread(fn, results: list, key: str):
    def run():
        try:
            results.append((key, fn()))
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_lock_waiter(timeout: float = 10) -> None:
    """Until some other connection of this database waits on a row lock."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity is read once per transaction unless the snapshot is cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("no request came to wait on the row lock")


def _delete_while_waiting(model, pk: int, request) -> object:
    """Hold the row's lock, let ``request`` pass its checks and block on the lock,
    then delete the row and commit: the request resumes on a row that is gone."""
    results: list = []
    with transaction.atomic():
        model.objects.select_for_update().get(pk=pk)
        thread = _in_thread(request, results, "request")
        _wait_for_lock_waiter()
        model.objects.filter(pk=pk).delete()
    thread.join(timeout=20)
    assert not thread.is_alive()
    return results[0][1]


def _assert_gone(response, what: str, pk: int) -> None:
    assert response.status_code == 404, response.content
    body = response.json()
    assert body["message"] == f"{what} {pk} no longer exists: it was deleted (perhaps by another request)."
    assert body["errors"] == {}


def test_span_patch_losing_to_a_delete_is_a_404(owner):
    """The PATCH read the span, then the DELETE committed before the PATCH could lock it."""
    user, document = owner
    span = AnnotationFactory(document=document, annotator=user, start=0, end=5)
    client = _client(user)
    response = _delete_while_waiting(
        Annotation,
        span.pk,
        lambda: client.patch(f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "x"}, format="json"),
    )
    _assert_gone(response, "Span", span.pk)


def test_span_delete_losing_to_a_delete_is_a_404(owner):
    user, document = owner
    span = AnnotationFactory(document=document, annotator=user, start=0, end=5)
    client = _client(user)
    response = _delete_while_waiting(
        Annotation, span.pk, lambda: client.delete(f"/api/v1/annotations/{span.pk}/?version=1")
    )
    _assert_gone(response, "Span", span.pk)


def test_relation_patch_and_delete_losing_to_a_delete_are_404s(owner):
    user, document = owner
    source = AnnotationFactory(document=document, annotator=user, start=0, end=5)
    target = AnnotationFactory(document=document, annotator=user, start=15, end=22)
    client = _client(user)
    for request in (
        lambda pk: client.patch(f"/api/v1/relations/{pk}/", {"version": 1, "type": "attacks"}, format="json"),
        lambda pk: client.delete(f"/api/v1/relations/{pk}/?version=1"),
    ):
        relation = RelationFactory(source=source, target=target)
        response = _delete_while_waiting(Relation, relation.pk, lambda pk=relation.pk: request(pk))
        _assert_gone(response, "Relation", relation.pk)


@pytest.mark.parametrize("rival", ["patch", "delete"])
def test_two_real_requests_released_together_never_answer_500(owner, rival):
    """Ten rounds of a DELETE and a PATCH (or a second DELETE) released by one barrier:
    exactly one DELETE wins (204); the other request gets 200, 404 or 409, never a 500."""
    user, document = owner
    for round_ in range(10):
        span = AnnotationFactory(document=document, annotator=user, start=round_, end=round_ + 5)
        barrier, results = threading.Barrier(2), []

        def delete(span=span):
            barrier.wait(timeout=10)
            return _client(user).delete(f"/api/v1/annotations/{span.pk}/?version=1")

        def other(span=span):
            barrier.wait(timeout=10)
            if rival == "delete":
                return _client(user).delete(f"/api/v1/annotations/{span.pk}/?version=1")
            return _client(user).patch(
                f"/api/v1/annotations/{span.pk}/", {"version": 1, "note": "n"}, format="json"
            )

        threads = [_in_thread(delete, results, "delete"), _in_thread(other, results, "other")]
        for thread in threads:
            thread.join(timeout=20)
        codes = {key: response.status_code for key, response in results}
        assert len(codes) == 2, results
        allowed = {204, 404} if rival == "delete" else {200, 404, 409}
        assert codes["other"] in allowed, (round_, codes, results[1][1].content)
        assert codes["delete"] in {204, 404, 409}, (round_, codes)
        if rival == "delete":
            assert sorted(codes.values()) == [204, 404]
        for _, response in results:
            if response.status_code >= 400:
                assert set(response.json()) >= {"message", "errors"}
        assert not Annotation.objects.filter(pk=span.pk).exists() or codes["delete"] == 409
