from celery import shared_task

from annotator.idempotency.services import idempotent_requests_purge


@shared_task(acks_late=True)
def idempotent_requests_purge_task() -> int:
    return idempotent_requests_purge()
