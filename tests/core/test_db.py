"""Prepared statements for the span write path (annotator/core/db.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.core import db
from annotator.core.db import converted_query, prepared_cursor

pytestmark = pytest.mark.django_db


def test_a_statement_run_often_is_prepared_and_still_logged_with_its_values():
    """After prepare_threshold runs PostgreSQL holds the statement prepared; every run is
    still logged with its parameters inlined (psycopg drops a prepared statement's text)."""
    sql = "SELECT %s::integer + 1 AS assay_prepared_probe"
    with CaptureQueriesContext(connection) as queries:
        for i in range(7):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [i])
                assert cursor.fetchone() == (i + 1,)
    assert [q["sql"] for q in queries] == [
        f"SELECT {i}::integer + 1 AS assay_prepared_probe" for i in range(7)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%assay_prepared_probe%"]
        )
        assert cursor.fetchone() == (1,)


def test_django_cursors_never_prepare():
    """Everything else keeps Django's client-side binding: nothing prepared."""
    for _ in range(7):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::integer AS assay_unprepared_probe", [1])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%assay_unprepared_probe%"],
        )
        assert cursor.fetchone() == (0,)


def test_a_long_statement_converts_its_placeholders_once():
    """psycopg re-parses SQL over 4,096 bytes at every run; these cursors convert it once and
    still bind each run's own values, by name and by position."""
    named = "SELECT %(a)s::integer + %(b)s::integer AS assay_long_probe\n-- " + "x" * 4200
    positional = "SELECT %s::text || %s::text AS assay_long_probe\n-- " + "y" * 4200
    before = converted_query.cache_info()
    for i in range(3):
        with prepared_cursor() as cursor:
            cursor.execute(named, {"b": i, "a": 10})
            assert cursor.fetchone() == (10 + i,)
            cursor.execute(positional, [f"n{i}", "z"])
            assert cursor.fetchone() == (f"n{i}z",)
    after = converted_query.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (2, 4)


def _pinged_at_request_start() -> bool:
    """Whether the connection's first query of a new request would send the health check: the
    request_started receivers in order (the test client leaves Django's out)."""
    connection.close_if_unusable_or_obsolete()
    db.connections_reused()
    return not connection.health_check_done


def test_a_connection_in_use_a_moment_ago_skips_the_health_check(monkeypatch):
    """CONN_HEALTH_CHECKS pings a reused connection once per request, unless a request released
    it less than HEALTH_CHECK_AFTER_IDLE_SECONDS ago; an idle one is pinged again."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.ensure_connection()
    db.connections_released()
    assert _pinged_at_request_start() is False
    monkeypatch.setattr(db, "HEALTH_CHECK_AFTER_IDLE_SECONDS", 0.0)
    db.connections_released()
    assert _pinged_at_request_start() is True
