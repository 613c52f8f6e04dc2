"""The back office: managers see their projects only; bulk actions post through the changelist."""

from annotator.annotations.models import Annotation, Layer
from annotator.projects.models import Role
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.models import Assignment
from tests.clients import staff_client
from tests.factories import ProjectFactory, member


def changelist_action(client, url, action, ids, **extra):
    return client.post(
        url, {"action": action, "_selected_action": [str(i) for i in ids], **extra}, follow=True
    )


def test_pages_scoped_to_managed_projects(scene):
    """A staff manager sees the pages and only their project's rows; a staff reviewer is refused."""
    other = ProjectFactory()
    outsider_manager = member(other, Role.MANAGER, username="othermgr")
    client = staff_client(scene.manager)
    for url in (
        "/admin/reviews/assignment/",
        "/admin/reviews/reviewqueueitem/",
        "/admin/annotations/annotation/",
        "/admin/annotations/relation/",
        "/admin/documents/document/",
        "/admin/projects/project/",
        "/admin/projects/membership/",
        "/admin/projects/label/",
        "/admin/reviews/agreement/",
        f"/admin/reviews/assignment/{scene.a1.pk}/history/",
    ):
        assert client.get(url).status_code == 200, url
    assert "ann1" in client.get("/admin/reviews/assignment/").content.decode()
    assert "ann1" not in staff_client(outsider_manager).get("/admin/reviews/assignment/").content.decode()
    assert staff_client(scene.reviewer).get("/admin/reviews/assignment/").status_code == 403
    searched = client.get("/admin/annotations/annotation/", {"q": "mat"}).content.decode()
    assert "the mat" in searched and "today" not in searched


def test_approve_action_and_its_failures(scene):
    """Approving twice reports the service's message for the item that is no longer submitted."""
    client = staff_client(scene.manager)
    url = "/admin/reviews/reviewqueueitem/"
    response = changelist_action(client, url, "approve", [scene.a1.pk])
    assert "Approved 1 item(s)." in response.content.decode()
    assert Assignment.objects.get(pk=scene.a1.pk).state == "approved"
    response = changelist_action(client, "/admin/reviews/assignment/", "approve", [scene.a1.pk, scene.a2.pk])
    html = response.content.decode()
    assert "Approved 1 item(s)." in html
    assert f"Not approved #{scene.a1.pk}: Cannot approve work that is approved; it must be submitted." in html


def test_request_changes_asks_for_a_reason(scene):
    client = staff_client(scene.manager)
    url = "/admin/reviews/assignment/"
    form = changelist_action(client, url, "request_changes", [scene.a1.pk])
    assert 'name="reason"' in form.content.decode()
    changelist_action(
        client, url, "request_changes", [scene.a1.pk], apply="Request changes", reason="Tighten EVIDENCE."
    )
    a1 = Assignment.objects.get(pk=scene.a1.pk)
    assert (a1.state, a1.reason, a1.reviewed_by) == ("changes_requested", "Tighten EVIDENCE.", scene.manager)


def test_reassign_action_keeps_the_layer(scene):
    ann3 = member(scene.project, Role.ANNOTATOR, username="ann3")
    client = staff_client(scene.manager)
    changelist_action(
        client, "/admin/reviews/assignment/", "reassign", [scene.a1.pk], apply="Reassign", annotator=ann3.pk
    )
    assert Assignment.objects.filter(document=scene.document, annotator=ann3).exists()
    assert not Assignment.objects.filter(pk=scene.a1.pk).exists()
    assert Annotation.objects.filter(document=scene.document, annotator=scene.ann1).count() == 2


def test_span_actions_and_round_robin(scene):
    client = staff_client(scene.manager)
    hedge = Annotation.objects.get(annotator=scene.ann2, start=23)
    changelist_action(client, "/admin/annotations/annotation/", "to_gold", [hedge.pk])
    assert Annotation.objects.filter(layer=Layer.GOLD, annotator=scene.manager, start=23).exists()
    changelist_action(
        client, "/admin/annotations/annotation/", "reject", [hedge.pk], apply="Reject", reason="Not a hedge."
    )
    hedge.refresh_from_db()
    assert (hedge.status, hedge.status_reason) == ("rejected", "Not a hedge.")
    Assignment.objects.all().delete()
    changelist_action(
        client,
        "/admin/documents/document/",
        "assign_round_robin",
        [scene.document.pk],
        apply="Assign",
        annotators=[scene.ann1.pk, scene.ann2.pk],
        overlap=1,
    )
    assert list(Assignment.objects.values_list("annotator__username", flat=True)) == ["ann1"]
    agreement_document_compute(document=scene.document)
    assert "—" in client.get("/admin/documents/document/").content.decode()


def test_change_pages_open_for_own_projects_only(scene):
    """A manager edits their project (memberships and labels inline) and documents; another
    project's rows are not reachable (the admin redirects with "doesn't exist")."""
    other = ProjectFactory()
    client = staff_client(scene.manager)
    assert client.get(f"/admin/projects/project/{scene.project.pk}/change/").status_code == 200
    assert client.get(f"/admin/documents/document/{scene.document.pk}/change/").status_code == 200
    assert (
        client.get(f"/admin/annotations/annotation/{Annotation.objects.first().pk}/change/").status_code
        == 200
    )
    response = client.get(f"/admin/projects/project/{other.pk}/change/")
    assert response.status_code == 302
    html = client.get(f"/admin/projects/project/{scene.project.pk}/change/").content.decode()
    assert "memberships-0-role" in html and "labels-0-code" in html
