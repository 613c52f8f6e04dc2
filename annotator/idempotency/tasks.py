from celery import shared_task

from annotator.idempotency import services


@shared_task(name="idempotency.idempotent_requests_purge", acks_late=True)
def idempotent_requests_purge() -> int:
    """Celery beat, hourly: forget stored responses older than ASSAY_IDEMPOTENCY_HOURS."""
    return services.idempotent_requests_purge()
