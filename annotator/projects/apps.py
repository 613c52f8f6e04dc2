from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from annotator.projects.kinds import kind_role_function_install


def _kind_role_function_refresh(*, using: str, **_) -> None:
    kind_role_function_install(connections[using])


class ProjectsConfig(AppConfig):
    name = "annotator.projects"
    label = "projects"

    def ready(self):
        # The database's copy of the kinds registry follows the code after every migrate.
        post_migrate.connect(_kind_role_function_refresh, sender=self, dispatch_uid="assay_kind_role")
