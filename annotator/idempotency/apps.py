from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "annotator.idempotency"
    label = "idempotency"
    verbose_name = "Idempotent API writes"
