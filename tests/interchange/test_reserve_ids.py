"""reserve_ids: ``count`` fresh ids in one round trip, with the table's sequence looked up once."""

import pytest
from django.db import connection

from annotator.annotations.models import Annotation
from annotator.interchange.bulk_sql import _sequence_sql, reserve_ids

pytestmark = pytest.mark.django_db


def test_reserved_ids_are_distinct_and_increasing():
    first, second = reserve_ids(Annotation, 3), reserve_ids(Annotation, 2)
    assert len(set(first + second)) == 5
    assert first == sorted(first) and max(first) < min(second)


def test_the_sequence_is_looked_up_once_not_per_id():
    """The lookup is a plan node of its own (one row) feeding the join: pulled up into the
    aggregate it ran for every id (20,000 ids 47 ms of PostgreSQL instead of 6)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN VERBOSE " + _sequence_sql(Annotation._meta.db_table), [5])  # noqa: S608
        plan = [row[0].strip() for row in cursor.fetchall()]
    lookup = next(i for i, line in enumerate(plan) if line.startswith("->  Result"))
    assert plan[lookup + 1].startswith("Output: (pg_get_serial_sequence(")
