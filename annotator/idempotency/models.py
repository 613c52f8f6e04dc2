from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """A POST sent with an ``Idempotency-Key``, and the response it got (replayed for a repeat).

    The row is written in the same transaction as the request's own writes:
    either both are stored or neither is, so a repeat either replays the
    answer or runs the request for the first time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(null=True, blank=True, help_text="Null when the response was a stream")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_user_key")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}] -> {self.status_code}"
