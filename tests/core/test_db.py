"""Prepared statements for the span write path (annotator/core/db.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.core.db import prepared_cursor

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
