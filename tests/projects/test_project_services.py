"""Creating projects: slugs, default taxonomy, the creator's role, and what is refused."""

import re

import pytest
from django.db import IntegrityError, transaction

from annotator.core.errors import ApplicationError
from annotator.projects.models import Label, Membership, Project, Role
from annotator.projects.services import project_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creator_becomes_manager_and_gets_the_default_labels():
    user = UserFactory()
    project = project_create(name="  Gulf coverage 2026 ", created_by=user)
    assert (project.name, project.slug) == ("Gulf coverage 2026", "gulf-coverage-2026")
    assert Membership.objects.get(project=project, user=user).role == Role.MANAGER
    codes = list(Label.objects.filter(project=project).order_by("position").values_list("code", flat=True))
    assert codes == ["CLAIM", "EVIDENCE", "OPINION", "HEDGE"]


@pytest.mark.parametrize("name", ["!!!", "Проект", "عربی"])
def test_a_name_that_slugifies_to_nothing_still_gets_a_slug(name):
    project = project_create(name=name)
    assert re.fullmatch(r"project-[0-9a-f]{8}", project.slug)


def test_refuses_an_empty_name_a_bad_slug_and_a_taken_slug():
    with pytest.raises(ApplicationError) as empty:
        project_create(name="   ")
    assert empty.value.errors == {"name": ["A project needs a name."]}
    with pytest.raises(ApplicationError) as bad:
        project_create(name="Ok", slug="has space")
    assert bad.value.errors == {"slug": ["Slug 'has space' may hold only letters, digits, '-' and '_'."]}
    project_create(name="First", slug="shared")
    with pytest.raises(ApplicationError) as taken:
        project_create(name="Second", slug="shared")
    assert taken.value.errors == {"slug": ["A project with the slug 'shared' already exists."]}
    assert Project.objects.filter(name="Second").count() == 0


def test_database_refuses_an_empty_slug_or_name():
    with pytest.raises(IntegrityError, match="project_slug_not_empty"), transaction.atomic():
        Project.objects.create(name="x", slug="")
    with pytest.raises(IntegrityError, match="project_name_not_empty"), transaction.atomic():
        Project.objects.create(name="", slug="x")
