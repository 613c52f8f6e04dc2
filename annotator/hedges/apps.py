from django.apps import AppConfig


class HedgesConfig(AppConfig):
    name = "annotator.hedges"
    label = "hedges"
    verbose_name = "Hedge suggestions"

    def ready(self):
        from annotator.documents.signals import documents_added
        from annotator.hedges.history import hedge_history_entries
        from annotator.hedges.runs import hedges_on_documents_added
        from annotator.reviews.history import history_source_register

        documents_added.connect(hedges_on_documents_added, dispatch_uid="hedges_on_documents_added")
        history_source_register(hedge_history_entries)
