"""What the documents app tells higher apps: new documents were stored.

Lower apps never import higher ones, so a feature that must react to new
documents (hedge suggestions on import) subscribes to ``documents_added``.
It is sent once the storing transaction commits, once per batch, by every
path that stores documents (``document_create``, the bulk importer).
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# kwargs: project_id (int), document_ids (list[int]), user (the importer, or None)
documents_added = Signal()


def documents_added_on_commit(*, project_id: int, document_ids: list[int], user=None) -> None:
    if not document_ids:
        return
    ids = list(document_ids)
    transaction.on_commit(
        lambda: documents_added.send(sender="documents", project_id=project_id, document_ids=ids, user=user)
    )
