"""One statement that checks and stores a new relation with its history row and dirty marks.

Through the general path a relation POST costs about ten round trips: the source
span with its project check, the caller's role, the target span with its check,
the speaker, the layer's review state, a duplicate check, BEGIN, the INSERT,
simple-history's INSERT, COMMIT and an after-commit statement marking credibility
scores dirty (13.8 ms of web CPU and 5.5 ms of PostgreSQL per relation, against
2.6 + 0.9 ms for a span). Here every check is a named predicate (RULES) evaluated
in one statement over the two spans, and the insert, its "+" history row and the
marks are data-modifying CTEs that run only when every predicate holds: one
round trip, one commit, prepared after a few calls (annotator/core/db.py).

The statement only decides whether to write. When a rule refuses, nothing is
written and the caller takes the general path (api/relations.py), which names
the rule with its usual status and message; a rule enforced here but not there,
or there but not here, fails tests/api/test_relation_write_path.py. The database
constraints (composite foreign keys to both ends' layer, the unique links, the
type/endpoint check) stay the backstop: ON CONFLICT DO NOTHING turns a duplicate
racing past the NOT EXISTS into "nothing written", which the general path then
reports as a duplicate.

Nothing else listens to Relation's post_save except simple-history and
annotations' change hook (annotations/receivers.py, hooks.py), both done here (inside
a caller's transaction the service calls hooks.changed instead, so marker rows are
never locked longer than one statement runs).
"""

# Table and column names come from model meta and predicates from RULES; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection

from annotator.annotations import hooks
from annotator.annotations.models import Annotation, Layer, Relation, RelationType
from annotator.annotations.rules import RELATION_ENDS
from annotator.annotations.span_sql import history_user_id
from annotator.core.db import model_from_row, prepared_cursor
from annotator.projects.models import Label, Role


def _ends_sql(alias: str, side: int) -> str:
    """Whether ``alias``'s label kind may stand at this end (0 source, 1 target) of the link, by
    annotations/rules.py (type and kind names are the models' constants, not input)."""
    cases = []
    for type, ends in RELATION_ENDS.items():
        kinds = ends[side]
        allowed = (
            "true" if kinds is None else f"{alias}.kind IN ({', '.join(repr(str(k)) for k in sorted(kinds))})"
        )
        cases.append(f"WHEN '{type}' THEN {allowed}")
    return f"CASE %(type)s::text {' '.join(cases)} ELSE false END"


# Every rule of relation creation as the API applies it, in the order the general path
# checks them (the first one that fails is the error the caller sees). ``src`` and ``tgt``
# are the named spans (NULL columns when missing), with ``role`` the caller's role in the
# source's project and ``visible`` whether the caller may see the target's project.
RULES: dict[str, str] = {
    # api/relations.py span_for_field(source): 404 outside the caller's projects.
    "source_visible": "src.role IS NOT NULL",
    # annotator/access.py layer_assert_writable: your own annotator layer, or gold as reviewer+.
    "layer_writable": (
        "CASE WHEN src.layer = %(gold)s THEN src.role = ANY(%(review_roles)s::text[])"
        " ELSE src.annotator_id = %(user)s::bigint END"
    ),
    # span_for_field(target): 404 outside the caller's projects.
    "target_visible": "%(target)s::bigint IS NULL OR tgt.visible",
    # speaker_for_field: 400 for an unknown speaker.
    "speaker_exists": (
        "%(speaker)s::bigint IS NULL OR EXISTS (SELECT 1 FROM sources_speaker sp WHERE sp.id = %(speaker)s::bigint)"
    ),
    # annotations/services.py _check_relation.
    "type_known": "%(type)s::text = ANY(%(types)s::text[])",
    "speaker_given": "%(type)s::text <> %(attributed)s OR %(speaker)s::bigint IS NOT NULL",
    "target_given": "%(type)s::text = %(attributed)s OR %(target)s::bigint IS NOT NULL",
    "speaker_only_attributed": "%(type)s::text = %(attributed)s OR %(speaker)s::bigint IS NULL",
    "not_self": "%(target)s::bigint IS NULL OR %(target)s::bigint <> %(source)s::bigint",
    "same_document": "%(target)s::bigint IS NULL OR tgt.document_id = src.document_id",
    "same_layer": "%(target)s::bigint IS NULL OR (tgt.annotator_id = src.annotator_id AND tgt.layer = src.layer)",
    # annotations/rules.py RELATION_ENDS: links whose ends can never count are refused.
    "source_kind_fits": _ends_sql("src", 0),
    "target_kind_fits": "%(target)s::bigint IS NULL OR " + _ends_sql("tgt", 1),
    # The layer guard's assert_editable (hooks.py; reviews): a submitted or approved layer is read-only.
    "layer_editable": (
        "src.layer <> %(annotator_layer)s OR NOT EXISTS (SELECT 1 FROM reviews_assignment ra"
        " WHERE ra.document_id = src.document_id AND ra.annotator_id = src.annotator_id"
        " AND NOT ra.state = ANY(%(editable_states)s::text[]))"
    ),
    # relation_create's duplicate check: the keys of the two unique constraints.
    "not_duplicate": (
        "NOT EXISTS (SELECT 1 FROM annotations_relation r WHERE r.source_id = %(source)s::bigint"
        " AND r.type = %(type)s::text AND CASE WHEN %(target)s::bigint IS NULL"
        " THEN r.target_id IS NULL AND r.speaker_id = %(speaker)s::bigint"
        " ELSE r.target_id = %(target)s::bigint END)"
    ),
}

# Columns the statement takes from the source span rather than from the caller.
_FROM_SOURCE = {"project_id", "document_id", "annotator_id", "layer"}


@dataclass(frozen=True)
class Outcome:
    relation: Relation | None  # None: nothing written (a rule refused, or a duplicate raced in)
    refused: tuple[str, ...]  # the RULES that failed, in RULES order
    scheduled: bool  # the marks queued the project's recompute: enqueue it after commit


@cache
def _statement(*, marks: bool) -> tuple[str, list[str], list[str]]:
    """The SQL, the attnames whose values it takes from the unsaved relation, and the attnames
    of the relation columns it returns (in order)."""
    quote = connection.ops.quote_name
    table = quote(Relation._meta.db_table)
    fields = [f for f in Relation._meta.concrete_fields if not f.primary_key]
    given = [f for f in fields if f.attname not in _FROM_SOURCE]
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(
        f"v.{f.attname}" if f.attname in _FROM_SOURCE else f"%({f.attname})s::{f.cast_db_type(connection)}"
        for f in fields
    )
    returned = [f.column for f in Relation._meta.concrete_fields]
    history = Relation.history.model
    user_type = history._meta.get_field("history_user").cast_db_type(connection)
    extra = {
        "history_date": "%(history_date)s::timestamptz",
        "history_change_reason": "NULL",
        "history_type": "'+'",
        "history_user_id": f"%(history_user_id)s::{user_type}",
    }
    history_columns = [f.column for f in history._meta.concrete_fields if f.attname != "history_id"]
    unknown = set(history_columns) - set(returned) - set(extra)
    assert not unknown, f"history columns with no source: {unknown}"  # noqa: S101 - a model change
    history_values = ", ".join(extra.get(c) or f"rel.{quote(c)}" for c in history_columns)
    spans = quote(Annotation._meta.db_table)
    kind = f"(SELECT l.kind FROM {quote(Label._meta.db_table)} l WHERE l.id = a.label_id) AS kind"
    refusals = ", ".join(f"CASE WHEN ({sql}) IS NOT TRUE THEN '{name}' END" for name, sql in RULES.items())
    ctes = [
        # The caller's role in the source's project (superusers act as managers).
        f"src AS (SELECT a.id, a.project_id, a.document_id, a.annotator_id, a.layer, {kind},"
        f" CASE WHEN %(superuser)s::boolean THEN %(manager)s::text ELSE (SELECT m.role FROM projects_membership m"
        f" WHERE m.project_id = a.project_id AND m.user_id = %(user)s::bigint AND m.is_active LIMIT 1) END AS role"
        f" FROM {spans} a WHERE a.id = %(source)s::bigint)",
        f"tgt AS (SELECT a.document_id, a.annotator_id, a.layer, {kind},"
        f" %(superuser)s::boolean OR EXISTS (SELECT 1 FROM projects_membership m WHERE m.project_id = a.project_id"
        f" AND m.user_id = %(user)s::bigint AND m.is_active) AS visible"
        f" FROM {spans} a WHERE a.id = %(target)s::bigint)",
        # One row whatever is missing, so the refusals are always reported.
        "v AS (SELECT src.project_id, src.document_id, src.annotator_id, src.layer,"
        f" array_remove(ARRAY[{refusals}]::text[], NULL) AS refused"
        " FROM (VALUES (1)) one(x) LEFT JOIN src ON true LEFT JOIN tgt ON true)",
        f"rel AS (INSERT INTO {table} ({columns}) SELECT {values} FROM v WHERE cardinality(v.refused) = 0"
        f" ON CONFLICT DO NOTHING RETURNING {', '.join(quote(c) for c in returned)})",
        f"history AS (INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(c) for c in history_columns)})"
        f" SELECT {history_values} FROM rel)",
    ]
    if marks:
        # As receivers.py reports a saved relation: its document, and the speaker of an attribution.
        ctes.append("live AS (SELECT project_id AS id FROM rel)")
        keys = (
            "(SELECT %(mark_document)s::text, document_id FROM rel UNION ALL"
            " SELECT %(mark_speaker)s::text, speaker_id FROM rel"
            " WHERE type = %(attributed)s AND speaker_id IS NOT NULL) AS t(k, e)"
        )
        ctes.append(hooks.statement_ctes(keys))
    scheduled = "EXISTS (SELECT 1 FROM scheduled)" if marks else "false"
    outputs = ", ".join(f"rel.{quote(c)}" for c in returned)
    sql = f"WITH {', '.join(ctes)} SELECT {outputs}, v.refused, {scheduled} FROM v LEFT JOIN rel ON true"
    attnames = [f.attname for f in Relation._meta.concrete_fields]
    return sql, [f.attname for f in given], attnames


def relation_insert_checked(
    *,
    user,
    source_id: int,
    type: str,
    target_id: int | None,
    speaker_id: int | None,
    note: str,
    now: datetime,
    marks: bool,
) -> Outcome:
    """Check every RULE for ``user`` creating this relation and, when all hold, insert it with
    its history row (and, with ``marks``, its change marks) in one statement.

    ``marks`` only when the statement is its own transaction (see the module docstring).
    """
    sql, attnames, returned = _statement(marks=marks)
    relation = Relation(
        source_id=source_id, target_id=target_id, speaker_id=speaker_id, type=type, note=note,
        created_at=now, updated_at=now,
    )  # fmt: skip
    params = {name: getattr(relation, name) for name in attnames}
    params.update(
        user=user.pk,
        superuser=bool(user.is_superuser),
        source=source_id,
        target=target_id,
        speaker=speaker_id,
        types=RelationType.values,
        attributed=RelationType.ATTRIBUTED_TO,
        gold=Layer.GOLD,
        annotator_layer=Layer.ANNOTATOR,
        manager=Role.MANAGER,
        review_roles=[Role.REVIEWER, Role.MANAGER],
        editable_states=sorted(hooks.layer_guard().editable_states),
        history_date=now,
        history_user_id=history_user_id(relation),
    )
    if marks:
        params.update(hooks.statement_params() or {})
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    count = len(returned)
    refused, scheduled = tuple(row[count]), row[count + 1]
    if row[0] is None:
        return Outcome(relation=None, refused=refused, scheduled=False)
    return Outcome(relation=model_from_row(Relation, returned, row[:count]), refused=(), scheduled=scheduled)
