"""The one access module (annotator/access.py) and the DRF permission that wraps it."""

import pytest
from rest_framework.test import APIRequestFactory

from annotator.access import access_document, access_project, access_project_row
from annotator.core.errors import NotFound, PermissionDenied
from annotator.projects.models import Role
from annotator.reviews.models import Assignment
from api.permissions import IsProjectMember
from tests.factories import AssignmentFactory, DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db


class _View:
    write_role = Role.MANAGER


def _allowed(user, method, obj):
    request = getattr(APIRequestFactory(), method)("/")
    request.user = user
    return IsProjectMember().has_object_permission(request, _View(), obj)


def test_is_project_member_answers_like_the_module():
    """Members read; writes need the view's role (403 naming it); non-members get 404."""
    document = DocumentFactory()
    assignment = AssignmentFactory(document=document)
    annotator = member(document.project, Role.ANNOTATOR)
    manager = member(document.project, Role.MANAGER)
    outsider = member(ProjectFactory(), Role.MANAGER)
    assert _allowed(annotator, "get", assignment) is True
    assert _allowed(manager, "post", assignment) is True
    with pytest.raises(PermissionDenied) as denied:
        _allowed(annotator, "post", assignment)
    assert denied.value.message == "This needs the manager role in the project; you are annotator."
    with pytest.raises(NotFound) as hidden:
        _allowed(outsider, "get", assignment)
    assert hidden.value.message == "Assignment not found."


@pytest.mark.parametrize("bad", ["abc", "0", "-3", str(2**63), None])
def test_ids_that_cannot_name_a_row_read_as_missing(bad):
    """Bad ids are a 404 like a missing row, never a 500 from the database."""
    user = member(ProjectFactory(), Role.MANAGER)
    for fetch, message in (
        (lambda: access_project(user, bad), "Project not found."),
        (lambda: access_document(user, bad), "Document not found."),
        (lambda: access_project_row(Assignment, user, bad, noun="Assignment"), "Assignment not found."),
    ):
        with pytest.raises(NotFound) as missing:
            fetch()
        assert missing.value.message == message
