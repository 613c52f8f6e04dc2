"""Job files are private (issue 12, items 3 and 4).

A finished export lies on disk under a guessable name; it is served only by
the permission-checked download endpoint, in every mode (DEBUG included), and
that endpoint checks the caller's current membership and role, not the one
they had when they started the job.
"""

import importlib
import json

import pytest
from django.test import Client
from django.urls import clear_url_caches
from rest_framework.test import APIClient

from annotator.jobs.models import Job
from annotator.projects.models import Membership

pytestmark = pytest.mark.django_db


def _export(user, project, django_capture_on_commit_callbacks, **body) -> Job:
    client = APIClient()
    client.force_authenticate(user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/api/v1/projects/{project.pk}/export/", {"format": "native", **body}, format="json"
        )
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["id"])
    assert job.state == "succeeded" and job.result_file
    return job


def _download(user, job):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/jobs/{job.pk}/download/")


@pytest.fixture
def debug_urls(settings, tmp_path):
    """The URLconf as ``make run`` builds it: DEBUG on when annotator.config.urls is imported
    (and MEDIA_ROOT already this test's folder)."""
    import annotator.config.urls as urls

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(urls)


def test_export_files_are_not_served_from_media_in_debug(
    mapped, settings, tmp_path, debug_urls, django_capture_on_commit_callbacks
):
    """With DEBUG on, the export's file under /media/<its name> is a 404 for an anonymous visitor
    and for a logged-in outsider; the download endpoint still serves it to its owner."""
    job = _export(mapped.reviewer, mapped.project, django_capture_on_commit_callbacks)
    assert (tmp_path / job.result_file.name).is_file()
    path = f"/media/{job.result_file.name}"
    assert Client().get(path).status_code == 404
    outsider = Client()
    outsider.force_login(mapped.outsider)
    assert outsider.get(path).status_code == 404
    anonymous = APIClient().get(f"/api/v1/jobs/{job.pk}/download/")
    assert anonymous.status_code == 403
    owner = _download(mapped.reviewer, job)
    assert owner.status_code == 200
    assert json.loads(b"".join(owner.streaming_content))["schema"] == "assay.argument-map/1"


def test_removed_members_cannot_download_their_exports(
    mapped, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The annotator's own export downloads while they are a member; once their membership is
    deactivated the job and its file are a 404, and on reactivation they are back."""
    settings.MEDIA_ROOT = tmp_path
    job = _export(mapped.annotator, mapped.project, django_capture_on_commit_callbacks)
    assert _download(mapped.annotator, job).status_code == 200
    membership = Membership.objects.get(project=mapped.project, user=mapped.annotator)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    response = _download(mapped.annotator, job)
    assert response.status_code == 404
    assert response.json() == {"message": "Job not found.", "errors": {}}
    client = APIClient()
    client.force_authenticate(mapped.annotator)
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert client.get("/api/v1/jobs/").json()["results"] == []
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    assert _download(mapped.annotator, job).status_code == 200


def test_a_demoted_reviewer_cannot_download_layers_they_may_no_longer_see(
    mapped, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A reviewer's export of every layer (gold included) is refused with 403 once they are an
    annotator: the file holds layers an annotator cannot export."""
    settings.MEDIA_ROOT = tmp_path
    job = _export(mapped.reviewer, mapped.project, django_capture_on_commit_callbacks, status="all")
    Membership.objects.filter(project=mapped.project, user=mapped.reviewer).update(role="annotator")
    response = _download(mapped.reviewer, job)
    assert response.status_code == 403
    assert response.json()["message"] == (
        "This export holds layers you can no longer see in the project (you are annotator)."
    )
