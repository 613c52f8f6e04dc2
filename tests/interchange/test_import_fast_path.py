"""The bulk import writer (COPY of row tuples, link flags computed before the insert) against the
rules: the flags it writes are the trigger's, and a line a rule refuses is refused with the
message the general (API) path gives, with nothing written."""

import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.interchange.imports import import_documents
from annotator.projects.models import Role
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, member

pytestmark = pytest.mark.django_db

LABELS = [
    "EVIDENCE",
    "CLAIM",
    "CLAIM",
    "CLAIM",
    "CLAIM",
    "CLAIM",
    "CLAIM",
    "OPINION",
    "HEDGE",
    "CLAIM",
    "CLAIM",
]


def _entities(labels):
    return [{"id": k + 1, "label": label, "start_offset": k * 10, "end_offset": k * 10 + 5}
            for k, label in enumerate(labels)]  # fmt: skip


def _chain_line(index: int) -> str:
    """Evidence 1 supports claim 2, which supports 3, ... up to 7 (depth 6: past the bound); claim 3
    attacks opinion 8, unsupported claim 10 attacks claim 11, hedge 9 qualifies claim 2."""
    relations = [{"id": k, "from_id": k, "to_id": k + 1, "type": "supports"} for k in range(1, 7)]
    relations += [
        {"id": 7, "from_id": 3, "to_id": 8, "type": "attacks"},
        {"id": 8, "from_id": 10, "to_id": 11, "type": "attacks"},
        {"id": 9, "from_id": 9, "to_id": 2, "type": "qualifies"},
    ]
    text = f"Document {index}. " + "word " * 30
    return json.dumps({"text": text, "entities": _entities(LABELS), "relations": relations})


def _flags(document) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT start, support_depth, is_supported, is_attacked, is_qualified FROM annotations_annotation"
            " WHERE document_id = %s ORDER BY start",
            [document.pk],
        )
        return [row[1:] for row in cursor.fetchall()]


def _span_rows_updated() -> int:
    """Span rows UPDATEd so far by this transaction (the link-flag trigger's rewrites)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_get_xact_tuples_updated('annotations_annotation'::regclass)")
        return cursor.fetchone()[0]


def test_imported_link_flags_are_the_triggers(db):
    """Each span gets the depth and flags the relation trigger computes, so the trigger rewrites none."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    data = ("\n".join(_chain_line(i) for i in range(3)) + "\n").encode()
    updated = _span_rows_updated()
    counts, _ = import_documents(project=project, user=manager, files=[("chains.jsonl", data, "doccano")])
    assert _span_rows_updated() == updated  # the trigger found every flag already right
    assert (counts["documents"], counts["annotations"], counts["relations"]) == (3, 33, 27)
    expected = [
        (None, False, False, False),  # 1 evidence
        (1, True, False, True),  # 2 claim: evidence supports it, the hedge qualifies it
        (2, True, False, False),
        (3, True, False, False),
        (4, True, False, False),
        (5, True, False, False),
        (None, False, False, False),  # 7: a chain of 6 is past the bound
        (None, False, True, False),  # 8 opinion: attacked by a supported claim
        (None, False, False, False),  # 9 hedge
        (None, False, False, False),  # 10 unsupported claim
        (None, False, False, False),  # 11: attacked only by an unsupported claim, which does not count
    ]
    for document in Document.objects.filter(project=project):
        assert _flags(document) == expected
    with connection.cursor() as cursor:
        ids = list(Annotation.objects.filter(project=project).values_list("id", flat=True))
        cursor.execute("SELECT credibility_link_flags_refresh(%s::bigint[])", [ids])
        assert cursor.fetchone()[0] == 0


def test_a_line_refused_by_a_rule_names_it_as_the_api_does(db):
    """An opinion attacking a hedge: the import refuses the line with the rule's sentence, writes
    nothing in atomic mode and the other lines in skip mode; the API refuses the same link alike."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    good = _chain_line(0)
    bad = json.dumps({"text": "Opinions and hedges.", "entities": _entities(["OPINION", "HEDGE"]),
                      "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "attacks"}]})  # fmt: skip
    data = f"{good}\n{bad}\n".encode()
    rule = ("This opinion span (OPINION) cannot be the source of attacks: "
            "the source must be of kind claim or evidence.")  # fmt: skip
    with pytest.raises(Exception) as refused:
        import_documents(project=project, user=manager, files=[("mixed.jsonl", data, "doccano")])
    assert refused.value.errors == {"mixed.jsonl line 2": [f"relation 1 attacks 2: {rule}"]}
    assert not Document.objects.filter(project=project).exists()
    assert not Annotation.objects.filter(project=project).exists()

    counts, rejections = import_documents(
        project=project, user=manager, files=[("mixed.jsonl", data, "doccano")], mode="skip"
    )
    assert (counts["documents"], counts["annotations"], counts["relations"], counts["rejected"]) == (
        1,
        11,
        9,
        1,
    )
    assert rejections == [
        {"file": "mixed.jsonl", "where": "line 2", "message": f"relation 1 attacks 2: {rule}"}
    ]

    document = DocumentFactory(project=project, text="Opinions and hedges.")
    opinion = AnnotationFactory(document=document, annotator=manager, start=0, end=5, label_code="OPINION")
    hedge = AnnotationFactory(document=document, annotator=manager, start=10, end=15, label_code="HEDGE")
    client = APIClient()
    client.force_authenticate(manager)
    response = client.post(
        "/api/v1/relations/", {"source": opinion.pk, "type": "attacks", "target": hedge.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"source": [rule]}
    assert not Relation.objects.filter(source=opinion).exists()


def test_statistics_refreshed_when_the_import_outgrows_them(db):
    """A table the planner thinks smaller than what the import just added is analysed (its own
    uncommitted rows counted); once the statistics cover them, it is not analysed again."""
    from annotator.interchange.bulk_sql import statistics_refresh

    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    data = ("\n".join(_chain_line(i) for i in range(40)) + "\n").encode()
    import_documents(project=project, user=manager, files=[("chains.jsonl", data, "doccano")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'documents_document'::regclass")
        assert cursor.fetchone()[0] >= 40  # the import analysed the table, its rows included
    assert statistics_refresh(Document, added=40) is False
    assert statistics_refresh(Document, added=10_000) is True
