"""Span rows built while their COPY streams them (import_rows.py), with ids reserved for the
most spans a batch can add: merged spans leave their ids unused, and the history rows are
those of the rows written, one "+" row each with the span's own values."""

import json

import pytest
from django.db import connection, transaction

from annotator.annotations.models import Annotation
from annotator.documents.models import Document
from annotator.documents.services import content_hash
from annotator.interchange.bulk_sql import reserve_ids, rows_copy
from annotator.interchange.import_writer import DOCUMENT_COLUMNS
from annotator.interchange.imports import import_documents
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

# Every tracked column of a span, as its history row must repeat it.
SPAN_FIELDS = ("id", "project_id", "document_id", "annotator_id", "layer", "start", "end", "quote", "label_id",
               "subtype_id", "note", "status", "status_reason", "version", "origin_id")  # fmt: skip


def _history(document) -> list[tuple]:
    columns = ", ".join(f'"{name}"' for name in SPAN_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, history_type, history_user_id FROM annotations_historicalannotation"  # noqa: S608
            " WHERE document_id = %s ORDER BY id, history_id",
            [document.pk],
        )
        return cursor.fetchall()


def test_merged_spans_leave_their_ids_unused_and_get_no_history_row():
    """Two of three spans are already stored: one span is written, with one "+" history row
    holding its own values (by the importing user), and the stored spans get no second one."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    text = "Taxes rose. Growth follows. Maybe not."
    document = DocumentFactory(project=project, text=text)
    kept = [AnnotationFactory(document=document, annotator=manager, start=s, end=e, label_code=c)
            for s, e, c in ((0, 11, "EVIDENCE"), (28, 38, "HEDGE"))]  # fmt: skip
    before = _history(document)
    line = {"text": text, "entities": [
        {"id": 1, "label": "EVIDENCE", "start_offset": 0, "end_offset": 11},
        {"id": 2, "label": "CLAIM", "start_offset": 12, "end_offset": 27},
        {"id": 3, "label": "HEDGE", "start_offset": 28, "end_offset": 38}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "supports"}]}  # fmt: skip
    counts, _ = import_documents(project=project, user=manager,
                                 files=[("d.jsonl", json.dumps(line).encode(), "doccano")])  # fmt: skip
    assert (counts["annotations"], counts["merged"], counts["relations"]) == (1, 2, 1)
    new = Annotation.objects.get(document=document, start=12)
    assert new.pk not in {k.pk for k in kept}
    added = [row for row in _history(document) if row not in before]
    values = tuple(getattr(new, "end" if name == "end" else name) for name in SPAN_FIELDS)
    assert added == [(*values, "+", manager.pk)]


def test_history_rows_of_an_import_repeat_every_span_once():
    """After an import of new texts, each span has exactly one history row, a "+", equal to it."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    lines = [json.dumps({"text": f"Text {i}: taxes rose, growth follows.", "entities": [
        {"id": 1, "label": "EVIDENCE", "start_offset": 0, "end_offset": 6},
        {"id": 2, "label": "CLAIM", "start_offset": 8, "end_offset": 18}],
        "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "supports"}]}) for i in range(3)]  # fmt: skip
    import_documents(project=project, user=manager, files=[("d.jsonl", "\n".join(lines).encode(), "doccano")])
    for document in Document.objects.filter(project=project):
        spans = Annotation.objects.filter(document=document).order_by("id")
        assert _history(document) == [
            (*(getattr(span, name) for name in SPAN_FIELDS), "+", manager.pk) for span in spans
        ]
        assert len(spans) == 2
        # The rows' timestamps (written as text) are the history rows' date (a parameter).
        dates = set(Annotation.history.filter(document_id=document.pk).values_list("history_date", flat=True))
        assert {(s.created_at, s.updated_at) for s in spans} == {(date, date) for date in dates}


def test_rows_copy_refuses_more_rows_than_ids():
    """A generator that gives more rows than ids reserved is an error, and nothing is kept."""
    project = ProjectFactory()
    row = (project.pk, "Some text.", content_hash("Some text."), 10, 2, "", "", None, None, "", "{}", None)
    assert len(row) == len(DOCUMENT_COLUMNS)
    with pytest.raises(ValueError, match="more Document rows than the 1 ids"), transaction.atomic():
        rows_copy(Document, DOCUMENT_COLUMNS, iter([row, row]), ids=reserve_ids(Document, 1))
    assert not Document.objects.filter(project=project).exists()


def test_rows_copy_with_spare_ids_writes_the_rows_given():
    """Ids beyond the rows stay unused: the rows take the first ones, each with its history row."""
    project = ProjectFactory()
    ids = reserve_ids(Document, 3)
    row = (project.pk, "Some text.", content_hash("Some text."), 10, 2, "", "", None, None, "", "{}", None)
    assert rows_copy(Document, DOCUMENT_COLUMNS, (r for r in [row]), ids=ids) == 1
    assert list(Document.objects.filter(project=project).values_list("id", flat=True)) == [ids[0]]
    assert list(Document.history.filter(project_id=project.pk).values_list("id", "history_type")) == [
        (ids[0], "+")
    ]
