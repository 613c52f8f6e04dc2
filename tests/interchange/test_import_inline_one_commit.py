"""A small upload is one transaction and one commit: the documents, the finished import job,
the credibility marks and the hedges job row; only the task sends (and the sent hedges job's
task id) follow the commit. The statement count is pinned so it cannot grow unnoticed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

import annotator.credibility.tasks as credibility_tasks
import annotator.interchange.import_jobs as import_jobs
import annotator.jobs.services as job_services
from annotator.credibility.models import ScoreDirty
from annotator.documents.models import Document
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import NOT_QUEUED
from annotator.projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db(transaction=True)

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

# The five seed files, measured on this branch: 4 reads before the transaction (access: the
# membership and the project; the taxonomy: labels and subtypes), 12 statements in it, and
# the hedges job's task id written after the send. Before: 24 statements, 6 commits.
STATEMENTS = 17
IN_TRANSACTION = 12


@pytest.fixture
def sends(monkeypatch, settings, tmp_path):
    """A reachable broker that records what was sent (nothing runs), hedges on import."""
    settings.ASSAY_HEDGES_ON_IMPORT = True
    settings.MEDIA_ROOT = tmp_path
    sent: list[str] = []

    def send(task, *, kwargs, countdown=None):
        sent.append(task.name)
        return f"task-{len(sent)}"

    monkeypatch.setattr(job_services, "task_send", send)
    monkeypatch.setattr(credibility_tasks, "task_send", send)
    return sent


@pytest.fixture
def commits(monkeypatch):
    counted: list[bool] = []
    real = connection._commit

    def commit():
        counted.append(True)
        return real()

    monkeypatch.setattr(connection, "_commit", commit)
    return counted


def _upload(project, user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    payload = {"file": [SimpleUploadedFile(path.name, path.read_bytes()) for path in SEEDS]}
    return client.post(f"/api/v1/projects/{project.pk}/imports/", payload, format="multipart")


def _project(slug):
    """A project whose setup marks were recomputed (no marks, no queued recompute)."""
    project = ProjectFactory(slug=slug)
    manager = member(project, Role.MANAGER, username=f"{slug}-boss")
    ScoreDirty.objects.filter(project=project).delete()
    return project, manager


def test_seed_upload_is_one_commit_and_17_statements(sends, commits):
    """201 with the finished job; the documents, the marks and the queued hedges job exist."""
    _upload(*_project("warm"))  # the first request of a process reads content types etc.
    project, manager = _project("seeds")
    sends.clear()
    statements: list[tuple[bool, str]] = []

    def record(execute, sql, params, many, context):
        statements.append((connection.in_atomic_block, sql.split(None, 1)[0].upper()))
        return execute(sql, params, many, context)

    commits.clear()
    with connection.execute_wrapper(record):
        response = _upload(project, manager)
    assert response.status_code == 201, response.content
    assert (response.json()["state"], response.json()["counts"]["documents"]) == ("succeeded", 5)
    assert len(commits) == 1  # the import's transaction; everything else is a read or the send
    assert (len(statements), sum(inside for inside, _ in statements)) == (STATEMENTS, IN_TRANSACTION)
    outside_writes = [verb for inside, verb in statements if not inside and verb != "SELECT"]
    assert outside_writes == ["UPDATE"]  # the sent hedges job's task id
    assert sends == ["hedges.hedge_documents_suggest", "credibility.scores_recompute_dirty"]
    assert Document.objects.filter(project=project).count() == 5
    assert Document.history.filter(project_id=project.pk, history_type="+").count() == 5
    hedges = Job.objects.get(project=project, kind=JobKind.HEDGES)
    assert (hedges.state, hedges.message, hedges.celery_task_id) == (JobState.PENDING, "", "task-1")
    assert sorted(hedges.params["document_ids"]) == sorted(Document.objects.filter(project=project)
                                                           .values_list("pk", flat=True))  # fmt: skip
    assert set(ScoreDirty.objects.filter(project=project).values_list("kind", "entity_id")) == {
        ("project", 0), ("scheduled", 0),
    }  # fmt: skip


def test_a_failure_after_the_documents_leaves_nothing(sends, monkeypatch):
    """The finished job cannot be stored: no document, no job, no mark, nothing sent."""
    project, manager = _project("fails")
    sends.clear()

    def broken(**kwargs):
        raise RuntimeError("the job row could not be written")

    monkeypatch.setattr(import_jobs, "job_create_finished", broken)
    response = _upload(project, manager)
    assert response.status_code == 500
    assert Document.objects.filter(project=project).count() == 0
    assert Job.objects.filter(project=project).count() == 0
    assert ScoreDirty.objects.filter(project=project).count() == 0
    assert sends == []


def test_a_broker_outage_leaves_the_hedges_job_pending_saying_so(sends, monkeypatch):
    """The import is committed and answered; the hedges job waits for the reaper, saying why;
    the marks stay, without a queued-task row that would block the next change's task."""
    project, manager = _project("outage")
    monkeypatch.setattr(job_services, "task_send", lambda task, **kwargs: None)
    monkeypatch.setattr(credibility_tasks, "task_send", lambda task, **kwargs: None)
    response = _upload(project, manager)
    assert response.status_code == 201, response.content
    assert Document.objects.filter(project=project).count() == 5
    hedges = Job.objects.get(project=project, kind=JobKind.HEDGES)
    assert (hedges.state, hedges.message, hedges.celery_task_id) == (JobState.PENDING, NOT_QUEUED, "")
    assert set(ScoreDirty.objects.filter(project=project).values_list("kind", flat=True)) == {"project"}
