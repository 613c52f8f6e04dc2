"""The hedge endpoints: what each role may do, error shapes, and exact offsets in responses."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from annotator.hedges.models import HedgeSuggestion
from annotator.hedges.services import hedge_documents_suggest
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

TEXT = "The talks\u00a0might fail. The plan was widely considered dead."


@pytest.fixture
def team():
    class Team:
        project = ProjectFactory()
        document = DocumentFactory(project=project, text=TEXT)
        annotator = member(project, Role.ANNOTATOR, username="ann")
        reviewer = member(project, Role.REVIEWER, username="rev")
        manager = member(project, Role.MANAGER, username="boss")
        outsider = UserFactory(username="outsider")

    hedge_documents_suggest(project_id=Team.project.pk, documents=[(Team.document.pk, TEXT)], disabled=set())
    return Team


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def might(team) -> HedgeSuggestion:
    return HedgeSuggestion.objects.get(document=team.document, rule="modal.might")


def test_list_gives_code_point_offsets_and_your_state(team):
    response = client(team.annotator).get(f"/api/v1/documents/{team.document.pk}/hedges/")
    assert response.status_code == 200
    rows = response.json()["suggestions"]
    assert [(r["start"], r["end"], r["quote"], r["kind"], r["rule"], r["state"]) for r in rows] == [
        (10, 15, "might", "modal", "modal.might", None),
        (35, 52, "widely considered", "weasel", "weasel.widely", None),
    ]


def test_accept_reject_and_undo_through_the_api(team):
    api = client(team.annotator)
    url = f"/api/v1/hedges/{might(team).pk}/decision/"
    response = api.put(url, {"state": "accepted"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "accepted"
    span = body["annotation"]
    assert (span["start"], span["end"], span["quote"], span["annotator"]) == (
        10,
        15,
        "might",
        team.annotator.pk,
    )
    assert Annotation.objects.get(pk=span["id"]).subtype.code == "modal"
    assert api.put(url, {"state": "rejected"}, format="json").json() == {
        "suggestion": might(team).pk,
        "state": "rejected",
        "annotation": None,
    }
    assert Annotation.objects.count() == 0
    assert api.delete(url).status_code == 204
    again = api.delete(url)
    assert again.status_code == 400
    assert again.json()["message"] == "You have not decided on this suggestion; there is nothing to undo."
    bad = api.put(url, {"state": "maybe"}, format="json")
    assert bad.status_code == 400 and "state" in bad.json()["errors"]


def test_accept_rule_endpoint(team):
    response = client(team.annotator).post(
        f"/api/v1/documents/{team.document.pk}/hedges/accept-rule/", {"rule": "weasel.widely"}, format="json"
    )
    assert response.status_code == 200
    [decision] = response.json()["accepted"]
    assert (decision["annotation"]["start"], decision["annotation"]["end"]) == (35, 52)
    unknown = client(team.annotator).post(
        f"/api/v1/documents/{team.document.pk}/hedges/accept-rule/", {"rule": "x.y"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["errors"] == {"rule": ["Unknown rule 'x.y'."]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("outsider", 404), ("annotator", 200), ("reviewer", 200), ("manager", 200)],
)
def test_document_suggestions_need_membership(team, who, expected):
    assert (
        client(getattr(team, who)).get(f"/api/v1/documents/{team.document.pk}/hedges/").status_code
        == expected
    )


def test_outsider_cannot_decide_or_learn_a_suggestion_exists(team):
    response = client(team.outsider).put(f"/api/v1/hedges/{might(team).pk}/decision/", {"state": "accepted"})
    assert response.status_code == 404
    assert response.json()["message"] == "Suggestion not found."
    assert (
        client(team.outsider).put("/api/v1/hedges/999999/decision/", {"state": "accepted"}).status_code == 404
    )


@pytest.mark.parametrize(
    ("who", "stats", "switch"),
    [("outsider", 404, 404), ("annotator", 403, 403), ("reviewer", 200, 403), ("manager", 200, 200)],
)
def test_rule_table_for_reviewers_and_switches_for_managers(team, who, stats, switch):
    api = client(getattr(team, who))
    assert api.get(f"/api/v1/projects/{team.project.pk}/hedge-rules/").status_code == stats
    response = api.patch(
        f"/api/v1/projects/{team.project.pk}/hedge-rules/modal.might/", {"enabled": False}, format="json"
    )
    assert response.status_code == switch
    if switch == 200:
        assert response.json()["enabled"] is False
        listed = client(team.annotator).get(f"/api/v1/documents/{team.document.pk}/hedges/").json()
        assert [r["rule"] for r in listed["suggestions"]] == ["weasel.widely"]


@pytest.mark.parametrize(
    ("who", "expected"), [("outsider", 404), ("annotator", 403), ("reviewer", 403), ("manager", 202)]
)
def test_project_run_needs_manager(team, who, expected, django_capture_on_commit_callbacks):
    """The whole-project run rewrites every document's pending suggestions: managers only."""
    api = client(getattr(team, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/projects/{team.project.pk}/hedge-runs/")
    assert response.status_code == expected
    body = response.json()
    if expected == 202:
        assert (body["kind"], body["project"], body["state"]) == ("hedges", team.project.pk, "pending")
        job = api.get(f"/api/v1/jobs/{body['id']}/").json()  # the job the page follows
        assert (job["state"], job["progress"], job["counts"]) == (
            "succeeded", 100, {"documents": 1, "suggestions": 2, "total": 1}
        )  # fmt: skip
    elif expected == 404:
        assert body["message"] == "Project not found."
    else:
        assert "manager" in body["message"].lower()
    assert client(getattr(team, who)).post("/api/v1/projects/999999/hedge-runs/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"), [("outsider", 404), ("annotator", 202), ("reviewer", 202), ("manager", 202)]
)
def test_document_run_for_members(team, who, expected, django_capture_on_commit_callbacks):
    api = client(getattr(team, who))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/documents/{team.document.pk}/hedges/")
    assert response.status_code == expected
    if expected == 202:
        assert (response.json()["kind"], response.json()["project"]) == ("hedges", team.project.pk)
        job = api.get(f"/api/v1/jobs/{response.json()['id']}/").json()  # visible to whoever started it
        assert (job["state"], job["progress"], job["counts"]) == (
            "succeeded", 100, {"documents": 1, "suggestions": 2, "total": 1}
        )  # fmt: skip
    else:
        assert response.json()["message"] == "Document not found."


def test_both_runs_are_in_the_openapi_schema(team):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    document_run = paths["/api/v1/documents/{id}/hedges/"]["post"]
    project_run = paths["/api/v1/projects/{id}/hedge-runs/"]["post"]
    assert document_run["summary"] == "Suggest hedges in this document again (members)"
    assert project_run["summary"] == "Suggest hedges in the whole project (managers)"
    for operation in (document_run, project_run):
        assert set(operation["responses"]) >= {"202", "403", "404"}


@pytest.mark.parametrize(("who", "expected"), [("outsider", 404), ("annotator", 403), ("reviewer", 200)])
def test_rule_page_for_reviewers(team, who, expected, client_html):
    response = client_html(getattr(team, who)).get(f"/hedges/{team.project.pk}/rules/")
    assert response.status_code == expected
    if expected == 200:
        assert "modal.might" in response.content.decode()
        assert "switch off" not in response.content.decode()  # reviewers see, managers switch


def test_manager_switches_a_rule_off_in_the_page(team, client_html):
    from annotator.hedges.selectors import hedge_rules_disabled

    page = client_html(team.manager)
    response = page.post(
        f"/hedges/{team.project.pk}/rules/switch/", {"rule": "modal.might", "enabled": "false"}
    )
    assert response.status_code == 302
    assert hedge_rules_disabled(project_id=team.project.pk) == {"modal.might"}
    assert "Off · switch on" in page.get(f"/hedges/{team.project.pk}/rules/").content.decode()
    assert (
        client_html(team.reviewer)
        .post(f"/hedges/{team.project.pk}/rules/switch/", {"rule": "modal.may", "enabled": "false"})
        .status_code
        == 403
    )


def test_rule_page_runs_the_project_job(team, client_html):
    from annotator.jobs.models import Job

    assert client_html(team.annotator).post(f"/hedges/{team.project.pk}/run/").status_code == 403
    assert client_html(team.reviewer).post(f"/hedges/{team.project.pk}/run/").status_code == 403
    assert client_html(team.outsider).post(f"/hedges/{team.project.pk}/run/").status_code == 404
    response = client_html(team.manager).post(f"/hedges/{team.project.pk}/run/", follow=True)
    job = Job.objects.get(kind="hedges", project=team.project)
    assert f"Suggestion job {job.pk} queued" in response.content.decode()


@pytest.fixture
def client_html():
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


def test_admin_lists_only_managed_projects_suggestions(team):
    from django.test import Client

    other = ProjectFactory()
    other_document = DocumentFactory(project=other, text="Elsewhere the talks might stall.")
    hedge_documents_suggest(
        project_id=other.pk, documents=[(other_document.pk, other_document.text)], disabled=set()
    )
    team.manager.is_staff = True
    team.manager.save(update_fields=["is_staff"])
    admin = Client()
    admin.force_login(team.manager)
    page = admin.get("/admin/hedges/hedgesuggestion/")
    assert page.status_code == 200
    body = page.content.decode()
    foreign = HedgeSuggestion.objects.get(document=other_document)
    assert f"/admin/hedges/hedgesuggestion/{might(team).pk}/change/" in body
    assert f"/admin/hedges/hedgesuggestion/{foreign.pk}/change/" not in body
    assert admin.get(f"/admin/hedges/hedgesuggestion/{might(team).pk}/change/").status_code == 200
    assert (
        admin.get(f"/admin/hedges/hedgesuggestion/{foreign.pk}/change/").status_code == 302
    )  # "doesn't exist"
    team.reviewer.is_staff = True
    team.reviewer.save(update_fields=["is_staff"])
    reviewer = Client()
    reviewer.force_login(team.reviewer)
    assert reviewer.get("/admin/hedges/hedgesuggestion/").status_code == 403
