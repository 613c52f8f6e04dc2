"""Every admin view is scoped to the projects the staff user manages (issue 12, item 1).

A staff manager of project 1 tries each admin URL of project 2's objects:
change, history, one history version, the "Revert" POST of that version,
delete, and the list filters. None shows or changes anything of project 2;
superusers see everything. In their own project, read-only pages (spans,
relations, assignments) cannot be changed through a revert either.
"""

import pytest
from django.test import Client

from annotator.annotations.models import Annotation
from annotator.credibility.services import Targets, scores_recompute
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Role
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.models import Assignment
from tests.clients import staff_client
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, UserFactory, label, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Project 1 managed by ``boss`` (staff); project 2 ("Secret project") with a document, a span,
    an assignment, a membership and a label, each with at least two history versions."""

    class World:
        mine = ProjectFactory(name="Project One")
        theirs = ProjectFactory(name="Secret project")
        boss = member(mine, Role.MANAGER, username="boss")
        their_manager = member(theirs, Role.MANAGER, username="theirboss")
        their_annotator = member(theirs, Role.ANNOTATOR, username="theirann")
        document = DocumentFactory(project=theirs, text="Secret text about taxes.", title="Secret title")
        my_document = DocumentFactory(project=mine, text="Open text about taxes.", title="My title")

    w = World()
    w.document.title = "Secret title, edited"
    w.document.save()
    w.span = AnnotationFactory(document=w.document, annotator=w.their_annotator, start=0, end=6)
    Annotation.objects.filter(pk=w.span.pk).update(note="")  # no history row
    w.span.note = "first note"
    w.span.save()
    w.my_span = AnnotationFactory(document=w.my_document, annotator=w.boss, start=0, end=4)
    w.my_span.note = "my note"
    w.my_span.save()
    w.assignment = Assignment.objects.create(
        project=w.theirs, document=w.document, annotator=w.their_annotator
    )
    w.assignment.reason = "a reason"
    w.assignment.save()
    w.membership = Membership.objects.get(project=w.theirs, user=w.their_annotator)
    w.membership.role = Role.REVIEWER
    w.membership.save()
    w.label = label(w.theirs, "CLAIM")
    w.label.name = "Assertion"
    w.label.save()
    w.my_label = label(w.mine, "CLAIM")
    w.my_label.name = "Assertion"
    w.my_label.save()
    agreement_document_compute(document=w.document)
    scores_recompute(project=w.theirs, targets=Targets(everything=True))
    return w


def _oldest_version(obj):
    return obj.history.order_by("history_id").first().history_id


def _objects(w):
    """(admin path, object, revert POST data that changes it if allowed)."""
    return [
        (
            "documents/document",
            w.document,
            {"title": "Retitled by an outsider", "url": "", "published_on": "", "source": "", "language": ""},
        ),
        ("annotations/annotation", w.span, {"note": "changed by an outsider"}),
        ("reviews/assignment", w.assignment, {"reason": "changed by an outsider"}),
        # Moving another project's membership into project 1.
        (
            "projects/membership",
            w.membership,
            {"project": w.mine.pk, "user": w.their_annotator.pk, "role": "manager", "is_active": "on"},
        ),
        (
            "projects/label",
            w.label,
            {
                "name": "Renamed",
                "kind": "opinion",
                "color": "#123456",
                "shortcut": "Q",
                "position": 0,
                "description": "",
                "is_active": "on",
            },
        ),  # fmt: skip
    ]


def _state(obj):
    fresh = type(obj).objects.get(pk=obj.pk)
    return {
        f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields if f.attname != "updated_at"
    }


@pytest.mark.parametrize(
    "index", range(5), ids=["document", "annotation", "assignment", "membership", "label"]
)
def test_other_projects_objects_are_out_of_reach(world, index):
    """history, history/<version>/ (GET and the Revert POST), change and delete of a project-2
    object: 404 for the history pages, Django's "does not exist" redirect for the change page,
    403 for delete (never offered in the back office), and the object exactly as it was."""
    path, obj, data = _objects(world)[index]
    client = staff_client(world.boss)
    before = _state(obj)
    version = _oldest_version(obj)
    base = f"/admin/{path}/{obj.pk}"
    assert client.get(f"{base}/history/").status_code == 404
    assert client.get(f"{base}/history/{version}/").status_code == 404
    assert client.post(f"{base}/history/{version}/", data).status_code == 404
    response = client.get(f"{base}/change/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(f"{base}/change/", data).status_code in (302, 403)  # 403: read-only pages
    assert client.get(f"{base}/delete/").status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert _state(obj) == before
    html = client.get(f"{base}/history/{version}/", follow=True).content.decode()
    assert "Secret" not in html


def test_superusers_see_every_project(world):
    """A superuser gets 200 for project 2's history pages."""
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for path, obj, _ in _objects(world):
        base = f"/admin/{path}/{obj.pk}"
        assert client.get(f"{base}/history/").status_code == 200, path
        assert client.get(f"{base}/history/{_oldest_version(obj)}/").status_code == 200, path


def test_own_project_history_and_revert_still_work(world):
    """In project 1 the manager reads the history and reverts their label's name; a span's revert
    (spans change only through the review services) is refused with 403 and changes nothing."""
    client = staff_client(world.boss)
    base = f"/admin/projects/label/{world.my_label.pk}"
    version = _oldest_version(world.my_label)
    assert client.get(f"{base}/history/").status_code == 200
    assert client.get(f"{base}/history/{version}/").status_code == 200
    data = {"name": "Claim again", "kind": "claim", "color": world.my_label.color, "shortcut": "C",
            "position": world.my_label.position, "description": "", "is_active": "on"}  # fmt: skip
    assert client.post(f"{base}/history/{version}/", data).status_code == 302
    assert Label.objects.get(pk=world.my_label.pk).name == "Claim again"
    span_base = f"/admin/annotations/annotation/{world.my_span.pk}"
    span_version = _oldest_version(world.my_span)
    assert client.get(f"{span_base}/history/{span_version}/").status_code == 200
    assert (
        client.post(f"{span_base}/history/{span_version}/", {"note": "bypassing review"}).status_code == 403
    )
    assert Annotation.objects.get(pk=world.my_span.pk).note == "my note"


def test_a_version_from_my_project_cannot_pull_back_an_object_now_elsewhere(world):
    """A document moved (by a superuser) from project 1 to project 2 keeps project-1 versions in
    its history: reverting to one of them would pull it back, so it is a 404 too."""
    doc = DocumentFactory(project=world.mine, text="A text that moves.", title="Moving")
    doc.title = "Moving, edited"
    doc.save()
    version = _oldest_version(doc)
    Document.objects.filter(pk=doc.pk).update(project=world.theirs)
    client = staff_client(world.boss)
    assert client.get(f"/admin/documents/document/{doc.pk}/history/{version}/").status_code == 404
    assert (
        client.post(f"/admin/documents/document/{doc.pk}/history/{version}/", {"title": "x"}).status_code
        == 404
    )
    assert Document.objects.get(pk=doc.pk).project_id == world.theirs.pk


@pytest.mark.parametrize(
    "url",
    [
        "/admin/credibility/sourcescore/",
        "/admin/credibility/sourcescoresnapshot/",
        "/admin/documents/document/",
        "/admin/annotations/annotation/",
        "/admin/annotations/relation/",
        "/admin/reviews/assignment/",
        "/admin/reviews/reviewqueueitem/",
        "/admin/reviews/agreement/",
        "/admin/projects/membership/",
        "/admin/projects/label/",
        "/admin/projects/project/",
    ],
)
def test_list_pages_and_filters_name_no_other_project(world, url):
    """Each list page (with its "By project" and other filters) never names project 2 or its
    people, while project 1 is listed where it has rows."""
    client = staff_client(world.boss)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("Secret project", "Secret title", "theirann", "theirboss"):
        assert secret not in html, secret


def test_other_projects_project_page_is_out_of_reach(world):
    """Project 2's own admin pages (change, history, delete) give project 1's manager nothing:
    Django's "does not exist" redirect for change and history, 403 for delete, nothing saved."""
    client = staff_client(world.boss)
    base = f"/admin/projects/project/{world.theirs.pk}"
    for url in (f"{base}/change/", f"{base}/history/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    client.post(f"{base}/change/", {"name": "Taken over", "slug": world.theirs.slug, "score_layer": "gold"})
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    world.theirs.refresh_from_db()
    assert world.theirs.name == "Secret project"
    assert client.get(f"/admin/projects/project/{world.mine.pk}/change/").status_code == 200
