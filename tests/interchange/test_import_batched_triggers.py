"""The importer's batched span triggers (annotations 0007, credibility 0010) leave exactly what the
row-by-row triggers leave: spans with their speakers and link flags, relations, history rows,
proposition lexeme counts and credibility dirty marks; and the set-based check refuses what the
row trigger refuses."""

from __future__ import annotations

import json
from contextlib import contextmanager
from importlib import import_module

import pytest
from django.db import IntegrityError, connection

from annotator.annotations.relation_services import relation_create
from annotator.interchange import bulk_sql, import_rows, import_writer, link_flags
from annotator.interchange.imports import IMPORT_LOCK_CLASS, import_documents
from annotator.projects.models import Role
from annotator.sources.services import speaker_get_or_create
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, RelationFactory, member
from tests.interchange.test_import_fast_path import _chain_line

pytestmark = pytest.mark.django_db

LABELS = ["CLAIM", "EVIDENCE", "HEDGE", "CLAIM", "EVIDENCE", "OPINION"]


def _line(index: int) -> str:
    """Claims, evidence, a hedge and an opinion; evidence 2 supports claim 1, claim 4 attacks
    opinion 6, hedge 3 qualifies claim 1, evidence 5 supports claim 4; claim 1 is quoted from a
    speaker (an attribution: the spans inside it are reported too)."""
    text = f"Document {index}: the minister said taxes rose by five percent last year, officials claim."
    entities = [{"id": k + 1, "label": label, "start_offset": k * 10, "end_offset": k * 10 + 6}
                for k, label in enumerate(LABELS)]  # fmt: skip
    entities[0]["end_offset"] = 40  # encloses spans 2-4
    relations = [
        {"id": 1, "from_id": 2, "to_id": 1, "type": "supports"},
        {"id": 2, "from_id": 4, "to_id": 6, "type": "attacks"},
        {"id": 3, "from_id": 3, "to_id": 1, "type": "qualifies"},
        {"id": 4, "from_id": 5, "to_id": 4, "type": "supports"},
    ]
    return json.dumps({"text": text, "entities": entities, "relations": relations})


@contextmanager
def _row_by_row():
    """The general path: the row triggers run for every span, and the relation trigger computes
    every link flag (no batched settings, no flags computed before the insert)."""

    @contextmanager
    def nothing(**kwargs):
        yield

    saved = (
        import_writer.span_triggers_batched,
        import_writer.relation_flags_precomputed,
        import_rows.link_flags,
    )
    import_writer.span_triggers_batched = nothing
    import_writer.relation_flags_precomputed = nothing
    import_rows.link_flags = lambda kinds, rejected, links: {}
    try:
        yield
    finally:
        (import_writer.span_triggers_batched, import_writer.relation_flags_precomputed,
         import_rows.link_flags) = saved  # fmt: skip


def _derived(project) -> dict:
    """Everything the triggers and the importer derive, keyed by content (ids differ)."""
    queries = {
        "spans": """SELECT d.content_hash, a.start, a."end", a.quote, a.layer, a.status, a.support_depth, a.is_supported,
                           a.is_attacked, a.is_qualified, a.speakers IS NOT NULL, cardinality(a.speakers)
                      FROM annotations_annotation a JOIN documents_document d ON d.id = a.document_id
                     WHERE a.project_id = %(p)s ORDER BY 1, 2, 3""",
        "relations": """SELECT d.content_hash, s.start, t.start, r.type, r.speaker_id IS NOT NULL, r.status
                          FROM annotations_relation r JOIN documents_document d ON d.id = r.document_id
                          JOIN annotations_annotation s ON s.id = r.source_id
                          LEFT JOIN annotations_annotation t ON t.id = r.target_id
                         WHERE r.project_id = %(p)s ORDER BY 1, 2, 3, 4""",
        "span_history": """SELECT history_type, count(*) FROM annotations_historicalannotation
                            WHERE project_id = %(p)s GROUP BY 1 ORDER BY 1""",
        "relation_history": """SELECT history_type, count(*) FROM annotations_historicalrelation
                                WHERE project_id = %(p)s GROUP BY 1 ORDER BY 1""",
        "document_history": """SELECT history_type, count(*) FROM documents_historicaldocument
                                WHERE project_id = %(p)s GROUP BY 1 ORDER BY 1""",
        "lexemes": "SELECT lexeme, sum(spans) FROM propositions_lexemecount WHERE project_id = %(p)s GROUP BY 1",
        "dirty": "SELECT kind, entity_id FROM credibility_scoredirty WHERE project_id = %(p)s ORDER BY 1, 2",
        "assignments": "SELECT state, count(*) FROM reviews_assignment WHERE project_id = %(p)s GROUP BY 1",
    }
    with connection.cursor() as cursor:
        result = {}
        for name, sql in queries.items():
            cursor.execute(sql, {"p": project.pk})
            result[name] = sorted(cursor.fetchall(), key=repr)
    return result


def test_batched_import_derives_exactly_what_the_row_triggers_derive(django_capture_on_commit_callbacks):
    # Chains past the depth bound too (test_import_fast_path): the flags the importer computes
    # must be the relation trigger's, which computes them itself on the general path.
    lines = [_line(i) for i in range(12)] + [_chain_line(i) for i in range(3)]
    data = ("\n".join(lines) + "\n").encode()
    results = []
    for batched in (True, False):
        project = ProjectFactory()
        manager = member(project, Role.MANAGER)
        with django_capture_on_commit_callbacks(execute=True):
            if batched:
                import_documents(project=project, user=manager, files=[("a.jsonl", data, "doccano")])
            else:
                with _row_by_row():
                    import_documents(project=project, user=manager, files=[("a.jsonl", data, "doccano")])
        results.append(_derived(project))
    batched, general = results
    assert len(batched["spans"]) == 72 + 33 and len(batched["relations"]) == 48 + 27
    assert batched["lexemes"] and batched["span_history"] == [("+", 105)]
    assert sum(row[7] for row in batched["spans"]) == 12 * 2 + 3 * 5  # supported: claims 1, 4; chain 2-6
    assert batched == general


def test_batched_import_into_known_documents_keeps_the_speakers_trigger(django_capture_on_commit_callbacks):
    """A known text (matched by hash) gets the file's spans with the speakers' trigger on: a new span
    inside a stored attributed quotation is reported, exactly as row by row."""
    results = []
    for batched in (True, False):
        project = ProjectFactory()
        manager = member(project, Role.MANAGER)
        document = DocumentFactory(project=project, text="He said: taxes rose by five percent last year.")
        quote = AnnotationFactory(document=document, annotator=manager, start=9, end=46)
        speaker, _ = speaker_get_or_create(name="A Minister", kind="person")
        relation_create(source=quote, type="attributed_to", speaker=speaker)
        line = json.dumps({"text": document.text, "entities": [
            {"id": 1, "label": "EVIDENCE", "start_offset": 9, "end_offset": 14}]})  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            if batched:
                import_documents(project=project, user=manager, files=[("k.jsonl", line.encode(), "doccano")])
            else:
                with _row_by_row():
                    import_documents(
                        project=project, user=manager, files=[("k.jsonl", line.encode(), "doccano")]
                    )
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT start, cardinality(speakers) FROM annotations_annotation WHERE document_id = %s ORDER BY start, "end"',
                [document.pk],
            )
            results.append(cursor.fetchall())
    assert results[0] == results[1] == [(9, 1), (9, 1)]


def test_the_set_based_check_refuses_what_the_row_trigger_refuses(db):
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    document = DocumentFactory(project=project, text="Short text.")
    span = AnnotationFactory(document=document, annotator=manager, start=0, end=5)
    bulk_sql.spans_check([span.pk])  # a good span passes
    with connection.cursor() as cursor, bulk_sql.span_triggers_batched(new_documents=False):
        cursor.execute("UPDATE annotations_annotation SET quote = 'Wrong' WHERE id = %s", [span.pk])
    with pytest.raises(IntegrityError, match="annotation_quote_matches: quote differs from the text at 0-5"):
        bulk_sql.spans_check([span.pk])
    # The row trigger, once the setting is unset again.
    with pytest.raises(IntegrityError, match="annotation_quote_matches"), connection.cursor() as cursor:
        cursor.execute("UPDATE annotations_annotation SET quote = 'Wrong' WHERE id = %s", [span.pk])


def test_the_set_based_check_names_a_span_past_the_text_before_a_wrong_quote(db):
    """One pass reads both document checks: a span past the end of the text is named first, as the
    row trigger checks it first, even when another span's quote is wrong too."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    document = DocumentFactory(project=project, text="Short text.")
    wrong = AnnotationFactory(document=document, annotator=manager, start=0, end=5)
    past = AnnotationFactory(document=document, annotator=manager, start=6, end=11)
    with connection.cursor() as cursor, bulk_sql.span_triggers_batched(new_documents=False):
        cursor.execute("UPDATE annotations_annotation SET quote = 'Wrong' WHERE id = %s", [wrong.pk])
        cursor.execute(
            "UPDATE annotations_annotation SET \"end\" = 12, quote = 'text.!' WHERE id = %s", [past.pk]
        )
    with pytest.raises(
        IntegrityError,
        match=f"annotation_within_text: span 6-12 runs past the end of document {document.pk} \\(11 code points\\)",
    ):
        bulk_sql.spans_check([wrong.pk, past.pk])


def _supported(span) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_supported FROM annotations_annotation WHERE id = %s", [span.pk])
        return cursor.fetchone()[0]


def test_only_the_precomputed_setting_skips_the_relation_trigger(db):
    """Under relation_flags_precomputed the link-flag trigger leaves the target alone (the writer
    stored the flags); once unset, the next link refreshes it as ever."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    document = DocumentFactory(project=project, text="Taxes rose. The data show it.")
    claim = AnnotationFactory(document=document, annotator=manager, start=0, end=5, label_code="CLAIM")
    evidence = AnnotationFactory(
        document=document, annotator=manager, start=12, end=20, label_code="EVIDENCE"
    )
    with bulk_sql.relation_flags_precomputed():
        link = RelationFactory(source=evidence, target=claim, type="supports")
    assert not _supported(claim)
    link.delete()
    RelationFactory(source=evidence, target=claim, type="supports")
    assert _supported(claim)


def test_the_importers_flag_lock_is_the_one_label_kind_changes_take():
    """A kind change takes credibility 0004's lock exclusively; the importer holds that lock."""
    migration = import_module("annotator.credibility.migrations.0004_span_link_flags")
    assert link_flags.FLAG_LOCK_CLASS == migration.FLAG_LOCK_CLASS == 0x5C0F


def test_an_import_holds_its_own_lock_and_the_flag_lock_shared_to_its_commit():
    """Both advisory locks are taken in one statement: the import's exclusively, the flag lock
    shared (so a label kind change waits for the import's commit and then refreshes its links)."""
    project = ProjectFactory()
    manager = member(project, Role.MANAGER)
    import_documents(project=project, user=manager, files=[("k.jsonl", _line(0).encode(), "doccano")])
    with connection.cursor() as cursor:  # the test's transaction is still open: so are the locks
        cursor.execute(
            "SELECT classid::int, objid::int, mode FROM pg_locks"
            " WHERE locktype = 'advisory' AND pid = pg_backend_pid() ORDER BY classid",
        )
        held = cursor.fetchall()
    assert held == sorted(
        [
            (link_flags.FLAG_LOCK_CLASS, project.pk, "ShareLock"),
            (IMPORT_LOCK_CLASS, project.pk, "ExclusiveLock"),
        ]
    )
