import socket

from celery import shared_task

from annotator.jobs.services import job_finish, job_start, jobs_reap


@shared_task(acks_late=True)
def ping(*, job_id: int) -> str:
    """Round trip through the broker: the worker marks the job done and says who it is."""
    if job_start(job_id=job_id) is None:
        return "already done"
    host = socket.gethostname()
    job_finish(job_id=job_id, counts={"pong": 1}, message=f"pong from {host}")
    return host


@shared_task(acks_late=True, ignore_result=True)
def jobs_reap_task() -> dict:
    """Celery beat, every minute: jobs the broker refused, and jobs whose worker died."""
    return jobs_reap()
