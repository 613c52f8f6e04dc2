from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "annotator.jobs"
    label = "jobs"
