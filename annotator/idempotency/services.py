from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from annotator.idempotency.models import IdempotentRequest


def idempotent_requests_purge(*, now=None) -> int:
    """Forget keys older than ASSAY_IDEMPOTENCY_HOURS; returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ASSAY_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
