import pytest
from rest_framework.test import APIClient

from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, member


@pytest.fixture
def client_for():
    """An API client logged in as ``user`` (session auth), or anonymous for None."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def team(db):
    """One project and document with an annotator, a second annotator, a reviewer, a manager and an outsider."""

    class Team:
        project = ProjectFactory()
        document = DocumentFactory(project=project, text="Taxes rose 5%. Experts say growth will follow.")
        annotator = member(project, Role.ANNOTATOR, username="ann")
        other = member(project, Role.ANNOTATOR, username="other")
        reviewer = member(project, Role.REVIEWER, username="rev")
        manager = member(project, Role.MANAGER, username="boss")
        outsider = UserFactory(username="outsider")

    return Team


@pytest.fixture(params=["one_statement", "general"])
def relation_path(request, monkeypatch):
    """Run a relation test through the one-statement write (relation_sql.py) and through the
    general path alone (the statement disabled), so both answer every case the same way."""
    if request.param == "general":
        monkeypatch.setattr("api.relations.relation_create_checked", lambda **kwargs: None)
    return request.param
