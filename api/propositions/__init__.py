"""Propositions across documents: the resources (views.py) and their serializers."""

from api.propositions.views import (
    ChangeListView,
    FiguresView,
    LinkDetailView,
    LinkListView,
    MergeView,
    PropositionDetailView,
    PropositionListView,
    ProvenanceView,
    RepeatsView,
    SplitView,
    SuggestionsView,
    UndoView,
)

__all__ = [
    "ChangeListView",
    "FiguresView",
    "LinkDetailView",
    "LinkListView",
    "MergeView",
    "PropositionDetailView",
    "PropositionListView",
    "ProvenanceView",
    "RepeatsView",
    "SplitView",
    "SuggestionsView",
    "UndoView",
]
