"""Fast inserts for imports: COPY of row tuples built straight from the parsed documents,
history rows written by SQL.

Django's bulk_create spends most of an import building and preparing model
instances (about 140 µs a row, history rows included). Here the importer builds
one plain tuple per row (only the columns it knows; ``rows_copy`` appends the
constant defaults of the others), psycopg's C row writer formats it for COPY, and
the "+" history rows are written by one INSERT ... SELECT from the stored rows:
no dict or model instance per row, no second copy of the rows over the wire.
Row triggers and constraints still run, so the database checks every rule it
checks for ordinary inserts, and imported rows have the same audit trail as any
other. Call inside the import's transaction.
"""

# Table and column names come from model meta; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache

from django.db import IntegrityError, connection
from django.db.models import JSONField
from django.utils import timezone

from annotator.core.db import prepared_cursor


@cache
def _sequence_sql(table: str) -> str:
    # The sequence looked up once (pg_get_serial_sequence per generated row cost a catalog
    # lookup each: about 30 µs a row, 0.6 s of a 28,000-row import on a busy host). OFFSET 0
    # keeps the planner from pulling the one-row subquery up into the join, which put the
    # lookup back into every row: 20,000 ids 47 -> 6 ms of PostgreSQL.
    return (
        f"SELECT array_agg(nextval(s.seq)) FROM (SELECT pg_get_serial_sequence('{table}', 'id')::regclass"
        " AS seq OFFSET 0) s, generate_series(1, %s)"
    )


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids from the table's sequence (one array, one round trip)."""
    if count == 0:
        return []
    with prepared_cursor() as cursor:
        cursor.execute(_sequence_sql(model._meta.db_table), [count])
        return cursor.fetchone()[0]


def id_array(ids: list[int]) -> str:
    """``ids`` as a PostgreSQL array literal, for a ``%s::bigint[]`` parameter: one join in C,
    where psycopg dumps a list element by element in Python (docs/performance.md)."""
    return "{" + ",".join(map(str, ids)) + "}"


def _default(field, now):
    """A field the caller leaves out: ``created_at``/``updated_at`` now, else the model default
    (JSON as text, as COPY takes it)."""
    if field.attname in ("created_at", "updated_at"):
        return now
    value = field.get_default()
    return json.dumps(value) if isinstance(field, JSONField) and value is not None else value


def rows_copy(
    model,
    names: Sequence[str],
    rows: Iterable[tuple],
    *,
    ids: list[int],
    user=None,
    extra: Sequence[str] = (),
) -> int:
    """COPY one row per tuple of ``rows`` with the id of the same position in ``ids``.

    Each tuple holds the values of the fields named (by attname) in ``names``, then of the
    database-only columns in ``extra`` (e.g. the link flags of spans); JSON values as JSON
    text. Every other field takes its default. Then the "+" history rows, in SQL from the
    stored rows. Returns the count. ``rows`` may be a generator, but one that queries nothing:
    the connection is busy with the COPY while it runs. ``ids`` may be longer than ``rows``
    (reserved for the most rows a generator can give): the rows take the first ids, in order.
    """
    if not ids:
        return 0
    now = timezone.now()
    given = set(names)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
    # The timestamps as the text COPY reads, formatted once: psycopg dumping the same datetime
    # twice per row was 60% of formatting a span row (20,000 rows: 0.06-0.08 s -> 0.025-0.03 s).
    tail = tuple(_default(f, now.isoformat()) for f in rest)
    quote = connection.ops.quote_name
    columns = [fields["id"].column, *(fields[n].column for n in names), *extra, *(f.column for f in rest)]
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        ) as copy:
            write = copy.write_row
            rows = iter(rows)
            for pk, row in zip(ids, rows):  # noqa: B905 - ids may be spare; more rows are refused below
                write((pk, *row, *tail))
                count += 1
            if next(rows, None) is not None:
                raise ValueError(f"rows_copy: more {model.__name__} rows than the {len(ids)} ids given")
        if getattr(model, "history", None) is not None and count:
            cursor.execute(
                _history_sql(model),
                {"ids": id_array(ids[:count]), "now": now, "user": getattr(user, "pk", None)},
            )
    return count


@cache
def _history_sql(model) -> str:
    quote = connection.ops.quote_name
    hmodel = model.history.model
    extra = {"history_date": "%(now)s", "history_change_reason": "NULL", "history_type": "'+'",
             "history_user_id": "%(user)s"}  # fmt: skip
    hcolumns = [f.column for f in hmodel._meta.concrete_fields if f.attname != "history_id"]
    values = ", ".join(extra.get(c) or f"t.{quote(c)}" for c in hcolumns)
    return (
        f"INSERT INTO {quote(hmodel._meta.db_table)} ({', '.join(quote(c) for c in hcolumns)})"
        # One primary-key probe per id (OFFSET 0 keeps the LATERAL from being flattened): right
        # after a bulk load the table's statistics are stale, and the planner chose a scan of
        # the whole table (585,000 spans for 5,000 ids on a test database).
        f" SELECT {values} FROM unnest(%(ids)s::bigint[]) AS u(id),"
        f" LATERAL (SELECT * FROM {quote(model._meta.db_table)} s WHERE s.id = u.id OFFSET 0) t"
    )


def statistics_refresh(model, *, added: int) -> bool:
    """ANALYZE the model's table when the planner believes it holds fewer rows than this
    transaction has just added to it: a new or small installation's first big import.

    Foreign-key checks and trigger statements are planned once per connection and kept. Planned
    against a near-empty table, the span -> document check chose the index on ``project_id``
    (same estimated cost as the primary key for a table "of 10 rows") and then walked every
    document of the project for each span: quadratic, 5,000 spans took 1 s, then 3 s as the
    project grew. ANALYZE counts this transaction's own new rows and invalidates those plans.
    SKIP_LOCKED: a concurrent import analysing the same table is not waited for (the lock is
    held to the end of the transaction). Returns whether it ran.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        if cursor.fetchone()[0] >= added:
            return False
        cursor.execute(f"ANALYZE (SKIP_LOCKED) {connection.ops.quote_name(table)}")
    return True


def _array_type(field) -> str:
    return "text" if isinstance(field, JSONField) else field.cast_db_type(connection)


@cache
def _upsert_sql(model, given: tuple[str, ...], conflict: str) -> tuple[str, list]:
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [f for f in model._meta.concrete_fields if f.attname not in given and not f.primary_key]
    unnest = ", ".join(f"%(c{i})s::{_array_type(fields[n])}[]" for i, n in enumerate(given))
    select = [f"u.c{i}" for i in range(len(given))]
    select += [f"%({f.attname})s::{f.cast_db_type(connection)}" for f in rest]
    columns = ", ".join(quote(c) for c in [*(fields[n].column for n in given), *(f.column for f in rest)])
    aliases = ", ".join(f"c{i}" for i in range(len(given)))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {', '.join(select)}"
        f" FROM unnest({unnest}) AS u({aliases}) ON CONFLICT {conflict}"
    )
    return sql, rest


def _array_param(values: list):
    """Whole numbers as one array literal (id_array: psycopg dumped them one by one in Python,
    most of an import's assignment upsert), anything else as the list."""
    return id_array(values) if all(type(value) is int for value in values) else values


def columns_upsert(model, columns: dict[str, list], *, conflict: str = "DO NOTHING") -> int:
    """INSERT ... SELECT FROM unnest(arrays) ON CONFLICT ``conflict``, for rows that may exist
    already (no history rows: as bulk_create, which writes none either). ``columns`` by
    attname, equally long lists; other fields take their defaults. Returns the count."""
    count = len(next(iter(columns.values()), []))
    if count == 0:
        return 0
    sql, rest = _upsert_sql(model, tuple(columns), conflict)
    now = timezone.now()
    params = {f"c{i}": _array_param(values) for i, values in enumerate(columns.values())}
    params.update({f.attname: _default(f, now) for f in rest})
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
    return count


@contextmanager
def _transaction_settings(settings: dict[str, str]) -> Iterator[None]:
    """The ``assay.*`` settings for the statements inside, unset after them."""
    names = list(settings)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(n, v, true) FROM unnest(%s::text[], %s::text[]) AS u(n, v)",
            [names, list(settings.values())],
        )
    yield
    # Not on an error: the transaction is aborted then, and its LOCAL settings go with it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(n, '', true) FROM unnest(%s::text[]) AS n", [names])


def span_triggers_batched(*, new_documents: bool):
    """Span COPYs inside skip the per-row span checks (annotations migration 0007), which
    ``spans_check`` then runs once over the rows written; with ``new_documents`` (every span
    is in a document this transaction created, none of whose relations exist yet) also the
    speakers' span trigger, which can find nothing there (credibility migration 0010)."""
    return _transaction_settings(
        {
            "assay.span_row_checks": "batch",
            **({"assay.spans_in_new_documents": "on"} if new_documents else {}),
        }
    )


def relation_flags_precomputed():
    """Relation COPYs inside skip the link-flag trigger (credibility migration 0012). Only for
    links whose both ends are spans this transaction created in documents it created, stored
    with the flags ``link_flags`` computes, under the project's flag lock taken shared before
    the label kinds were read (``link_flags.flag_lock_shared``)."""
    return _transaction_settings({"assay.relation_flags_precomputed": "on"})


# The checks of annotations_check_span and annotation_one_gold_layer, over a set of new spans;
# the first broken rule's message, as the row trigger words it. The spans are read by one
# primary-key probe each (as _history_sql: on the stale statistics of a bulk load, ``id = ANY``
# scanned the whole table), and both document checks read each span's document in one pass,
# the text check's message first.
_SPANS_CHECK = """
WITH s AS (SELECT a.* FROM unnest(%(ids)s::bigint[]) AS u(id),
             LATERAL (SELECT a.id, a.document_id, a.annotator_id, a.layer, a.start, a."end", a.quote
                        FROM annotations_annotation a WHERE a.id = u.id OFFSET 0) a)
SELECT COALESCE(
  (SELECT CASE WHEN s."end" > d.char_count
               THEN format('annotation_within_text: span %%s-%%s runs past the end of document %%s (%%s code points)',
                           s.start, s."end", s.document_id, d.char_count)
               ELSE format('annotation_quote_matches: quote differs from the text at %%s-%%s of document %%s',
                           s.start, s."end", s.document_id) END
     FROM s JOIN documents_document d ON d.id = s.document_id
    WHERE s."end" > d.char_count OR s.quote IS DISTINCT FROM substr(d.text, s.start + 1, s."end" - s.start)
    ORDER BY s."end" > d.char_count DESC LIMIT 1),
  (SELECT format('annotation_one_gold_layer: document %%s already has a gold layer (stored under user %%s)',
                 s.document_id, g.annotator_id)
     FROM s JOIN annotations_annotation g ON g.document_id = s.document_id AND g.layer = 'gold'
      AND g.annotator_id <> s.annotator_id
    WHERE s.layer = 'gold' LIMIT 1))
"""


def spans_check(ids: list[int]) -> None:
    """Raise IntegrityError (as the row triggers would) if a span of ``ids`` breaks a rule."""
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_SPANS_CHECK, {"ids": id_array(ids)})
        problem = cursor.fetchone()[0]
    if problem is not None:
        raise IntegrityError(problem)
