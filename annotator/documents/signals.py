"""What the documents app tells higher apps: new documents were stored.

Lower apps never import higher ones, so a feature that must react to new
documents (hedge suggestions on import) subscribes to ``documents_added``.
It is sent inside the storing transaction, once per batch, by every path that
stores documents (``document_create``, the bulk importer). A receiver writes
its rows in that transaction (they commit with the documents, or roll back with
them, at no commit of their own) and queues any task on commit (jobs.job_queue).
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: project (Project), document_ids (list[int]), user (the importer, or None)
documents_added = Signal()


def documents_added_send(*, project, document_ids: list[int], user=None) -> None:
    if document_ids:
        documents_added.send(sender="documents", project=project, document_ids=list(document_ids), user=user)
