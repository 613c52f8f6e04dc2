"""One statement that stores a new span with its history row (and, on its own, its change marks).

Creating a span is the hottest write of the API. Through the ORM it costs an
INSERT, simple-history's post_save INSERT (about 0.8 ms of Python: a model
instance and a new manager class per call), BEGIN/COMMIT round trips and an
after-commit statement marking credibility scores dirty. Here the span, its
"+" history row and the marks are one INSERT ... RETURNING with data-modifying
CTEs: one round trip, one commit. Triggers and constraints run as for any
insert (offsets, quote, composite foreign keys, the unique span), and the
history row holds the same values simple-history would write (columns come
from the models, so a new field is carried over without editing this file).

Nothing else listens to Annotation's post_save except simple-history and
annotations' change hook (annotations/receivers.py, hooks.py), both done here:
the marks are the SQL the hook's statement subscriber registered (credibility's);
a new receiver would have to be called by annotation_create too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection
from simple_history.models import HistoricalRecords

from annotator.annotations import hooks
from annotator.annotations.models import Annotation
from annotator.core.db import prepared_cursor


@dataclass(frozen=True)
class Inserted:
    id: int | None  # None: the layer guard refused the insert (nothing was written)
    scheduled: bool  # the marks queued the project's recompute: enqueue it after commit


def history_user_id(instance) -> int | None:
    """Who simple-history records for a change: ``instance._history_user`` when set, else the
    authenticated user of the request being served (HistoryRequestMiddleware), else nobody."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated:
            user = None
    return getattr(user, "pk", None)


@cache
def _statement(*, guard_layer: bool, marks: bool) -> tuple[str, list[str]]:
    """The SQL and the attnames whose values it takes, in order (as %(name)s parameters)."""
    quote = connection.ops.quote_name
    fields = [f for f in Annotation._meta.concrete_fields if not f.primary_key]
    # Typed placeholders: INSERT ... SELECT (needed for the guard) does not infer a NULL's type.
    values = ", ".join(f"%({f.attname})s::{f.cast_db_type(connection)}" for f in fields)
    history = Annotation.history.model
    copied = [f.column for f in Annotation._meta.concrete_fields]
    user_type = history._meta.get_field("history_user").cast_db_type(connection)
    extra = {
        "history_date": "%(history_date)s::timestamptz",
        "history_change_reason": "NULL",
        "history_type": "'+'",
        "history_user_id": f"%(history_user_id)s::{user_type}",
    }
    history_columns = [f.column for f in history._meta.concrete_fields if f.attname != "history_id"]
    unknown = set(history_columns) - set(copied) - set(extra)
    assert not unknown, f"history columns with no source: {unknown}"  # noqa: S101 - a model change
    history_values = ", ".join(extra.get(c) or f"span.{quote(c)}" for c in history_columns)
    ctes = []
    where = ""
    if guard_layer:  # only into a layer already being edited (annotation_create handles the rest)
        where = (
            " WHERE EXISTS (SELECT 1 FROM reviews_assignment WHERE document_id = %(document_id)s"
            " AND annotator_id = %(annotator_id)s AND state = ANY(%(open_states)s::text[]))"
        )
    ctes.append(
        f"span AS (INSERT INTO {quote(Annotation._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" SELECT {values}{where}"
        f" RETURNING {', '.join(quote(c) for c in copied)})"
    )
    ctes.append(
        f"history AS (INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in history_columns)})"  # noqa: S608 - names from model meta
        f" SELECT {history_values} FROM span)"
    )
    if marks:
        ctes.append("live AS (SELECT project_id AS id FROM span)")
        ctes.append(
            hooks.statement_ctes("(SELECT %(mark_document)s::text, document_id FROM span) AS t(k, e)")
        )
    outputs = ["(SELECT id FROM span)", "EXISTS (SELECT 1 FROM scheduled)" if marks else "false"]
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(outputs)}"
    return sql, [f.attname for f in fields]


def span_insert(
    annotation: Annotation,
    *,
    now: datetime,
    open_states: list[str] | None = None,
    marks: dict | None = None,
) -> Inserted:
    """INSERT ``annotation`` (unsaved) with its history row; set its id when stored.

    ``open_states``: insert only if the annotator's assignment on the document is in one
    of these states. ``marks``: hooks.statement_params() to mark in the same statement (only
    when the statement is its own transaction, so the marker rows stay locked no longer
    than the statement runs).
    """
    sql, attnames = _statement(guard_layer=open_states is not None, marks=marks is not None)
    annotation.created_at = annotation.updated_at = now
    params = {name: getattr(annotation, name) for name in attnames}
    params.update(history_date=now, history_user_id=history_user_id(annotation), open_states=open_states)
    params.update(marks or {})
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        new_id, scheduled = cursor.fetchone()
    if new_id is not None:
        annotation.pk = new_id
        annotation._state.adding = False
        annotation._state.db = connection.alias
    return Inserted(id=new_id, scheduled=scheduled)
