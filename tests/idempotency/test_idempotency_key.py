"""Idempotency-Key on POSTs: a repeat replays the first answer; the key is per user and per request."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Relation
from annotator.idempotency.models import IdempotentRequest
from annotator.idempotency.services import idempotent_requests_purge
from annotator.jobs.models import Job
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, label, member

TEXT = "Taxes rose 5%. Experts say growth will follow."


@pytest.fixture
def setup(db):
    project = ProjectFactory()
    document = DocumentFactory(project=project, text=TEXT)
    return member(project, Role.ANNOTATOR, username="ann"), document


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def _span(document, start=0, end=5):
    return {"document": document.pk, "start": start, "end": end, "label": label(document.project, "CLAIM").pk}


@pytest.mark.django_db
def test_a_repeated_span_post_replays_the_201(setup):
    """The same key twice: one span, and the repeat answers the first 201 (body and ETag), marked replayed."""
    user, document = setup
    client = _client(user)
    first = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["ETag"] == first["ETag"] == '"1"'
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Annotation.objects.count() == 1
    # Without a key the repeat is what it always was: the duplicate is refused.
    plain = client.post("/api/v1/annotations/", _span(document), format="json")
    assert plain.status_code == 400
    assert plain.json()["message"] == "This layer already has a CLAIM span at 0-5."


@pytest.mark.django_db
def test_relation_bulk_and_review_posts_replay_too(setup):
    user, document = setup
    client = _client(user)
    source = AnnotationFactory(document=document, annotator=user, start=0, end=5)
    target = AnnotationFactory(document=document, annotator=user, start=15, end=22)
    body = {"source": source.pk, "target": target.pk, "type": "supports"}
    answers = [
        client.post("/api/v1/relations/", body, format="json", HTTP_IDEMPOTENCY_KEY="r") for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    assert Relation.objects.count() == 1
    bulk = {"annotations": [_span(document, 28, 34), _span(document, 35, 41)]}
    answers = [
        client.post("/api/v1/annotations/bulk/", bulk, format="json", HTTP_IDEMPOTENCY_KEY="b")
        for _ in range(2)
    ]
    assert answers[0].status_code == answers[1].status_code and answers[0].status_code < 300
    assert answers[0].json() == answers[1].json()
    assert Annotation.objects.count() == 4


@pytest.mark.django_db
def test_the_same_key_for_another_request_is_a_422(setup):
    user, document = setup
    client = _client(user)
    client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/v1/annotations/", _span(document, 6, 10), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 422
    message = "This Idempotency-Key was used for another request (POST /api/v1/annotations/); use a new key for each change."
    assert other.json() == {"message": message, "errors": {"Idempotency-Key": [message]}}
    assert Annotation.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_per_user_and_work_with_tokens(setup):
    """Another user's identical key is another request; a token client is recognised before the view runs."""
    user, document = setup
    other = member(document.project, Role.ANNOTATOR, username="other")
    token = Token.objects.create(user=other)
    tokened = APIClient()
    tokened.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    mine = _client(user).post(
        "/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    theirs = [
        tokened.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="same")
        for _ in range(2)
    ]
    assert mine.status_code == 201 and [t.status_code for t in theirs] == [201, 201]
    assert theirs[1]["Idempotent-Replayed"] == "true"
    assert sorted(Annotation.objects.values_list("annotator__username", flat=True)) == ["ann", "other"]


@pytest.mark.django_db
def test_a_token_client_with_a_key_is_not_asked_for_csrf(setup):
    """Recognising the token before the view must not make the view take it for a session."""
    user, document = setup
    token = Token.objects.create(user=user)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="t")
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_refusals_that_can_change_and_server_errors_are_not_stored(setup, monkeypatch):
    """A 500 rolls back with the request (nothing half-written); the same key then runs the request."""
    user, document = setup
    client = _client(user)
    from api import annotations

    real = annotations.annotation_create_from_input

    def failing(**kwargs):
        real(**kwargs)  # writes, then fails: the write must roll back
        raise RuntimeError("crash after the write")

    monkeypatch.setattr(annotations, "annotation_create_from_input", failing)
    crashed = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert crashed.status_code == 500
    assert Annotation.objects.count() == 0 and IdempotentRequest.objects.count() == 0
    monkeypatch.setattr(annotations, "annotation_create_from_input", real)
    retried = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert retried.status_code == 201 and Annotation.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_key_is_a_400_naming_the_header(setup):
    user, document = setup
    response = _client(user).post(
        "/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["Idempotency-Key"]


@pytest.mark.django_db
def test_export_job_post_replays_the_same_job(setup, django_capture_on_commit_callbacks):
    user, document = setup
    client = _client(user)
    path = f"/api/v1/projects/{document.project_id}/export/?format=native"
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="e") for _ in range(2)]
    assert answers[0].status_code == answers[1].status_code == 202, answers[0].content
    assert answers[0].json()["id"] == answers[1].json()["id"] and Job.objects.count() == 1


@pytest.mark.django_db
def test_old_keys_are_purged(setup):
    user, document = setup
    _client(user).post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert idempotent_requests_purge(now=timezone.now() + timedelta(hours=23)) == 0
    assert idempotent_requests_purge(now=timezone.now() + timedelta(hours=25)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_make_one_span(setup):
    """Released together on two connections: the second waits for the first's commit and replays it."""
    user, document = setup
    barrier, answers = threading.Barrier(2), []

    def post():
        try:
            barrier.wait(timeout=10)
            answers.append(_client(user).post("/api/v1/annotations/", _span(document), format="json",
                                              HTTP_IDEMPOTENCY_KEY="together"))  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Annotation.objects.count() == 1


@pytest.mark.django_db
def test_a_repeated_import_upload_replays_the_same_job(
    setup, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Multipart bodies are not read into memory for the fingerprint; the repeat still replays the 202."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    settings.ASSAY_IMPORT_INLINE_BYTES = 0  # the queued path: the replay is the same 202 job
    user, document = setup
    manager = member(document.project, Role.MANAGER, username="imp-boss")
    client = _client(manager)
    answers = []
    for _ in range(2):
        upload = {"file": [SimpleUploadedFile("a.jsonl", b'{"text": "Imported once."}')]}
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(client.post(f"/api/v1/projects/{document.project_id}/imports/", upload,
                                       format="multipart", HTTP_IDEMPOTENCY_KEY="imp"))  # fmt: skip
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json()["id"] == answers[1].json()["id"] and Job.objects.count() == 1
    assert answers[1]["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_replayed_submit_returns_the_first_answer(setup):
    """The workspace's Submit for review with a key: a repeat (its answer was lost) gets the first
    200 back, not 400 "Cannot submit work that is submitted", and the layer is submitted once."""
    from annotator.reviews.models import Assignment, AssignmentState

    user, document = setup
    client = _client(user)
    assert client.post("/api/v1/annotations/", _span(document), format="json").status_code == 201
    path = f"/api/v1/documents/{document.pk}/submit/"
    first = client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="submit-1")
    again = client.post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="submit-1")
    assert first.status_code == again.status_code == 200, first.content
    assignment = Assignment.objects.get(document=document, annotator=user)
    assert first.json() == again.json() == {"assignment": {"id": assignment.pk, "state": "submitted",
                                                           "reason": "", "version": assignment.version}}  # fmt: skip
    assert again["Idempotent-Replayed"] == "true"
    states = list(assignment.history.order_by("history_id").values_list("state", flat=True))
    assert states.count(AssignmentState.SUBMITTED) == 1
    # Without the key a second submit is refused, as before.
    plain = client.post(path, {}, format="json")
    assert plain.status_code == 400
    assert (
        plain.json()["message"]
        == "Cannot submit work that is submitted; it must be assigned, in progress or changes requested."
    )


@pytest.mark.django_db
def test_a_keyed_span_post_takes_the_single_statement_path(setup, django_capture_on_commit_callbacks):
    """A keyed POST into a layer being edited: the span and its history in the guarded statement
    (no separate read of the assignment), the key's row in the same transaction, and the replay
    gives one span."""
    from django.test.utils import CaptureQueriesContext

    user, document = setup
    client = _client(user)
    assert client.post("/api/v1/annotations/", _span(document, 6, 10), format="json").status_code == 201
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            "/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="fast"
        )
    statements = [q["sql"] for q in queries.captured_queries]  # before the next request clears the log
    again = client.post("/api/v1/annotations/", _span(document), format="json", HTTP_IDEMPOTENCY_KEY="fast")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Annotation.objects.filter(document=document, start=0, end=5).count() == 1
    inserts = [s for s in statements if s.startswith('WITH span AS (INSERT INTO "annotations_annotation"')]
    assert len(inserts) == 1 and "reviews_assignment" in inserts[0], statements  # the guard is in it
    assert not any(s.startswith("SELECT") and '"reviews_assignment"' in s for s in statements), statements
    # The marks come after the commit, outside the key's transaction (whose row is written after the span).
    assert "credibility_scoredirty" not in inserts[0]
    key_row = next(
        i for i, s in enumerate(statements) if s.startswith('UPDATE "idempotency_idempotentrequest"')
    )
    marks = [i for i, s in enumerate(statements) if "INSERT INTO credibility_scoredirty" in s]
    assert marks and min(marks) > key_row > statements.index(inserts[0]), statements
