"""Every job ends (succeeded, failed with its error, or cancelled) or is run again: broker
refusals, lost database connections, dead workers, long names, cancel and retry through the API."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from rest_framework.test import APIClient

from annotator import celery_app
from annotator.credibility.models import ScoreDirty
from annotator.documents.models import Document
from annotator.interchange import import_run
from annotator.interchange.export_run import EXPORT_NAME_LIMIT
from annotator.interchange.imports import import_documents
from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import NOT_QUEUED, job_create, job_enqueue, jobs_reap
from annotator.jobs.tasks import job_ping
from annotator.projects.models import Role
from tests.conftest import _reset_producer_pool
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, label, member


@pytest.fixture(autouse=True)
def _queued_imports(settings):
    """These tests follow an import through its job: no upload is small enough to run inline."""
    settings.ASSAY_IMPORT_INLINE_BYTES = 0


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def team(db, media):
    class Team:
        project = ProjectFactory(name="Desk", slug="desk")
        manager = member(project, Role.MANAGER, username="boss")
        annotator = member(project, Role.ANNOTATOR, username="ann")
        outsider = UserFactory(username="stranger")
        document = DocumentFactory(project=project, text="Taxes rose 5%. Experts say growth will follow.")

    return Team


def _client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.fixture
def broker_down():
    """Tasks go to a broker nobody listens on (port 1): every send fails after its retries."""
    # broker_write_url: CELERY_BROKER_URL in the environment overrides broker_url itself.
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_write_url")}
    celery_app.conf.update(task_always_eager=False, broker_write_url="redis://127.0.0.1:1/0")
    _reset_producer_pool(celery_app)
    yield
    celery_app.conf.update(**saved)
    _reset_producer_pool(celery_app)


def test_export_with_the_broker_down_answers_202_and_says_it_is_not_queued(
    team, broker_down, django_capture_on_commit_callbacks
):
    """The job is committed and answered 202; it stays pending saying why, and the reaper
    queues it once the broker is back (here: eager again), and it succeeds."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(team.manager).post(f"/api/v1/projects/{team.project.pk}/export/?format=native")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.state, job.message, job.celery_task_id) == (JobState.PENDING, NOT_QUEUED, "")
    assert _client(team.manager).get(f"/api/v1/jobs/{job.pk}/").json()["message"] == NOT_QUEUED

    celery_app.conf.task_always_eager = True  # the broker is back
    assert jobs_reap(now=timezone.now() + timedelta(minutes=1))["queued"] == 1
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.message.startswith("Exported job-")


def test_span_write_with_the_broker_down_is_201_and_leaves_no_debounce_row(
    team, broker_down, django_capture_on_commit_callbacks
):
    """The span commits and answers 201; the failed enqueue removes the queued-task row, so a
    later change queues the recompute again (the dirty marks are kept for it)."""
    body = {"document": team.document.pk, "start": 0, "end": 5, "label": label(team.project, "CLAIM").pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(team.annotator).post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 201, response.content
    kinds = set(ScoreDirty.objects.filter(project=team.project).values_list("kind", flat=True))
    assert kinds == {"document"}


def test_a_lost_queued_task_row_is_taken_over(team, settings):
    """A queued-task row whose task never ran (older than the stale limit) no longer blocks marks."""
    from annotator.credibility.scheduling import scores_mark_dirty

    ScoreDirty.objects.create(project=team.project, kind="scheduled", entity_id=0)
    assert scores_mark_dirty(project_id=team.project.pk, document_ids=[team.document.pk]) is False
    ScoreDirty.objects.filter(kind="scheduled").update(marked_at=timezone.now() - timedelta(minutes=10))
    assert scores_mark_dirty(project_id=team.project.pk, document_ids=[team.document.pk]) is True


def _upload(client, project, data: bytes, django_capture_on_commit_callbacks, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/api/v1/projects/{project.pk}/imports/",
                           {"file": [SimpleUploadedFile("a.jsonl", data)], **fields}, format="multipart")  # fmt: skip


def test_a_lost_database_fails_the_import_keeps_the_upload_and_retry_succeeds(
    team, media, monkeypatch, django_capture_on_commit_callbacks
):
    """OperationalError mid-import: the job fails with the reason (not stuck running), the upload
    stays, and POST /jobs/<id>/retry/ runs it again to success."""
    real = import_run.import_documents

    def lost(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(import_run, "import_documents", lost)
    client = _client(team.manager)
    response = _upload(
        client, team.project, b'{"text": "One."}\n{"text": "Two."}', django_capture_on_commit_callbacks
    )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.FAILED
    assert job.message == (
        "The database connection was lost while the job ran (terminating connection due to administrator "
        "command). Retry the job."
    )
    folder = media / job.params["folder"]
    assert folder.is_dir()

    monkeypatch.setattr(import_run, "import_documents", real)
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert retried.status_code == 202, retried.content
    job.refresh_from_db()
    assert (job.state, job.counts["documents"], job.attempts) == (JobState.SUCCEEDED, 2, 1)
    assert not folder.exists()  # kept until the job succeeded
    again = client.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert again.status_code == 400
    assert again.json()["message"] == (
        f"Job {job.pk} is succeeded; only failed, cancelled or unqueued jobs can be retried."
    )


def test_any_error_in_an_export_fails_the_job_with_its_message(
    team, monkeypatch, django_capture_on_commit_callbacks
):
    from annotator.interchange import export_run

    def broken(**kwargs):
        raise KeyError("exporter vanished")

    monkeypatch.setattr(export_run, "export_file_name", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(team.manager).post(f"/api/v1/projects/{team.project.pk}/export/?format=native")
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.state, job.message) == (JobState.FAILED, "The job failed: KeyError: 'exporter vanished'")


def test_a_long_project_name_exports(team, django_capture_on_commit_callbacks):
    """An 80-character project slug used to overflow the stored file name and leave the job running."""
    team.project.name = "A very long project name " * 5
    team.project.slug = ("a-very-long-project-name-" * 5)[:80]
    team.project.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(team.manager).post(f"/api/v1/projects/{team.project.pk}/export/?format=native")
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED, job.message
    name = Path(job.result_file.name).name
    assert len(name) <= EXPORT_NAME_LIMIT and name.startswith(f"job-{job.pk}-") and name.endswith(".json")
    assert _client(team.manager).get(f"/api/v1/jobs/{job.pk}/download/").status_code == 200


def test_cancel_a_pending_job_and_retry_it(team, broker_down, django_capture_on_commit_callbacks):
    client = _client(team.manager)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(f"/api/v1/projects/{team.project.pk}/export/?format=native").json()["id"]
    assert _client(team.outsider).post(f"/api/v1/jobs/{job_id}/cancel/").status_code == 404
    cancelled = client.post(f"/api/v1/jobs/{job_id}/cancel/")
    assert cancelled.status_code == 200
    assert (cancelled.json()["state"], cancelled.json()["message"]) == ("cancelled", "Cancelled by boss.")
    twice = client.post(f"/api/v1/jobs/{job_id}/cancel/")
    assert (twice.status_code, twice.json()["message"]) == (
        400, f"Job {job_id} already ended (cancelled); nothing to cancel.",
    )  # fmt: skip
    celery_app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"/api/v1/jobs/{job_id}/retry/")
    assert retried.status_code == 202
    assert Job.objects.get(pk=job_id).state == JobState.SUCCEEDED


def test_a_cancelled_job_never_runs(team):
    job = job_create(kind=JobKind.PING, created_by=team.manager)
    Job.objects.filter(pk=job.pk).update(state=JobState.CANCELLED)
    job_ping(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.started_at) == (JobState.CANCELLED, 0, None)


def test_the_reaper_restarts_a_job_whose_worker_died_then_gives_up(team, monkeypatch, settings):
    """Running, no sign of life and on no worker: restarted (it runs and succeeds); after
    ASSAY_JOB_MAX_ATTEMPTS runs it is failed instead, saying why."""
    from annotator.jobs import services

    monkeypatch.setattr(services, "_active_task_ids", lambda: set())
    job = job_create(kind=JobKind.PING, created_by=team.manager)
    job_enqueue(job=job, task=job_ping)  # outside a transaction: sent (eager: runs) at once
    old = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat_at=old, attempts=1, celery_task_id="gone"
    )
    assert jobs_reap() == {"queued": 0, "restarted": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 2)

    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat_at=old, attempts=settings.ASSAY_JOB_MAX_ATTEMPTS
    )
    assert jobs_reap() == {"queued": 0, "restarted": 0, "failed": 1}
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message.startswith(
        "The worker running this job stopped 3 times"
    )


def test_the_reaper_leaves_a_job_that_still_runs_on_a_worker(team, monkeypatch):
    from annotator.jobs import services

    job = job_create(kind=JobKind.PING, created_by=team.manager)
    job_enqueue(job=job, task=job_ping)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1), celery_task_id="alive"
    )
    monkeypatch.setattr(services, "_active_task_ids", lambda: {"alive"})
    assert jobs_reap() == {"queued": 0, "restarted": 0, "failed": 0}
    monkeypatch.setattr(services, "_active_task_ids", lambda: None)  # workers cannot be asked
    assert jobs_reap() == {"queued": 0, "restarted": 0, "failed": 0}
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_twice_at_once_is_one_document_and_two_finished_imports(media):
    """Two imports of one file released together: one writes the documents, the other waits and
    skips them as duplicates (it used to fail on the unique text and stay running)."""
    project = ProjectFactory()
    user = member(project, Role.MANAGER)
    files = [("a.jsonl", b'{"text": "Same text."}\n{"text": "Other text."}', "jsonl")]
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(import_documents(project=project, user=user, files=files, mode="atomic")[0])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted((c["documents"], c["duplicates"]) for c in results) == [(0, 2), (2, 0)]
    assert Document.objects.filter(project=project).count() == 2


def test_a_failed_import_keeps_its_upload_for_a_week(
    team, media, monkeypatch, django_capture_on_commit_callbacks
):
    """Kept so the job can be retried; the reaper deletes it ASSAY_JOB_UPLOAD_KEEP_DAYS after the failure."""

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(import_run, "import_documents", lost)
    response = _upload(
        _client(team.manager), team.project, b'{"text": "One."}', django_capture_on_commit_callbacks
    )
    job = Job.objects.get(pk=response.json()["id"])
    folder = media / job.params["folder"]
    jobs_reap(now=timezone.now() + timedelta(days=6))
    assert folder.is_dir()
    jobs_reap(now=timezone.now() + timedelta(days=8))
    assert not folder.exists()
    retried = _client(team.manager).post(f"/api/v1/jobs/{job.pk}/retry/")
    assert retried.status_code == 400
    assert (
        retried.json()["message"] == f"The upload of job {job.pk} is no longer kept; upload the files again."
    )
