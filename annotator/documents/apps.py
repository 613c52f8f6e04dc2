from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "annotator.documents"
    label = "documents"
