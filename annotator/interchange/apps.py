from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "annotator.interchange"
    label = "interchange"
    verbose_name = "Import and export"
