"""Fast inserts for imports: rows sent with COPY from column lists, history rows written by SQL.

Django's bulk_create spends most of an import building and preparing model
instances (about 140 µs a row, history rows included). Here the importer keeps
each column as a plain list; ``columns_copy`` zips them into tuples (in C) for
COPY and then writes the "+" history rows with one INSERT ... SELECT from the
stored rows: no per-row Python object of ours, no second copy of the rows over
the wire (the earlier version built a dict and a COPY tuple per row, and the
history rows again: 70% of an import's Python time). Row triggers and
constraints still run, so the database checks every rule it checks for ordinary
inserts, and imported rows have the same audit trail as any other. Call inside
the import's transaction.
"""

# Table and column names come from model meta; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from functools import cache
from itertools import repeat

from django.db import connection
from django.db.models import JSONField
from django.utils import timezone

from annotator.core.db import prepared_cursor


def reserve_ids(model, count: int) -> list[int]:
    """``count`` new ids from the table's sequence (one array, one round trip)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return cursor.fetchone()[0]


def _array_type(field) -> str:
    return "text" if isinstance(field, JSONField) else field.cast_db_type(connection)


def _defaults(fields, now) -> dict:
    """Values for fields the caller leaves out: ``created_at``/``updated_at`` now, else the
    model default, or "" for text fields that allow blanks, else None."""
    return {f.attname: now if f.attname in ("created_at", "updated_at") else f.get_default() for f in fields}


def columns_copy(model, columns: dict[str, list], *, user=None) -> int:
    """COPY one row per position of the equally long lists in ``columns`` (by field attname;
    other fields take their defaults), then write their "+" history rows in SQL from the
    stored rows (models with history must be given their ``id`` column). Returns the count."""
    count = len(next(iter(columns.values()), []))
    if count == 0:
        return 0
    if any(len(values) != count for values in columns.values()):
        raise ValueError(f"columns of unequal length for {model.__name__}")
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if f.attname in columns or not f.primary_key]
    defaults = _defaults(fields, now)
    sources = []
    for field in fields:
        values = columns.get(field.attname)
        if values is None:
            value = defaults[field.attname]
            values = repeat(json.dumps(value) if isinstance(field, JSONField) else value, count)
        elif isinstance(field, JSONField):
            values = [None if v is None else json.dumps(v) for v in values]
        sources.append(values)
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            # Tuples built in C (constant columns repeat), formatted by psycopg's C row writer.
            for row in zip(*sources, strict=False):
                copy.write_row(row)
        if getattr(model, "history", None) is not None:
            cursor.execute(
                _history_sql(model), {"ids": columns["id"], "now": now, "user": getattr(user, "pk", None)}
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


@cache
def _insert_sql(model, given: frozenset[str], conflict: str) -> tuple[str, list, list]:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
    arrays = [f for f in fields if f.attname in given]
    scalars = [f for f in fields if f.attname not in given]
    unnest = ", ".join(f"%({f.attname})s::{_array_type(f)}[]" for f in arrays)
    aliases = ", ".join(quote(f.attname) for f in arrays)
    select = ", ".join(
        f"u.{quote(f.attname)}" if f.attname in given else f"%({f.attname})s::{f.cast_db_type(connection)}"
        for f in fields
    )
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {select}"
        f" FROM unnest({unnest}) AS u({aliases}) ON CONFLICT {conflict}"
    )
    return sql, arrays, scalars


def columns_upsert(model, columns: dict[str, list], *, conflict: str = "DO NOTHING") -> int:
    """INSERT ... SELECT FROM unnest(arrays) ON CONFLICT ``conflict``, for rows that may exist
    already (no history rows: as bulk_create, which writes none either). Returns the count."""
    count = len(next(iter(columns.values()), []))
    if count == 0:
        return 0
    sql, arrays, scalars = _insert_sql(model, frozenset(columns), conflict)
    defaults = _defaults(scalars, timezone.now())
    params = {f.attname: columns[f.attname] for f in arrays}
    params.update({f.attname: defaults[f.attname] for f in scalars})
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
    return count


def rows_insert(model, rows: list[dict], *, user=None) -> list[int]:
    """Insert ``rows`` (dicts by field attname; missing fields take their defaults) and their
    history, through ``columns_copy``. Returns the new ids in order.

    For writers that build one dict per row (imports into existing documents, gold origins);
    the plain-import path builds its columns directly.
    """
    if not rows:
        return []
    ids = reserve_ids(model, len(rows))
    names = {name for row in rows for name in row}
    defaults = _defaults([f for f in model._meta.concrete_fields if f.attname in names], timezone.now())
    columns = {name: [row.get(name, defaults.get(name)) for row in rows] for name in names}
    columns["id"] = ids
    columns_copy(model, columns, user=user)
    return ids
