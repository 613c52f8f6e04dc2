"""Agreement through real Celery workers over Redis."""

import time

import pytest

from annotator.jobs.models import Job
from annotator.reviews.models import Agreement
from annotator.reviews.services import agreement_project_request, assignment_submit
from tests.factories import AssignmentFactory, member


def _wait(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.integration
def test_submit_and_on_demand_jobs_run_on_a_worker(scene, celery_workers):
    """A submitted layer makes a worker recompute the document; the on-demand job finishes with
    the project's alpha in its message (0.6, as computed by hand in test_agreement.py)."""
    celery_workers.start(1)
    ann3 = member(scene.project, username="ann3")
    AssignmentFactory(document=scene.document, annotator=ann3, state="in_progress")
    assignment_submit(document=scene.document, annotator=ann3)
    assert _wait(lambda: Agreement.objects.filter(document=scene.document, label=None, annotators=3).exists())

    job = agreement_project_request(project=scene.project, user=scene.reviewer)
    assert _wait(lambda: Job.objects.get(pk=job.pk).state == "succeeded")
    job.refresh_from_db()
    assert job.progress == 100 and job.counts == {"documents": 1}
    row = Agreement.objects.get(project=scene.project, document=None, label=None)
    assert row.annotators == 3 and f"alpha={row.alpha}" in job.message
