from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class CoreConfig(AppConfig):
    name = "annotator.core"
    label = "core"

    def ready(self):
        from annotator.core import db

        # After django.db's own close_old_connections (connected when django.db was imported).
        request_started.connect(db.connections_reused, dispatch_uid="assay-connections-reused")
        request_finished.connect(db.connections_released, dispatch_uid="assay-connections-released")
