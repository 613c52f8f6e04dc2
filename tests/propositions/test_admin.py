"""The propositions back office: scoped to managed projects; undo and adjudication go through the services."""

from __future__ import annotations

import pytest

from annotator.annotations.models import ReviewStatus
from annotator.projects.models import Role
from annotator.propositions.models import Proposition, PropositionChange, PropositionLink
from annotator.propositions.services import proposition_create
from tests.clients import staff_client
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    project = ProjectFactory()
    manager = member(project, Role.MANAGER, username="boss")
    annotator = member(project, Role.ANNOTATOR, username="ann")
    span = AnnotationFactory(document=DocumentFactory(project=project), annotator=annotator, start=0, end=8)
    proposition = proposition_create(project=project, text="Mine <b>only</b>", user=annotator, spans=[span])
    other = ProjectFactory()
    outsider = member(other, Role.MANAGER, username="othermgr")
    proposition_create(project=other, text="Theirs", user=outsider)
    return {
        "project": project,
        "manager": manager,
        "annotator": annotator,
        "outsider": outsider,
        "p": proposition,
    }


def test_pages_list_only_the_managed_projects_rows(scene):
    client = staff_client(scene["manager"])
    for url in ("/admin/propositions/proposition/", "/admin/propositions/propositionlink/",
                "/admin/propositions/evidenceprovenance/", "/admin/propositions/propositionchange/",
                f"/admin/propositions/proposition/{scene['p'].pk}/history/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get("/admin/propositions/proposition/").content.decode()
    assert "Mine &lt;b&gt;only&lt;/b&gt;" in page and "Theirs" not in page
    assert (
        "Mine" not in staff_client(scene["outsider"]).get("/admin/propositions/proposition/").content.decode()
    )
    assert staff_client(scene["annotator"]).get("/admin/propositions/proposition/").status_code == 403


def test_undo_and_reject_actions_call_the_services(scene):
    client = staff_client(scene["manager"])
    link = PropositionLink.objects.get()
    client.post("/admin/propositions/propositionlink/", {"action": "reject_links", "_selected_action": [link.pk],
                                                         "apply": "1", "reason": "Other claim"}, follow=True)  # fmt: skip
    link.refresh_from_db()
    assert (link.status, link.status_reason) == (ReviewStatus.REJECTED, "Other claim")
    change = PropositionChange.objects.get(project=scene["project"])
    response = client.post("/admin/propositions/propositionchange/",
                           {"action": "undo_changes", "_selected_action": [change.pk]}, follow=True)  # fmt: skip
    assert "Undone 1 item(s)." in response.content.decode()
    assert not Proposition.objects.filter(pk=scene["p"].pk).exists()
