"""Cursor pagination on every list of API v1: page_size=1 walks each list once, in id order."""

import pytest
from rest_framework.test import APIClient

from annotator.jobs.services import job_create
from annotator.projects.models import Invitation, Role
from api.v1 import router
from tests.factories import (
    AnnotationFactory,
    AssignmentFactory,
    AuthorFactory,
    DocumentFactory,
    MembershipFactory,
    ProjectFactory,
    RelationFactory,
    SourceFactory,
    SpeakerFactory,
    member,
)

pytestmark = pytest.mark.django_db

LISTS = {
    "project": "/api/v1/projects/",
    "membership": "/api/v1/members/",
    "document": "/api/v1/documents/",
    "label": "/api/v1/labels/",
    "subtype": "/api/v1/subtypes/",
    "annotation": "/api/v1/annotations/",
    "relation": "/api/v1/relations/",
    "speaker": "/api/v1/speakers/",
    "source": "/api/v1/sources/",
    "author": "/api/v1/authors/",
    "assignment": "/api/v1/assignments/",
    "job": "/api/v1/jobs/",
    "invitation": "/api/v1/invitations/",
}
# Lists of other areas that return one table, not pages: the ranked scores (docs/credibility.md)
# and agreement rows, one per label and one overall (docs/review.md).
UNPAGED = {"source-score", "document-agreement", "project-agreement"}


@pytest.fixture
def manager(team):
    """The team's manager, who sees at least three rows of every list (the default labels have subtypes)."""
    for _ in range(2):
        MembershipFactory(project=ProjectFactory(), user=team.manager, role=Role.MANAGER)
    member(ProjectFactory(), Role.MANAGER)  # not the manager's project: never listed
    other_doc = DocumentFactory(project=team.project, text="Second text, with a claim.")
    DocumentFactory(project=team.project, text="Third text.")
    spans = [
        AnnotationFactory(document=team.document, annotator=team.annotator, start=i, end=i + 4)
        for i in range(3)
    ]
    for source in spans:
        RelationFactory(source=source, target=spans[0] if source != spans[0] else spans[1])
    for person in (team.annotator, team.other, team.reviewer):
        AssignmentFactory(document=other_doc, annotator=person)
    for _ in range(3):
        SpeakerFactory(), SourceFactory(), AuthorFactory()
        job_create(kind="export", project=team.project, created_by=team.annotator)
        Invitation.objects.create(project=ProjectFactory(), user=team.manager, role=Role.REVIEWER)
    return team.manager


def test_every_router_list_is_tested_here():
    """A new list endpoint must be added to LISTS (or, if it is one ranked table, to UNPAGED)."""
    listed = {basename for _, viewset, basename in router.registry if hasattr(viewset, "list")}
    assert listed == set(LISTS) | UNPAGED


@pytest.mark.parametrize("name", sorted(LISTS))
def test_page_size_one_walks_the_whole_list_once(manager, name):
    """Pages of one row, linked by `next` cursors, give every row of the full list once, in id order,
    and `previous` leads back."""
    client = APIClient()
    client.force_authenticate(manager)
    everything = client.get(f"{LISTS[name]}?page_size=1000").json()
    assert set(everything) == {"next", "previous", "results"} and everything["next"] is None
    expected = [row["id"] for row in everything["results"]]
    assert len(expected) >= 3, expected
    seen, url, pages = [], f"{LISTS[name]}?page_size=1", []
    while url:
        page = client.get(url).json()
        assert len(page["results"]) == 1
        assert "cursor=" in (page["next"] or "cursor=")
        seen.append(page["results"][0]["id"])
        pages.append(page)
        url = page["next"]
    assert seen == expected == sorted(expected)
    back = client.get(pages[-1]["previous"]).json()
    assert [row["id"] for row in back["results"]] == [expected[-2]]
