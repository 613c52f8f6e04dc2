"""Row locks for writes that may race a delete of the same row.

A request reads the row (permission checks), then locks it in the write's
transaction. A concurrent DELETE can commit in between: the lock then finds
nothing. That is the loser of the race, and it gets a 404 naming what is
gone, never a ``DoesNotExist`` 500.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from annotator.core.errors import NotFound

M = TypeVar("M", bound=Model)


def row_lock(queryset: QuerySet[M], *, pk: int, what: str) -> M:
    """SELECT ... FOR UPDATE of one row; NotFound when it was deleted meanwhile.

    Call inside the write's transaction.
    """
    locked = queryset.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise NotFound(f"{what} {pk} no longer exists: it was deleted (perhaps by another request).")
    return locked
