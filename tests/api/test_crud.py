"""The CRUD surface: filters, cursor pagination, tokens, labels, members, documents, error bodies."""

import pytest
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership
from tests.factories import AnnotationFactory, AuthorFactory, DocumentFactory, SourceFactory, label

pytestmark = pytest.mark.django_db


def _as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_cursor_pagination_walks_every_span_once(team):
    """page_size=2 over 5 spans gives pages of 2, 2, 1 linked by `next`, no overlaps."""
    ids = [
        AnnotationFactory(document=team.document, annotator=team.annotator, start=i, end=i + 3).pk
        for i in range(5)
    ]
    client = _as(team.annotator)
    seen, url, pages = [], "/api/v1/annotations/?page_size=2", 0
    while url:
        body = client.get(url).json()
        seen += [a["id"] for a in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == ids and pages == 3


def test_annotation_filters(team):
    """label, label_code, annotator, status, document and date range each narrow the list."""
    claim = AnnotationFactory(document=team.document, annotator=team.annotator, start=0, end=5)
    evidence = AnnotationFactory(
        document=team.document, annotator=team.annotator, start=6, end=10, label_code="EVIDENCE"
    )
    theirs = AnnotationFactory(
        document=team.document, annotator=team.other, start=0, end=5, status="accepted"
    )
    client = _as(team.reviewer)

    def ids(query):
        return [a["id"] for a in client.get(f"/api/v1/annotations/?{query}").json()["results"]]

    assert ids(f"label={label(team.project, 'EVIDENCE').pk}") == [evidence.pk]
    assert ids("label_code=CLAIM") == [claim.pk, theirs.pk]
    assert ids(f"annotator={team.other.pk}") == [theirs.pk]
    assert ids("status=accepted") == [theirs.pk]
    assert ids(f"document={team.document.pk}&annotator={team.annotator.pk}") == [claim.pk, evidence.pk]
    assert ids("created_after=2000-01-01T00:00:00Z&created_before=2001-01-01T00:00:00Z") == []
    bad = client.get("/api/v1/annotations/?status=maybe")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["status"]


def test_document_filters_by_source_and_author(team):
    """?source= and ?author= pick documents by outlet and author."""
    outlet, writer = SourceFactory(), AuthorFactory()
    doc = DocumentFactory(project=team.project, source=outlet)
    doc.authors.add(writer)
    client = _as(team.annotator)
    assert [d["id"] for d in client.get(f"/api/v1/documents/?source={outlet.pk}").json()["results"]] == [
        doc.pk
    ]
    assert [d["id"] for d in client.get(f"/api/v1/documents/?author={writer.pk}").json()["results"]] == [
        doc.pk
    ]
    assert "text" not in client.get("/api/v1/documents/").json()["results"][0]


def test_manager_creates_a_document_and_duplicates_are_refused(team):
    """POST /documents/ stores the text verbatim with its counts; the same text again is a 400 on `text`."""
    client = _as(team.manager)
    text = "Café ☕ au lait\u00a0now."
    created = client.post(
        "/api/v1/documents/",
        {
            "project": team.project.pk,
            "text": text,
            "title": "T",
            "outlet": "Daily Example",
            "authors": ["A. Writer"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["text"], body["char_count"], body["word_count"]) == (text, 19, 5)  # NBSP separates words
    again = client.post("/api/v1/documents/", {"project": team.project.pk, "text": text}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"] == {
        "text": [f"This project already has this text as document {body['id']}."]
    }
    assert (
        client.patch(f"/api/v1/documents/{body['id']}/", {"text": "changed"}, format="json").status_code
        == 405
    )
    assert Document.objects.get(pk=body["id"]).text == text


def test_label_codes_are_immutable(team):
    """A manager may rename a label but not change its code."""
    claim = label(team.project, "CLAIM")
    client = _as(team.manager)
    renamed = client.patch(
        f"/api/v1/labels/{claim.pk}/", {"name": "Assertion", "code": "CLAIM"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Assertion"
    recoded = client.patch(f"/api/v1/labels/{claim.pk}/", {"code": "ASSERTION"}, format="json")
    assert recoded.status_code == 400
    assert recoded.json()["errors"] == {
        "code": ["Label codes cannot change once created; add a new label instead."]
    }
    assert Label.objects.get(pk=claim.pk).code == "CLAIM"


def test_label_and_subtype_creation(team):
    """New label QUOTE and subtype direct; a lower-case label code is a 400 on `code`."""
    client = _as(team.manager)
    made = client.post(
        "/api/v1/labels/", {"project": team.project.pk, "code": "QUOTE", "name": "Quote"}, format="json"
    )
    assert made.status_code == 201
    sub = client.post(
        "/api/v1/subtypes/", {"label": made.json()["id"], "code": "direct", "name": "Direct"}, format="json"
    )
    assert sub.status_code == 201 and sub.json()["label"] == made.json()["id"]
    bad = client.post(
        "/api/v1/labels/", {"project": team.project.pk, "code": "quote", "name": "q"}, format="json"
    )
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["code"]


def test_members_are_added_and_deactivated_by_managers(team):
    """A staff manager's POST adds the outsider as annotator; DELETE deactivates without deleting.
    (Non-staff managers invite instead: tests/projects/test_invitations.py.)"""
    team.manager.is_staff = True
    team.manager.save(update_fields=["is_staff"])
    client = _as(team.manager)
    added = client.post(
        "/api/v1/members/",
        {"project": team.project.pk, "username": "outsider", "role": "annotator"},
        format="json",
    )
    assert added.status_code == 201 and added.json()["username"] == "outsider"
    assert client.delete(f"/api/v1/members/{added.json()['id']}/").status_code == 204
    assert Membership.objects.get(pk=added.json()["id"]).is_active is False
    unknown = client.post(
        "/api/v1/members/",
        {"project": team.project.pk, "username": "nobody", "role": "annotator"},
        format="json",
    )
    assert unknown.status_code == 400 and unknown.json()["errors"] == {
        "username": ["There is no user 'nobody'."]
    }


def test_tokens_are_created_used_and_revoked(team):
    """A token created over the session authenticates scripts until it is revoked."""
    session = _as(team.annotator)
    assert session.get("/api/v1/tokens/").json() == {"exists": False, "created": None}
    key = session.post("/api/v1/tokens/").json()["key"]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert script.get("/api/v1/projects/").status_code == 200
    assert session.delete("/api/v1/tokens/").status_code == 204
    revoked = script.get("/api/v1/projects/")
    assert revoked.status_code == 403 and revoked.json()["message"] == "Invalid token."


def test_malformed_json_and_wrong_content_type_are_named(team):
    """Broken JSON is a 400 saying so; an XML body is a 415 naming the media type."""
    client = _as(team.annotator)
    broken = client.post("/api/v1/annotations/", data='{"document": ', content_type="application/json")
    assert broken.status_code == 400 and broken.json()["message"].startswith("JSON parse error")
    xml = client.post("/api/v1/annotations/", data="<a/>", content_type="application/xml")
    assert xml.status_code == 415
    assert xml.json()["message"] == 'Unsupported media type "application/xml" in request.'
    assert not Annotation.objects.exists()


def test_project_list_shows_your_role(team):
    """Each listed project carries the caller's role."""
    body = _as(team.reviewer).get("/api/v1/projects/").json()
    assert [(p["id"], p["role"]) for p in body["results"]] == [(team.project.pk, "reviewer")]


def test_span_filters_by_subtype_source_author_and_date_range(team):
    """subtype, the document's source and author, and a created_after/before window that holds the span."""
    from django.utils import timezone

    from annotator.projects.models import LabelSubtype

    outlet, writer = SourceFactory(), AuthorFactory()
    sourced = DocumentFactory(project=team.project, source=outlet, text="Sourced text here.")
    sourced.authors.add(writer)
    factual = LabelSubtype.objects.get(label__project=team.project, label__code="CLAIM", code="factual")
    plain = AnnotationFactory(document=team.document, annotator=team.annotator, start=0, end=5)
    typed = AnnotationFactory(document=sourced, annotator=team.annotator, start=0, end=7, subtype=factual)
    client = _as(team.reviewer)

    def ids(query):
        response = client.get(f"/api/v1/annotations/?{query}")
        assert response.status_code == 200, response.json()
        return [a["id"] for a in response.json()["results"]]

    assert ids(f"subtype={factual.pk}") == [typed.pk]
    assert ids(f"source={outlet.pk}") == [typed.pk]
    assert ids(f"author={writer.pk}") == [typed.pk]
    hour = timezone.timedelta(hours=1)
    window = f"created_after={(timezone.now() - hour).isoformat()}&created_before={(timezone.now() + hour).isoformat()}"
    assert ids(window.replace("+", "%2B")) == [plain.pk, typed.pk]
    assert ids(f"updated_before={(timezone.now() - hour).isoformat().replace('+', '%2B')}") == []
    bad = client.get("/api/v1/annotations/?created_after=yesterday")
    # The error names the parameter as sent (created_after), not the filter (created).
    assert bad.status_code == 400 and bad.json()["errors"] == {
        "created_after": ["Enter an ISO 8601 date-time such as 2026-01-31T12:00:00Z."]
    }
