from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's sample layer and review workflow (`make run`): data files and their loaders."""

    name = "annotator.demo"
    label = "demo"
    verbose_name = "Demo data"
