"""Lexeme counts in shards (migration 0006): span writers of one project at the same time do not
queue on the project's counter rows, a transaction counts into one shard, readers add them up."""

from __future__ import annotations

import math
import threading

import pytest
from django.db import connection, transaction

from annotator.annotations.services import annotation_create
from annotator.projects.models import Label, Role
from tests.factories import DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Officials say the budget will double next year."
SHARDS = 16  # propositions/migrations/0006_lexeme_counts_sharded.py


def _span(document, annotator, label, start=0, end=9):
    return annotation_create(document=document, annotator=annotator, start=start, end=end, label=label)


def _counts(project_id: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, sum(spans) FROM propositions_lexemecount WHERE project_id = %s GROUP BY 1",
            [project_id],
        )
        return dict(cursor.fetchall())


def _shard_of_this_transaction() -> int:
    """The shard this transaction counts into (it takes its transaction id now)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint %% %s", [SHARDS])
        return cursor.fetchone()[0]


def _spans_per_shard(project_id: int) -> dict[int, int]:
    """Per shard, the spans it counts (its rows of the empty lexeme)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shard, spans FROM propositions_lexemecount WHERE project_id = %s AND lexeme = ''",
            [project_id],
        )
        return dict(cursor.fetchall())


def _write_from_another_connection(document, annotator, label, *, avoid_shard: int) -> dict:
    """Write a span from a second connection that gives up after 2 s of waiting for a lock, in a
    transaction whose shard is not ``avoid_shard`` (one in SHARDS would be: it then waits)."""
    outcome: dict = {}

    def write():
        try:
            for _ in range(10):
                with transaction.atomic():
                    if _shard_of_this_transaction() == avoid_shard:
                        transaction.set_rollback(True)
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '2s'")
                    outcome["id"] = _span(document, annotator, label).pk
                    return
        except Exception as error:  # noqa: BLE001 - the test reports what happened
            outcome["error"] = type(error).__name__
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=10)
    return outcome


def test_a_span_write_does_not_wait_for_another_writers_commit_in_the_same_project():
    """While one transaction has written a span (and counted its lexemes) and not committed, a
    span with the same words in another document of the project is written at once; both count."""
    project = ProjectFactory()
    first, second = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    label = Label.objects.filter(project=project).order_by("position").first()
    documents = [DocumentFactory(project=project, text=f"{TEXT} Copy {i}.") for i in range(2)]
    with transaction.atomic():
        _span(documents[0], first, label)
        shard = _shard_of_this_transaction()
        outcome = _write_from_another_connection(documents[1], second, label, avoid_shard=shard)
        assert set(outcome) == {"id"}, outcome
    assert _counts(project.pk) == {"": 2, "offici": 2}


def test_one_transaction_counts_into_the_shard_of_its_id_and_the_shards_add_up():
    """Every span a transaction writes counts into the shard of its transaction id (two
    transactions share all their counter rows or none: no new deadlock); readers sum them."""
    project = ProjectFactory()
    annotator = member(project, Role.ANNOTATOR)
    label = Label.objects.filter(project=project).order_by("position").first()
    document = DocumentFactory(project=project, text=TEXT)
    for spans in ([(0, 9), (0, 13)], [(14, 17)], [(18, 24)]):
        before = _spans_per_shard(project.pk)
        with transaction.atomic():
            for start, end in spans:
                _span(document, annotator, label, start, end)
            shard = _shard_of_this_transaction()
        after = _spans_per_shard(project.pk)
        assert {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k)} == {
            shard: len(spans)
        }
    assert _counts(project.pk) == {"": 4, "offici": 2, "say": 1, "budget": 1}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT weight FROM propositions_idf(%s, ARRAY['offici', 'budget', 'absent'])", [project.pk]
        )
        weights = [round(w, 6) for (w,) in cursor.fetchall()]
    # ln((N + 1) / (df + 1)) with N = 4 spans: df 2, 1, 0.
    assert weights == [round(math.log(5 / 3), 6), round(math.log(5 / 2), 6), round(math.log(5), 6)]
