import time

import pytest

from annotator.jobs.models import Job, JobKind, JobState
from annotator.jobs.services import job_create
from annotator.jobs.tasks import job_ping


def _wait_for(job_id, state, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.state == state:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} is {job.state}, not {state}, after {timeout}s")


@pytest.mark.integration
def test_a_task_goes_through_redis_to_a_real_worker_and_back(celery_workers):
    """A task sent over Redis is run by a separate worker process that writes to the test database."""
    celery_workers.start(1)
    job = job_create(kind=JobKind.PING)

    result = job_ping.delay(job_id=job.pk)

    done = _wait_for(job.pk, JobState.SUCCEEDED)
    assert result.id
    assert done.counts == {"pong": 1}
    assert done.message.startswith("pong from ")
    assert done.progress == 100


@pytest.mark.django_db
def test_without_a_broker_tasks_run_in_process():
    """With no CELERY_BROKER_URL configured the task runs eagerly, inside the caller."""
    from annotator import celery_app

    assert celery_app.conf.task_always_eager is True
    job = job_create(kind=JobKind.PING)
    job_ping.delay(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


@pytest.mark.django_db
def test_a_redelivered_task_does_not_run_twice():
    """acks_late can deliver a task again; a finished job is left as it is."""
    job = job_create(kind=JobKind.PING)
    job_ping(job_id=job.pk)
    done = Job.objects.get(pk=job.pk)
    job_ping(job_id=job.pk)
    again = Job.objects.get(pk=job.pk)
    assert (again.state, again.attempts, again.finished_at) == (JobState.SUCCEEDED, 1, done.finished_at)
