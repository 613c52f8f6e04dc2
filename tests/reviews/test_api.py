"""The review API: same error shape, same permission rules as the services."""

import pytest

from annotator.annotations.models import Annotation, Layer
from annotator.reviews.models import Assignment
from tests.clients import api_client
from tests.factories import DocumentFactory, SourceFactory
from tests.reviews.conftest import submitted


def post(user, url, data=None):
    return api_client(user).post(f"/api/v1/{url}", data or {}, format="json")


def test_approve_permission_matrix(scene):
    """non-member 404, annotator 403, own work 403, reviewer 200; approving twice is a 400 naming state."""
    url = f"assignments/{scene.a1.pk}/approve/"
    assert post(scene.outsider, url).json() == {"message": "Assignment not found.", "errors": {}}
    assert post(scene.outsider, url).status_code == 404
    response = post(scene.ann2, url)
    assert (response.status_code, response.json()["message"]) == (
        403,
        "Only reviewers and managers of this project can review work.",
    )
    assert post(scene.ann1, url).json()["message"] == "You cannot review your own work."
    response = post(scene.reviewer, url)
    assert (response.status_code, response.json()["state"]) == (200, "approved")
    response = post(scene.reviewer, url)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "state": ["Cannot approve work that is approved; it must be submitted."]
    }


def test_request_changes_needs_reason(scene):
    response = post(scene.reviewer, f"assignments/{scene.a2.pk}/request-changes/", {"reason": ""})
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["Say what needs to change: the reason is required."]}
    response = post(
        scene.reviewer, f"assignments/{scene.a2.pk}/request-changes/", {"reason": "Add the hedge."}
    )
    assert (response.json()["state"], response.json()["reason"]) == ("changes_requested", "Add the hedge.")


def test_bulk_assign_and_progress(scene):
    doc = DocumentFactory(project=scene.project)
    body = {"annotators": [scene.ann1.pk, scene.ann2.pk], "overlap": 1}
    bulk = f"projects/{scene.project.pk}/assignments/bulk/"
    assert post(scene.reviewer, bulk, body).status_code == 403
    assert post(scene.outsider, bulk, body).status_code == 404
    response = post(scene.manager, bulk, body)
    assert (response.status_code, response.json()) == (201, {"created": 1, "skipped": 1, "documents": 2})
    assert Assignment.objects.filter(document=doc).count() == 1
    progress = api_client(scene.manager).get(f"/api/v1/projects/{scene.project.pk}/progress/").json()
    assert {row["username"]: row["submitted"] for row in progress["annotators"]} == {"ann1": 1, "ann2": 1}


def test_span_decisions_and_gold(scene):
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    response = post(scene.reviewer, f"annotations/{span.pk}/reject/", {"reason": ""})
    assert response.json()["errors"] == {"reason": ["Say why the span is rejected: the reason is required."]}
    assert post(scene.ann2, f"annotations/{span.pk}/accept/").status_code == 403
    assert post(scene.outsider, f"annotations/{span.pk}/accept/").status_code == 404
    response = post(
        scene.reviewer, f"annotations/{span.pk}/correct/", {"start": 12, "reason": "Include 'on'."}
    )
    assert response.status_code == 200
    assert response.json()["original"]["status"] == "corrected"
    assert (response.json()["gold"]["start"], response.json()["gold"]["quote"]) == (12, "on the mat")
    response = post(scene.reviewer, f"documents/{scene.document.pk}/gold/accept-agreed/")
    assert response.json() == {
        "spans": 1,
        "relations": 0,
        "already_spans": 0,
        "already_relations": 0,
        "layers": 2,
    }
    hedge = Annotation.objects.get(annotator=scene.ann2, start=23)
    response = post(scene.reviewer, f"documents/{scene.document.pk}/gold/accept/", {"annotation": hedge.pk})
    assert response.status_code == 201 and response.json()["annotation"]["layer"] == "gold"
    assert Annotation.objects.filter(layer=Layer.GOLD).count() == 3


def test_agreement_history_restore(scene):
    response = post(scene.reviewer, f"documents/{scene.document.pk}/agreement/")
    overall = next(row for row in response.json() if row["label"] is None)
    assert (overall["exact_f1"], overall["overlap_f1"], overall["alpha"]) == (
        pytest.approx(0.4),
        pytest.approx(0.8),
        pytest.approx(0.6),
    )
    assert api_client(scene.ann1).get(f"/api/v1/documents/{scene.document.pk}/agreement/").status_code == 403
    project_rows = api_client(scene.reviewer).get(f"/api/v1/projects/{scene.project.pk}/agreement/").json()
    assert next(r for r in project_rows if r["label"] is None)["alpha"] == pytest.approx(0.6)

    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    post(scene.reviewer, f"annotations/{span.pk}/reject/", {"reason": "Too short."})
    entries = api_client(scene.reviewer).get(f"/api/v1/annotations/{span.pk}/history/").json()["results"]
    assert [e["action"] for e in entries] == ["created", "changed"]
    assert entries[1]["changes"] == [
        {"field": "status", "before": "pending", "after": "rejected"},
        {"field": "status_reason", "before": "", "after": "Too short."},
    ]
    body = {"model": "annotation", "history_id": entries[0]["history_id"]}
    assert post(scene.reviewer, "history/restore/", body).status_code == 403
    assert post(scene.outsider, "history/restore/", body).status_code == 404
    response = post(scene.manager, "history/restore/", body)
    assert (response.json()["annotation"]["status"], response.json()["annotation"]["version"]) == (
        "pending",
        3,
    )
    doc_entries = api_client(scene.reviewer).get(f"/api/v1/documents/{scene.document.pk}/history/").json()
    assert doc_entries["results"][0]["user"] == "mgr"


def test_restore_an_assignment_through_the_api(scene):
    """A manager undoes an approval: the response carries the assignment, submitted again."""
    entry = scene.a1.history.get(history_type="+")
    post(scene.reviewer, f"assignments/{scene.a1.pk}/approve/")
    body = {"model": "assignment", "history_id": entry.history_id}
    assert post(scene.reviewer, "history/restore/", body).status_code == 403
    response = post(scene.manager, "history/restore/", body)
    assert response.status_code == 200
    assert (response.json()["assignment"]["id"], response.json()["assignment"]["state"]) == (
        scene.a1.pk,
        "submitted",
    )
    response = post(scene.manager, "history/restore/", {"model": "document", "history_id": 1})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["model"]


def test_queue_filters_in_the_api_match_the_page(scene):
    """review-queue/ narrows by project, annotator, outlet and label as the /review/ page does
    (one selector serves both); a filter that is not an id is a 400 naming it."""
    outlet = SourceFactory(name="Daily Example")
    other = DocumentFactory(project=scene.project, title="Only claims here", source=outlet)
    submitted(other, scene.ann1, [(0, 4, "CLAIM")])
    hedge = scene.project.labels.get(code="HEDGE")
    client = api_client(scene.reviewer)

    def ids(**params):
        response = client.get("/api/v1/review-queue/", params)
        assert response.status_code == 200, response.content
        return sorted(row["document"] for row in response.json()["results"])

    both = sorted([scene.document.pk, other.pk])
    assert ids() == both
    assert ids(project=scene.project.pk) == both
    assert ids(label=hedge.pk) == [scene.document.pk]
    assert ids(source=outlet.pk) == [other.pk]
    assert ids(annotator=scene.ann2.pk) == [scene.document.pk]
    response = client.get("/api/v1/review-queue/", {"label": "hedge"})
    assert (response.status_code, list(response.json()["errors"])) == (400, ["label"])


def test_a_rejection_or_send_back_needs_a_reason_the_schema_states(scene, client):
    """Blank, absent or whitespace-only reasons are refused naming the field; the schema says so too."""
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    for body in ({}, {"reason": "   "}, {"reason": "\n\t"}):
        response = post(scene.reviewer, f"annotations/{span.pk}/reject/", body)
        assert (response.status_code, response.json()["errors"]) == (
            400,
            {"reason": ["Say why the span is rejected: the reason is required."]},
        )
    span.refresh_from_db()
    assert span.status == "pending"
    schema = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    for name in ("SpanRejectInputRequest", "RelationRejectInputRequest", "ChangesRequestInputRequest"):
        assert "reason" in schema[name]["required"]
        assert schema[name]["properties"]["reason"]["pattern"] == "\\S"
