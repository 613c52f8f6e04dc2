"""The queued-task row of a project's marks (credibility/services.py, _DIRTY_MARKS_TEMPLATE):
writes that mark at once do not wait for each other, and a lost task's row is taken over."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from annotator.credibility.models import DirtyKind, ScoreDirty
from annotator.credibility.services import scores_marks_write
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _mark_from_another_connection(project_id: int, document_id: int) -> dict:
    """Mark a document from a second connection that gives up after 2 s of waiting for a lock."""
    outcome: dict = {}

    def mark():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                keys = [(DirtyKind.DOCUMENT, document_id)]
                outcome["scheduled"] = scores_marks_write(project_id=project_id, keys=keys)
        except Exception as error:  # noqa: BLE001 - the test reports what happened
            outcome["error"] = type(error).__name__
        finally:
            connection.close()

    thread = threading.Thread(target=mark)
    thread.start()
    thread.join(timeout=10)
    return outcome


def test_a_write_marking_a_project_does_not_wait_for_another_ones_commit():
    """While one transaction has marked document 1 (a task already queued) and not committed,
    another marks document 2 of the same project at once: no lock wait, no second task."""
    project = ProjectFactory()
    assert scores_marks_write(project_id=project.pk, keys=[]) is True  # the task is queued
    with transaction.atomic():
        assert scores_marks_write(project_id=project.pk, keys=[(DirtyKind.DOCUMENT, 1)]) is False
        assert _mark_from_another_connection(project.pk, 2) == {"scheduled": False}
    marks = ScoreDirty.objects.filter(project=project).order_by("kind", "entity_id")
    assert list(marks.values_list("kind", "entity_id")) == [
        ("document", 1),
        ("document", 2),
        ("scheduled", 0),
    ]


def test_a_queued_task_row_older_than_the_stale_limit_is_taken_over_once(settings):
    """A queued-task row older than CREDIBILITY_SCHEDULED_STALE_SECONDS (its task was lost) is
    taken by the next mark, which queues a new task; the mark after that does not."""
    project = ProjectFactory()
    assert scores_marks_write(project_id=project.pk, keys=[]) is True
    assert scores_marks_write(project_id=project.pk, keys=[]) is False
    old = timezone.now() - timedelta(seconds=settings.CREDIBILITY_SCHEDULED_STALE_SECONDS + 60)
    ScoreDirty.objects.filter(project=project, kind=DirtyKind.SCHEDULED).update(marked_at=old)
    assert scores_marks_write(project_id=project.pk, keys=[(DirtyKind.DOCUMENT, 3)]) is True
    assert scores_marks_write(project_id=project.pk, keys=[(DirtyKind.DOCUMENT, 3)]) is False
    row = ScoreDirty.objects.get(project=project, kind=DirtyKind.SCHEDULED)
    assert row.marked_at > old + timedelta(seconds=60)
