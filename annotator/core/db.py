"""Prepared statements for the few queries every span write runs.

Django's psycopg cursors bind parameters on the client: each query reaches
PostgreSQL as new SQL text, parsed and planned again every time. On the span
write path (token lookup, document and role read, the insert statement) that
planning was half of PostgreSQL's CPU per request. A server-binding cursor
lets psycopg prepare a statement once it has run ``prepare_threshold`` times
on a connection (settings), after which PostgreSQL only executes it.

Only these cursors prepare (Django's own never do), so everything else keeps
Django's defaults. They also remember how each statement's placeholders
convert: psycopg caches that only for SQL up to 4,096 bytes, and the relation
write statement (6 KB) was parsed for placeholders again at every request
(0.35 ms of CPU here, a tenth of the request). Prepared statements live in the connection: a pooler in
transaction mode (PgBouncer before 1.21) cannot carry them. Select explicit
columns, never ``*``, so a migration adding a column cannot change the
result type of a statement prepared before it.
"""

from __future__ import annotations

import time
from functools import lru_cache

from django.db import connection, connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# psycopg's own converter and query class (psycopg is pinned in requirements.txt;
# tests/core/test_db.py fails if either changes shape).
from psycopg._queries import PostgresQuery, _query2pg_nocache


@lru_cache(maxsize=64)  # the hot statements, whatever their length; bulk_sql's vary
def converted_query(query: bytes, encoding: str):
    """psycopg's placeholder conversion of ``query`` (the $n text, formats, order, parts)."""
    return _query2pg_nocache(query, encoding)


class _ConvertedOnce(PostgresQuery):
    def convert(self, query, vars) -> None:
        if vars is None or not isinstance(query, str | bytes):
            return super().convert(query, vars)
        query = self._ensure_bytes(query)
        self.query, self._want_formats, self._order, self._parts = converted_query(query, self._tx.encoding)
        self.dump(vars)
        return None


class _Cursor(ServerBindingCursor):
    _query_cls = _ConvertedOnce


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
    return wrapper(_Cursor(connection.connection), connection)


def model_from_row(model, attnames: list[str], values):
    """A model instance from selected columns, as the ORM builds it (no signals, no query)."""
    return model.from_db(connection.alias, attnames, list(values))


# Django's CONN_HEALTH_CHECKS sends "SELECT 1" before a connection's first query in every
# request: one round trip of the three or four a span or relation write makes. A connection
# released by a request less than this long ago skips it: what the check catches (a server
# restart, a proxy's idle timeout) happens to idle connections. One killed in that second
# fails its next request with the 503 of api/middleware.py and is dropped, as it would be
# if killed during a request.
HEALTH_CHECK_AFTER_IDLE_SECONDS = 1.0


def connections_released(**kwargs) -> None:
    """request_finished: note when each open connection was last in use."""
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        conn.assay_released_at = now


def connections_reused(**kwargs) -> None:
    """request_started (after Django's close_old_connections): a connection released within
    HEALTH_CHECK_AFTER_IDLE_SECONDS counts as checked."""
    now = time.monotonic()
    for conn in connections.all(initialized_only=True):
        released = getattr(conn, "assay_released_at", None)
        if (
            conn.connection is not None
            and released is not None
            and now - released < HEALTH_CHECK_AFTER_IDLE_SECONDS
        ):
            conn.health_check_done = True
