from django.apps import AppConfig


class CredibilityConfig(AppConfig):
    name = "annotator.credibility"
    label = "credibility"
    verbose_name = "Source credibility"

    def ready(self):
        from annotator.credibility import signals

        signals.connect()
