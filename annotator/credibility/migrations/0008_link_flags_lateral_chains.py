"""The chain version of ``credibility_link_flags`` reads each target's links by index again.

0005_link_flags_skip_own_rows made the function read each target's links through a
LATERAL subquery that cannot be flattened (OFFSET 0): one index probe per target.
0006_support_chains then redefined it for sub-claim chains as a plain join, and the
planner, on the stale statistics a bulk load leaves, went back to hashing the whole
links table and probing every link's source: an import of 2,000 documents with 6,000
links spent 1.7 s of its 3.5 s relation insert in this function on a busy host, for a
database of 48,000 links (growing with it); with the probes, 0.5 s. Same rows: the
chain logic of 0006 is unchanged, only the join's shape.
"""

from importlib import import_module

from django.db import migrations

chains = import_module("annotator.credibility.migrations.0006_support_chains")

_START = chains.SQL.index("CREATE FUNCTION credibility_link_flags(")
_END = chains.SQL.index("-- Lock the spans")
JOINED = chains.SQL[_START:_END].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)

LATERAL = f"""
CREATE OR REPLACE FUNCTION credibility_link_flags(targets bigint[])
RETURNS TABLE (span_id bigint, depth smallint, attacked boolean, qualified boolean)
LANGUAGE sql STABLE AS $$
  SELECT t.id,
    NULLIF(LEAST(
        COALESCE(min(CASE WHEN k.type = 'supports' AND k.kind = 'evidence' THEN 1 END), 99),
        COALESCE(min(CASE WHEN k.type = 'supports' AND k.kind = 'claim' THEN k.support_depth + 1 END), 99)
      ), 99)::smallint,
    COALESCE(bool_or(k.type = 'attacks'
      AND (k.kind = 'evidence' OR (k.kind = 'claim' AND k.support_depth <= {chains.MAX_DEPTH}))), false),
    COALESCE(bool_or(k.type = 'qualifies' AND k.kind = 'hedge'), false)
  FROM (SELECT DISTINCT unnest(targets) AS id) t
  LEFT JOIN LATERAL (
    SELECT r.type, l.kind, s.support_depth FROM annotations_relation r
      JOIN annotations_annotation s ON s.id = r.source_id AND s.status <> 'rejected'
      JOIN projects_label l ON l.id = s.label_id
     WHERE r.target_id = t.id AND r.status <> 'rejected' AND r.type IN {chains.LINK_TYPES}
    OFFSET 0  -- not flattened into a join: stays one index probe per target
  ) k ON true
  GROUP BY t.id
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("credibility", "0007_merge_link_flags_chains")]

    operations = [migrations.RunSQL(LATERAL, reverse_sql=JOINED)]
