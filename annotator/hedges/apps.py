from django.apps import AppConfig


class HedgesConfig(AppConfig):
    name = "annotator.hedges"
    label = "hedges"
    verbose_name = "Hedge suggestions"
