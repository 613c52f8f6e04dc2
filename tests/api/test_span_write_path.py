"""The span write path as the API serves it outside a test transaction.

Tests wrapped in a transaction take annotation_create's general path; a real request
runs in autocommit, where a span in a layer being edited is one statement that also
writes its history row and its credibility marks (annotator/annotations/span_sql.py).
These tests commit for real to cover that statement: same checks, same messages, the
same history and marks as the general path.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.credibility import tasks
from annotator.credibility.models import ScoreDirty
from annotator.credibility.signals import scores_signals_suspended
from annotator.projects.models import Role
from annotator.reviews.models import Assignment, AssignmentState
from tests.factories import DocumentFactory, ProjectFactory, label, member

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Taxes rose 5%. Experts say growth will follow."


@pytest.fixture
def sent(monkeypatch):
    """Recompute tasks queued, recorded instead of run."""
    calls = []
    monkeypatch.setattr(tasks.scores_recompute_dirty, "apply_async", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def scene(transactional_db):
    class Scene:
        project = ProjectFactory()
        document = DocumentFactory(project=project, text=TEXT)
        annotator = member(project, Role.ANNOTATOR, username="ann")
        reviewer = member(project, Role.REVIEWER, username="rev")
        claim = label(project, "CLAIM")

    return Scene


def _script(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _post(client, scene, **fields):
    body = {"document": scene.document.pk, "start": 0, "end": 5, "label": scene.claim.pk, **fields}
    return client.post("/api/v1/annotations/", body, format="json")


def _marks(scene) -> list:
    return sorted(ScoreDirty.objects.filter(project=scene.project).values_list("kind", "entity_id", "claim"))


def _in_progress(scene, sent) -> None:
    """The annotator's layer is being edited; no marks or queued task left from setting it up."""
    Assignment.objects.create(
        project=scene.project,
        document=scene.document,
        annotator=scene.annotator,
        state=AssignmentState.IN_PROGRESS,
    )
    ScoreDirty.objects.all().delete()
    sent.clear()


def test_a_span_in_a_layer_being_edited_is_stored_with_history_and_marks_in_one_statement(scene, sent):
    """Three queries (token, document with role and label, the insert): 201 with the span
    and its ETag, a "+" history row naming the token's user, the document marked dirty and
    one recompute queued; a second span adds its history but queues nothing more."""
    _in_progress(scene, sent)
    client = _script(scene.annotator)
    client.post("/api/v1/annotations/", {}, format="json")  # opens the connection: not counted
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, scene)
    assert response.status_code == 201, response.json()
    assert len(queries) == 3, [q["sql"] for q in queries]
    body = response.json()
    span = Annotation.objects.get(pk=body["id"])
    assert response["ETag"] == '"1"'
    assert body == {
        "id": span.pk, "document": scene.document.pk, "annotator": scene.annotator.pk, "layer": "annotator",
        "start": 0, "end": 5, "quote": "Taxes", "label": scene.claim.pk, "subtype": None, "note": "",
        "status": "pending", "status_reason": "", "version": 1,
        "created_at": span.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": span.updated_at.isoformat().replace("+00:00", "Z"),
    }  # fmt: skip
    history = span.history.get()
    assert (history.history_type, history.history_user, history.quote, history.label_id) == (
        "+", scene.annotator, "Taxes", scene.claim.pk,
    )  # fmt: skip
    assert history.history_date == span.created_at == span.updated_at
    assert _marks(scene) == [("document", scene.document.pk, None), ("scheduled", 0, None)]
    assert sent == [{"kwargs": {"project_id": scene.project.pk}, "countdown": 2.0}]

    assert _post(client, scene, start=6, end=10).status_code == 201
    assert Annotation.history.count() == 2 and len(sent) == 1


def test_a_span_clears_the_claim_a_running_recompute_holds_on_its_document(scene, sent):
    """A marker claimed by a running recompute is handed back (claim cleared) so the change
    is recomputed again; the queued task is not queued twice."""
    _in_progress(scene, sent)
    ScoreDirty.objects.create(project=scene.project, kind="document", entity_id=scene.document.pk,
                              claim="5c0e0000-0000-4000-8000-000000000001")  # fmt: skip
    ScoreDirty.objects.create(project=scene.project, kind="scheduled", entity_id=0)
    assert _post(_script(scene.annotator), scene).status_code == 201
    assert _marks(scene) == [("document", scene.document.pk, None), ("scheduled", 0, None)]
    assert sent == []


def test_a_duplicate_span_is_refused_by_name_and_writes_nothing(scene, sent):
    """The unique constraint answers inside the statement: the same 400 message as ever,
    and no second span, history row or mark."""
    _in_progress(scene, sent)
    client = _script(scene.annotator)
    assert _post(client, scene).status_code == 201
    ScoreDirty.objects.all().delete()
    response = _post(client, scene, note="again")
    assert response.status_code == 400
    assert response.json() == {
        "message": "This layer already has a CLAIM span at 0-5.",
        "errors": {"non_field_errors": ["This layer already has a CLAIM span at 0-5."]},
    }
    assert Annotation.objects.count() == 1 and Annotation.history.count() == 1
    assert _marks(scene) == []


@pytest.mark.parametrize("state", [AssignmentState.SUBMITTED, AssignmentState.APPROVED])
def test_a_read_only_layer_refuses_the_span_and_writes_nothing(scene, sent, state):
    """A submitted or approved layer: 400 on ``document`` naming the state; nothing stored."""
    Assignment.objects.create(project=scene.project, document=scene.document, annotator=scene.annotator,
                              state=state, submitted_at="2026-01-01T00:00:00Z")  # fmt: skip
    ScoreDirty.objects.all().delete()
    response = _post(_script(scene.annotator), scene)
    assert response.status_code == 400
    message = f"This layer is {state.label.lower()} and read-only until a reviewer sends it back."
    assert response.json() == {"message": message, "errors": {"document": [message]}}
    assert not Annotation.objects.exists() and not Annotation.history.exists() and _marks(scene) == []


def test_the_first_span_opens_the_layer_and_an_assigned_layer_starts(scene, sent):
    """No assignment yet: the span creates it, in progress. An assigned layer moves to in
    progress (version + 1). Both spans get history and marks."""
    client = _script(scene.annotator)
    assert _post(client, scene).status_code == 201
    opened = Assignment.objects.get(document=scene.document, annotator=scene.annotator)
    assert opened.state == AssignmentState.IN_PROGRESS
    assert _marks(scene) == [("document", scene.document.pk, None), ("scheduled", 0, None)]

    other = DocumentFactory(project=scene.project, text="Officials claim the budget will double.")
    Assignment.objects.create(project=scene.project, document=other, annotator=scene.annotator,
                              state=AssignmentState.ASSIGNED)  # fmt: skip
    ScoreDirty.objects.all().delete()
    assert _post(client, scene, document=other.pk, start=0, end=9).status_code == 201
    started = Assignment.objects.get(document=other, annotator=scene.annotator)
    assert (started.state, started.version) == (AssignmentState.IN_PROGRESS, 2)
    assert [h.history_user for h in Annotation.history.order_by("history_id")] == [scene.annotator] * 2
    assert _marks(scene) == [("document", other.pk, None), ("scheduled", 0, None)]


def test_a_reviewers_gold_span_is_stored_with_history_and_marks(scene, sent):
    """The gold layer takes the general path: same response, history and marks."""
    response = _post(_script(scene.reviewer), scene, layer="gold")
    assert response.status_code == 201, response.json()
    span = Annotation.objects.get(pk=response.json()["id"])
    assert (span.layer, span.annotator) == ("gold", scene.reviewer)
    assert [(h.history_type, h.history_user) for h in span.history.all()] == [("+", scene.reviewer)]
    assert _marks(scene) == [("document", scene.document.pk, None), ("scheduled", 0, None)]
    assert len(sent) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start": 40, "end": 60}, "end", "End 60 is past the end of the text (46 code points)."),
        ({"quote": "Taxis"}, "quote", "The quote does not match the text at 0-5, which reads 'Taxes'."),
        ({"start": "x"}, "start", "A valid integer is required."),
    ],
)
def test_bad_spans_are_refused_by_field_before_anything_is_written(scene, sent, fields, field, message):
    """Offsets, quote and input types are checked first, with the usual messages."""
    _in_progress(scene, sent)
    response = _post(_script(scene.annotator), scene, **fields)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert not Annotation.objects.exists() and _marks(scene) == []


def test_suspended_marks_are_not_written(scene, sent):
    """Bulk loaders suspend marking (they recompute everything afterwards): no marks, no task."""
    from annotator.annotations.services import annotation_create

    _in_progress(scene, sent)
    with scores_signals_suspended():
        annotation_create(
            document=scene.document, annotator=scene.annotator, start=0, end=5, label=scene.claim
        )
    assert Annotation.history.count() == 1 and _marks(scene) == [] and sent == []
