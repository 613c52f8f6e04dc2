from django.apps import AppConfig


class CredibilityConfig(AppConfig):
    name = "annotator.credibility"
    label = "credibility"
