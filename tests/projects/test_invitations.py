"""Adding members without enumerating or enrolling anyone (issue 12, item 5).

Anyone may create a project and so become its manager. A manager who is not
staff therefore cannot add an existing account outright: they invite it, the
answer is the same whether or not the account exists, and the user joins only
by accepting. Staff managers (trusted, and able to see accounts in the admin
anyway) still add members directly.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from annotator.projects.models import Invitation, Membership, Role
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def founder_project():
    """A project made through the API by an ordinary (non-staff) user, who is its manager."""
    founder = UserFactory(username="founder")
    created = _api(founder).post("/api/v1/projects/", {"name": "My own project"}, format="json")
    assert created.status_code == 201
    return founder, created.json()["id"]


def _add(caller, project_id, **who):
    return _api(caller).post(
        "/api/v1/members/", {"project": project_id, "role": "reviewer", **who}, format="json"
    )


def test_the_answer_is_the_same_whether_or_not_the_account_exists(founder_project):
    """Inviting "victim" (exists) and "nobody" (does not) both answer 202 with the same wording;
    by id likewise. Nobody is enrolled: only the existing account has a pending invitation."""
    founder, project_id = founder_project
    victim = UserFactory(username="victim")
    responses = {name: _add(founder, project_id, username=name) for name in ("victim", "nobody")}
    for name, response in responses.items():
        assert response.status_code == 202
        assert response.json() == {
            "message": f"If an account named '{name}' exists, it has been invited to join as reviewer; "
            "it becomes a member once it accepts.",
            "invited": True,
        }
    missing_id = victim.pk + 1000
    for user_id in (victim.pk, missing_id):
        response = _add(founder, project_id, user=user_id)
        assert response.status_code == 202
        assert response.json()["message"] == (
            f"If an account with id {user_id} exists, it has been invited to join as reviewer; "
            "it becomes a member once it accepts."
        )
    assert not Membership.objects.filter(project_id=project_id, user=victim).exists()
    assert list(Invitation.objects.values_list("user__username", "role", "state")) == [
        ("victim", "reviewer", "pending")
    ]
    assert _api(founder).get("/api/v1/members/", {"project": project_id}).json()["results"][0][
        "username"
    ] == ("founder")
    assert len(_api(founder).get("/api/v1/members/", {"project": project_id}).json()["results"]) == 1


def test_the_invited_user_accepts_and_joins_with_the_role(founder_project):
    """The invitee sees the invitation (project name, role, who invited) and accepting makes
    them a reviewer of the project; nobody else can accept it (404)."""
    founder, project_id = founder_project
    victim = UserFactory(username="victim")
    _add(founder, project_id, username="victim")
    listed = _api(victim).get("/api/v1/invitations/").json()["results"]
    assert [(i["project"], i["project_name"], i["role"], i["invited_by"]) for i in listed] == [
        (project_id, "My own project", "reviewer", "founder")
    ]
    assert _api(founder).get("/api/v1/invitations/").json()["results"] == []
    stranger = UserFactory(username="stranger")
    assert _api(stranger).post(f"/api/v1/invitations/{listed[0]['id']}/accept/").status_code == 404
    assert _api(victim).get(f"/api/v1/projects/{project_id}/").status_code == 404  # not yet a member
    accepted = _api(victim).post(f"/api/v1/invitations/{listed[0]['id']}/accept/")
    assert accepted.status_code == 200
    assert (accepted.json()["username"], accepted.json()["role"], accepted.json()["is_active"]) == (
        "victim",
        "reviewer",
        True,
    )
    assert _api(victim).get(f"/api/v1/projects/{project_id}/").json()["role"] == "reviewer"
    assert _api(victim).get("/api/v1/invitations/").json()["results"] == []
    again = _api(victim).post(f"/api/v1/invitations/{listed[0]['id']}/accept/")
    assert again.status_code == 404 and again.json()["message"] == "Invitation not found."


def test_declining_leaves_the_user_out(founder_project):
    founder, project_id = founder_project
    victim = UserFactory(username="victim")
    _add(founder, project_id, username="victim")
    invitation = Invitation.objects.get(user=victim)
    assert _api(victim).post(f"/api/v1/invitations/{invitation.pk}/decline/").status_code == 204
    assert not Membership.objects.filter(project_id=project_id, user=victim).exists()
    assert Invitation.objects.get(pk=invitation.pk).state == "declined"


def test_people_already_in_the_project_just_get_the_role(founder_project):
    """A member the manager can already see in the member list (even deactivated) gets the role
    at once (201), as PATCH would give it."""
    founder, project_id = founder_project
    colleague = UserFactory(username="colleague")
    Membership.objects.create(project_id=project_id, user=colleague, role=Role.ANNOTATOR, is_active=False)
    response = _add(founder, project_id, username="colleague")
    assert response.status_code == 201
    assert (response.json()["role"], response.json()["is_active"]) == ("reviewer", True)


def test_staff_managers_add_directly_and_are_told_about_unknown_accounts(founder_project):
    founder, project_id = founder_project
    founder.is_staff = True
    founder.save(update_fields=["is_staff"])
    UserFactory(username="victim")
    added = _add(founder, project_id, username="victim")
    assert added.status_code == 201 and added.json()["username"] == "victim"
    unknown = _add(founder, project_id, username="nobody")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"username": ["There is no user 'nobody'."]}


def test_assigning_cannot_probe_accounts_either():
    """Assigning or reassigning to an account outside the project names only the id, the same for
    an existing non-member and an id nobody has (no "There is no user", no username)."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    document = DocumentFactory(project=project, text="Some text to assign.")
    outsider = UserFactory(username="secretname")
    for user_id in (outsider.pk, outsider.pk + 1000):
        response = _api(manager).post(
            "/api/v1/assignments/", {"document": document.pk, "annotator": user_id}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "annotator": [f"User {user_id} is not a member of this project."]
        }
        bulk = _api(manager).post(
            f"/api/v1/projects/{project.pk}/assignments/bulk/",
            {"annotators": [user_id], "overlap": 1},
            format="json",
        )
        assert bulk.status_code == 400, bulk.content
        assert bulk.json()["errors"] == {"annotators": [f"User {user_id} is not a member of this project."]}


def test_invitations_are_answered_on_the_project_list_page(founder_project):
    """The project list shows the invitation with Accept and Decline; Accept opens the project."""
    founder, project_id = founder_project
    victim = UserFactory(username="victim")
    _add(founder, project_id, username="victim")
    invitation = Invitation.objects.get(user=victim)
    client = Client()
    client.force_login(victim)
    html = client.get("/").content.decode()
    assert "My own project</strong> as reviewer, from founder" in html
    assert f'action="/invitations/{invitation.pk}/accept/"' in html
    assert f'action="/invitations/{invitation.pk}/decline/"' in html
    other = Client()
    other.force_login(UserFactory(username="stranger"))
    assert other.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    response = client.post(f"/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project_id}/"
    assert Membership.objects.get(project_id=project_id, user=victim).role == "reviewer"
    assert "You joined My own project as reviewer." in client.get(response["Location"]).content.decode()
