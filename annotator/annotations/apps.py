from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotator.annotations"
    label = "annotations"

    def ready(self):
        from annotator.annotations import receivers

        receivers.connect()
