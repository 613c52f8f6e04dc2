"""Link-flag writers lock only spans other transactions can see, and read links per target.

The flag triggers (migration 0004) lock the new links' source spans FOR SHARE
and the target spans FOR NO KEY UPDATE before recomputing the targets' flags,
so that two writers touching one claim take turns. A span inserted by the
current transaction is invisible to every other one until commit: nobody else
can change it or its label meanwhile, so locking it orders nothing, and it
cost a WAL record per row. An import of 2,000 documents with 6,000 links spent
most of its link trigger's time (0.4 s of 0.6 s on a busy host) locking the
spans it had just inserted. Rows of the current top-level transaction
(``xmin`` is its id) are now skipped; rows written in a savepoint carry a
subtransaction's id and are still locked (correct, only slower). The project's
shared flag lock is unchanged.

``credibility_link_flags`` reads each target's links through a LATERAL subquery
that cannot be flattened (OFFSET 0), so the plan is always an index probe per
target, and the refresh runs without JIT: the probes' estimated cost passes
jit_above_cost, and compiling the UPDATE took longer (1.2 s on a busy host)
than running it (40 ms). Inside the trigger the planner estimated the links table from stale
statistics (900 rows for 150,000 after a few imports) and hash-joined all of
it: 0.9-1.8 s per 1,500 targets on a database of 100,000 links
(and growing with it), against 30-50 ms with the probes. Same result rows.
"""

from importlib import import_module

from django.db import migrations

flags = import_module("annotator.credibility.migrations.0004_span_link_flags")

OWN = "AND xmin <> pg_current_xact_id()::xid"


LATERAL_FLAGS = f"""
CREATE OR REPLACE FUNCTION credibility_link_flags(targets bigint[])
RETURNS TABLE (span_id bigint, supported boolean, attacked boolean, qualified boolean)
LANGUAGE sql STABLE AS $$
  SELECT t.id,
    COALESCE(bool_or(k.type = 'supports' AND k.kind = 'evidence'), false),
    COALESCE(bool_or(k.type = 'attacks' AND k.kind = 'evidence'), false),
    COALESCE(bool_or(k.type = 'qualifies' AND k.kind = 'hedge'), false)
  FROM (SELECT DISTINCT unnest(targets) AS id) t
  LEFT JOIN LATERAL (
    SELECT r.type, l.kind FROM annotations_relation r
      JOIN annotations_annotation s ON s.id = r.source_id AND s.status <> 'rejected'
      JOIN projects_label l ON l.id = s.label_id
     WHERE r.target_id = t.id AND r.status <> 'rejected' AND r.type IN {flags.LINK_TYPES}
    OFFSET 0  -- not flattened into a join: stays one index probe per target
  ) k ON true
  GROUP BY t.id
$$;
"""

JOINED_FLAGS = f"""
CREATE OR REPLACE FUNCTION credibility_link_flags(targets bigint[])
RETURNS TABLE (span_id bigint, supported boolean, attacked boolean, qualified boolean)
LANGUAGE sql STABLE AS $$
  SELECT t.id,
    COALESCE(bool_or(r.type = 'supports' AND l.kind = 'evidence'), false),
    COALESCE(bool_or(r.type = 'attacks' AND l.kind = 'evidence'), false),
    COALESCE(bool_or(r.type = 'qualifies' AND l.kind = 'hedge'), false)
  FROM (SELECT DISTINCT unnest(targets) AS id) t
  LEFT JOIN (annotations_relation r
             JOIN annotations_annotation s ON s.id = r.source_id AND s.status <> 'rejected'
             JOIN projects_label l ON l.id = s.label_id)
    ON r.target_id = t.id AND r.status <> 'rejected' AND r.type IN {flags.LINK_TYPES}
  GROUP BY t.id
$$;
"""


def _functions(own_filter: str, settings: str = "") -> str:
    return f"""
CREATE OR REPLACE FUNCTION credibility_link_flags_refresh(targets bigint[]) RETURNS void
LANGUAGE plpgsql {settings} AS $$
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) {own_filter} ORDER BY id FOR NO KEY UPDATE;
  UPDATE annotations_annotation a
     SET is_supported = f.supported, is_attacked = f.attacked, is_qualified = f.qualified
    FROM credibility_link_flags(targets) f
   WHERE a.id = f.span_id
     AND (a.is_supported, a.is_attacked, a.is_qualified) IS DISTINCT FROM (f.supported, f.attacked, f.qualified);
END $$;

CREATE OR REPLACE FUNCTION credibility_links_written(projects bigint[], sources bigint[], targets bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared({flags.FLAG_LOCK_CLASS}, p::int)
     FROM (SELECT DISTINCT unnest(projects) AS p ORDER BY 1) ps;
  PERFORM 1 FROM annotations_annotation WHERE id = ANY(sources) {own_filter} ORDER BY id FOR SHARE;
  PERFORM credibility_link_flags_refresh(targets);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("credibility", "0004_span_link_flags")]

    operations = [
        migrations.RunSQL(LATERAL_FLAGS + _functions(OWN, "SET jit = off"), reverse_sql=JOINED_FLAGS + _functions("")),
    ]
