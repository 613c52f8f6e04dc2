from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "annotator.workspace"
    label = "workspace"
