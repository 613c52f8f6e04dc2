"""The workspace body written by PostgreSQL: one statement, one JSON text, no Python per row.

Opening a document took eleven ORM queries (assignment, project, labels and their
subtypes, authors, annotators, spans, relations, speakers, ...) and a JSON encode of
750 dicts in Python: 30 ms at p50 for 500 spans and 250 relations, two thirds of it
Python building SQL and rows. Here every part is a subquery of one prepared statement
that returns the finished body (json_build_object / json_agg), and the view sends it as
is. Shapes and orderings are those of the serializers in workspace.py and
representations.py (ANNOTATION_FIELDS, RELATION_FIELDS; timestamps as IsoTimestamp
writes them); tests/api/test_workspace_endpoints.py compares them.
"""

# Names come from model meta and the field tuples; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model

from annotator.annotations.models import Annotation, Relation
from annotator.core.db import prepared_cursor
from annotator.reviews.services import EDITABLE_STATES
from api.representations import _FOREIGN_KEYS, ANNOTATION_FIELDS, RELATION_FIELDS

_TIMESTAMP = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


def _object(fields, alias: str) -> str:
    """json_build_object of a row's API fields, as the serializers name and format them."""
    parts = []
    for name in fields:
        column = f'{alias}."{name}_id"' if name in _FOREIGN_KEYS else f'{alias}."{name}"'
        if name in ("created_at", "updated_at"):
            column = _TIMESTAMP.format(column)
        parts.append(f"'{name}', {column}")
    return f"json_build_object({', '.join(parts)})"


@cache
def _statement() -> str:
    spans, links = Annotation._meta.db_table, Relation._meta.db_table
    users = get_user_model()._meta.db_table
    layer_rows = "document_id = d.id AND layer = %(layer)s AND (%(annotator)s::bigint IS NULL OR annotator_id = %(annotator)s::bigint)"
    return f"""
    SELECT json_build_object(
      'document', json_build_object(
        'id', d.id, 'project', d.project_id, 'title', d.title, 'text', d.text, 'char_count', d.char_count,
        'word_count', d.word_count, 'url', d.url, 'published_on', d.published_on,
        'source', (SELECT json_build_object('id', s.id, 'name', s.name) FROM sources_source s WHERE s.id = d.source_id),
        'authors', COALESCE((SELECT json_agg(json_build_object('id', au.id, 'name', au.name) ORDER BY au.name, au.id)
                             FROM documents_document_authors da JOIN sources_author au ON au.id = da.author_id
                             WHERE da.document_id = d.id), '[]'),
        'language', d.language),
      'project', json_build_object('id', p.id, 'name', p.name, 'role', %(role)s::text),
      'labels', COALESCE((
        SELECT json_agg(json_build_object(
          'id', l.id, 'code', l.code, 'name', l.name, 'kind', l.kind, 'color', l.color, 'shortcut', l.shortcut,
          'is_active', l.is_active,
          'subtypes', COALESCE((SELECT json_agg(json_build_object('id', st.id, 'code', st.code, 'name', st.name,
                                                                  'is_active', st.is_active) ORDER BY st.position, st.code)
                                FROM projects_labelsubtype st WHERE st.label_id = l.id), '[]')
        ) ORDER BY l.position, l.code)
        FROM projects_label l WHERE l.project_id = d.project_id), '[]'),
      'layer', json_build_object(
        'annotator', CASE WHEN %(annotator)s::bigint IS NULL THEN NULL
                          ELSE json_build_object('id', %(annotator)s::bigint, 'username', %(username)s::text) END,
        'layer', %(layer)s::text,
        'read_only', CASE WHEN %(annotator)s::bigint IS NULL THEN false
                          ELSE %(annotator)s::bigint <> %(user)s::bigint
                               OR COALESCE(NOT a.state = ANY(%(editable)s::text[]), false) END,
        'assignment', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
          'id', a.id, 'state', a.state, 'reason', a.reason, 'version', a.version) END),
      'annotators', COALESCE((
        SELECT json_agg(json_build_object('id', u.id, 'username', u.username, 'state', x.state) ORDER BY u.username)
        FROM reviews_assignment x JOIN {users} u ON u.id = x.annotator_id
        WHERE x.document_id = d.id AND (NOT %(only_caller)s::boolean OR x.annotator_id = %(user)s::bigint)),
        CASE WHEN %(only_caller)s::boolean
             THEN json_build_array(json_build_object('id', %(user)s::bigint, 'username', %(caller)s::text, 'state', NULL))
             ELSE '[]' END),
      'annotations', COALESCE((SELECT json_agg({_object(ANNOTATION_FIELDS, "sp")} ORDER BY sp.start, sp."end", sp.id)
                               FROM {spans} sp WHERE {layer_rows}), '[]'),
      'relations', COALESCE((SELECT json_agg({_object(RELATION_FIELDS, "rl")} ORDER BY rl.id)
                             FROM {links} rl WHERE {layer_rows}), '[]'),
      -- Speakers already used in the project, for reuse in the picker.
      'speakers', COALESCE((SELECT json_agg(json_build_object('id', sk.id, 'name', sk.name, 'kind', sk.kind)
                                            ORDER BY sk.name, sk.id)
                            FROM sources_speaker sk
                            WHERE EXISTS (SELECT 1 FROM {links} used WHERE used.project_id = d.project_id
                                          AND used.speaker_id = sk.id)), '[]')
    )::text
    FROM documents_document d
    JOIN projects_project p ON p.id = d.project_id
    LEFT JOIN reviews_assignment a ON a.document_id = d.id AND a.annotator_id = %(annotator)s::bigint
    WHERE d.id = %(document)s::bigint
    """


def workspace_json(
    *, document_id: int, user_id: int, caller: str, role: str, layer: str, annotator: tuple[int, str] | None,
    only_caller: bool,
) -> str:  # fmt: skip
    """The workspace body for ``layer`` of ``annotator`` (id, username; None: the gold layer).
    ``only_caller``: list only the caller among the document's annotators (annotators' view)."""
    params = {
        "document": document_id, "user": user_id, "caller": caller, "role": role, "layer": layer,
        "annotator": annotator[0] if annotator else None, "username": annotator[1] if annotator else None,
        "editable": sorted(EDITABLE_STATES), "only_caller": only_caller,
    }  # fmt: skip
    with prepared_cursor() as cursor:
        cursor.execute(_statement(), params)
        return cursor.fetchone()[0]
