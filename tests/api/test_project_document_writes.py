"""PATCH and DELETE of projects, DELETE of documents: managers only, and the history keeps what went."""

import pytest

from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.projects.models import Label, Project
from tests.factories import AnnotationFactory, RelationFactory

pytestmark = pytest.mark.django_db


def test_manager_renames_a_project(team, client_for):
    """PATCH changes name and description, keeps the slug, and is recorded in the project's history."""
    slug = team.project.slug
    response = client_for(team.manager).patch(
        f"/api/v1/projects/{team.project.pk}/",
        {"name": "  Renamed ", "description": "Now with notes."},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["slug"], response.json()["role"]) == (
        "Renamed",
        slug,
        "manager",
    )
    latest = team.project.history.order_by("-history_id").first()
    assert (latest.history_type, latest.name, latest.description) == ("~", "Renamed", "Now with notes.")
    empty = client_for(team.manager).patch(
        f"/api/v1/projects/{team.project.pk}/", {"name": " "}, format="json"
    )
    assert (empty.status_code, empty.json()["errors"]) == (400, {"name": ["This field may not be blank."]})


def test_deleting_a_document_takes_its_spans_and_records_them(team, client_for):
    """DELETE removes the document, its spans and relations; each span gets a '-' history row."""
    claim = AnnotationFactory(document=team.document, annotator=team.annotator, start=15, end=45)
    evidence = AnnotationFactory(
        document=team.document, annotator=team.annotator, start=0, end=13, label_code="EVIDENCE"
    )
    RelationFactory(source=evidence, target=claim)
    assert client_for(team.annotator).delete(f"/api/v1/documents/{team.document.pk}/").status_code == 403
    assert client_for(team.outsider).delete(f"/api/v1/documents/{team.document.pk}/").status_code == 404
    response = client_for(team.manager).delete(f"/api/v1/documents/{team.document.pk}/")
    assert response.status_code == 204
    assert not Document.objects.filter(pk=team.document.pk).exists()
    assert (Annotation.objects.count(), Relation.objects.count()) == (0, 0)
    deleted = Annotation.history.filter(history_type="-").values_list("id", flat=True)
    assert sorted(deleted) == sorted([claim.pk, evidence.pk])


def test_deleting_a_project_takes_everything_in_it(team, client_for):
    """DELETE removes the project with documents, spans and labels (labels protect spans: these go first)."""
    AnnotationFactory(document=team.document, annotator=team.annotator, start=15, end=45)
    assert client_for(team.reviewer).delete(f"/api/v1/projects/{team.project.pk}/").status_code == 403
    response = client_for(team.manager).delete(f"/api/v1/projects/{team.project.pk}/")
    assert response.status_code == 204
    assert not Project.objects.filter(pk=team.project.pk).exists()
    assert (
        Document.objects.count(),
        Annotation.objects.count(),
        Label.objects.filter(project_id=team.project.pk).count(),
    ) == (0, 0, 0)
    assert Project.history.filter(id=team.project.pk, history_type="-").exists()
    assert client_for(team.manager).get(f"/api/v1/projects/{team.project.pk}/").status_code == 404


def test_reviewers_see_the_project_jobs(team, client_for):
    """A reviewer lists the jobs of their project (not only their own); an outsider does not."""
    from annotator.jobs.services import job_create

    job = job_create(kind="export", project=team.project, created_by=team.annotator)
    assert [j["id"] for j in client_for(team.reviewer).get("/api/v1/jobs/").json()["results"]] == [job.pk]
    assert client_for(team.outsider).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
