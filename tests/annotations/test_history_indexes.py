"""Indexes kept to what is read (annotations migration 0008): every history row and every span
pays for each index on its table, so an index nothing filters by is dropped."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexed_columns(table: str) -> set[str]:
    """The first column of each index of ``table``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.attname FROM pg_index i
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = %s::regclass""",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_span_history_is_indexed_by_what_reads_it():
    """Read by span id, document and history id (reviews/history*.py, access.py), ordered by date;
    the user column for Django's SET_NULL on user deletion. Nothing else."""
    assert _indexed_columns("annotations_historicalannotation") == {
        "history_id", "id", "document_id", "history_date", "history_user_id",
    }  # fmt: skip


def test_relation_history_is_indexed_by_what_reads_it():
    """As spans' history, plus source and target (a span's history lists its relations)."""
    assert _indexed_columns("annotations_historicalrelation") == {
        "history_id", "id", "document_id", "source_id", "target_id", "history_date", "history_user_id",
    }  # fmt: skip


def test_a_layer_lookup_uses_the_unique_span_index():
    """The dropped (document, annotator, layer) index had the leading columns of annotation_unique_span."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM annotations_annotation WHERE document_id = 1 AND annotator_id = 2"
            " AND layer = 'annotator' ORDER BY start"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "annotation_unique_span" in plan, plan
