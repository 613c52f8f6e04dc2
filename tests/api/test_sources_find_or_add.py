"""POST sources/ and authors/: a manager names an outlet or author; an existing one (any case,
any spacing) answers 200 with its id, a new one 201."""

import pytest

from annotator.projects.models import Role
from annotator.sources.models import Author, Source
from tests.clients import api_client
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return member(ProjectFactory(), Role.MANAGER)


def test_an_outlet_is_added_once_and_found_by_name(manager):
    """ "Daily Example" is added (201); "  daily example " finds it (200) and fills its empty domain."""
    client = api_client(manager)
    added = client.post("/api/v1/sources/", {"name": "Daily Example"}, format="json")
    assert (added.status_code, added.json()["name"], added.json()["domain"]) == (201, "Daily Example", "")
    found = client.post(
        "/api/v1/sources/", {"name": "  daily example ", "domain": "Daily.Example"}, format="json"
    )
    assert (found.status_code, found.json()["id"]) == (200, added.json()["id"])
    assert Source.objects.get().domain == "daily.example"


def test_an_author_is_added_once_and_found_by_name(manager):
    """ "Ann  Writer" is stored as "Ann Writer" (201); "ann writer" finds it (200)."""
    client = api_client(manager)
    added = client.post("/api/v1/authors/", {"name": "Ann  Writer"}, format="json")
    assert (added.status_code, added.json()["name"]) == (201, "Ann Writer")
    found = client.post("/api/v1/authors/", {"name": "ann writer"}, format="json")
    assert (found.status_code, found.json()["id"]) == (200, added.json()["id"])
    assert Author.objects.count() == 1
