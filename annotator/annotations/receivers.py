"""The ORM path of annotations' change hook: any saved or deleted span or relation is reported.

Writes through the single-statement SQL (span_sql.py, relation_sql.py) send no signals;
their services call the hook themselves (annotations/hooks.py).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Relation, RelationType


def _on_span(sender, instance, **kwargs):
    hooks.changed(instance.project_id, document_ids=[instance.document_id])


def _on_relation(sender, instance, **kwargs):
    hooks.changed(
        instance.project_id, document_ids=[instance.document_id], speaker_ids=relation_speakers(instance)
    )


def relation_speakers(relation: Relation) -> list[int]:
    """The speaker whose figures a relation counts in: the one an attribution names."""
    return (
        [relation.speaker_id] if relation.type == RelationType.ATTRIBUTED_TO and relation.speaker_id else []
    )


def connect() -> None:
    for model, handler in [(Annotation, _on_span), (Relation, _on_relation)]:
        post_save.connect(handler, sender=model, dispatch_uid=f"annotations-{model.__name__}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"annotations-{model.__name__}-delete")
