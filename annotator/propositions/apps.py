from django.apps import AppConfig


class PropositionsConfig(AppConfig):
    name = "annotator.propositions"
    label = "propositions"
    verbose_name = "Propositions across documents"
