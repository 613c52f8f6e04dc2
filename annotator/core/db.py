"""Prepared statements for the few queries every span write runs.

Django's psycopg cursors bind parameters on the client: each query reaches
PostgreSQL as new SQL text, parsed and planned again every time. On the span
write path (token lookup, document and role read, the insert statement) that
planning was half of PostgreSQL's CPU per request. A server-binding cursor
lets psycopg prepare a statement once it has run ``prepare_threshold`` times
on a connection (settings), after which PostgreSQL only executes it.

Only these cursors prepare (Django's own never do), so everything else keeps
Django's defaults. Prepared statements live in the connection: a pooler in
transaction mode (PgBouncer before 1.21) cannot carry them. Select explicit
columns, never ``*``, so a migration adding a column cannot change the
result type of a statement prepared before it.
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


class _LoggedCursor(CursorDebugWrapper):
    """Logs statements with their parameters inlined: psycopg drops a prepared statement's text."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def prepared_cursor() -> CursorWrapper:
    """A Django cursor (execute wrappers, error translation, query logging) that binds server-side."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    wrapper = _LoggedCursor if connection.queries_logged else CursorWrapper
    return wrapper(ServerBindingCursor(connection.connection), connection)


def model_from_row(model, attnames: list[str], values):
    """A model instance from selected columns, as the ORM builds it (no signals, no query)."""
    return model.from_db(connection.alias, attnames, list(values))
