"""Support through sub-claim chains, kept by PostgreSQL (docs/credibility.md, "Relations").

A claim is supported when evidence supports it, or when a supported claim
(a sub-claim) supports it, through at most MAX_DEPTH links. Likewise a claim
is attacked by evidence, or by a counter-claim that is itself supported. ``support_depth``
on the span row is the length of the shortest such chain (1 = evidence
directly; NULL = unsupported) and ``is_supported`` is ``support_depth IS NOT
NULL``. The triggers of migration 0004 call the functions redefined here, so
every write that changes a link, a span's label or status, or a label's kind
recomputes its targets and then, link by link, the claims those support
(``credibility_link_flags_refresh`` loops until nothing changes). Cycles are
broken by the bound: once evidence leaves a loop of claims, their depths
count up past MAX_DEPTH within a few rounds and all become unsupported;
a loop with no evidence is never supported.
"""

from django.db import migrations

MAX_DEPTH = 5
FLAG_LOCK_CLASS = 0x5C0F
LINK_TYPES = "('supports', 'attacks', 'qualifies')"

SQL = f"""
ALTER TABLE annotations_annotation ADD COLUMN support_depth smallint;
UPDATE annotations_annotation SET support_depth = 1 WHERE is_supported;

DROP FUNCTION credibility_link_flags(bigint[]);
CREATE FUNCTION credibility_link_flags(targets bigint[])
RETURNS TABLE (span_id bigint, depth smallint, attacked boolean, qualified boolean)
LANGUAGE sql STABLE AS $$
  SELECT t.id,
    NULLIF(LEAST(
        COALESCE(min(CASE WHEN r.type = 'supports' AND l.kind = 'evidence' THEN 1 END), 99),
        COALESCE(min(CASE WHEN r.type = 'supports' AND l.kind = 'claim' THEN s.support_depth + 1 END), 99)
      ), 99)::smallint,
    COALESCE(bool_or(r.type = 'attacks'
      AND (l.kind = 'evidence' OR (l.kind = 'claim' AND s.support_depth <= {MAX_DEPTH}))), false),
    COALESCE(bool_or(r.type = 'qualifies' AND l.kind = 'hedge'), false)
  FROM (SELECT DISTINCT unnest(targets) AS id) t
  LEFT JOIN (annotations_relation r
             JOIN annotations_annotation s ON s.id = r.source_id AND s.status <> 'rejected'
             JOIN projects_label l ON l.id = s.label_id)
    ON r.target_id = t.id AND r.status <> 'rejected' AND r.type IN {LINK_TYPES}
  GROUP BY t.id
$$;

-- Lock the spans, write the flags that changed, then do the same for the claims the
-- changed ones support, round after round (bounded: depths stop at {MAX_DEPTH}).
-- Returns how many span rows were rewritten.
DROP FUNCTION credibility_link_flags_refresh(bigint[]);
CREATE FUNCTION credibility_link_flags_refresh(targets bigint[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  changed bigint[];
  total bigint := 0;
  rounds int := 0;
BEGIN
  WHILE targets IS NOT NULL AND cardinality(targets) > 0 AND rounds < {4 * MAX_DEPTH + 4} LOOP
    rounds := rounds + 1;
    PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) ORDER BY id FOR NO KEY UPDATE;
    WITH written AS (
      UPDATE annotations_annotation a
         SET support_depth = w.depth, is_supported = w.depth IS NOT NULL,
             is_attacked = f.attacked, is_qualified = f.qualified
        FROM credibility_link_flags(targets) f
        CROSS JOIN LATERAL (SELECT CASE WHEN f.depth <= {MAX_DEPTH} THEN f.depth END AS depth) w
       WHERE a.id = f.span_id
         AND (a.support_depth, a.is_attacked, a.is_qualified) IS DISTINCT FROM (w.depth, f.attacked, f.qualified)
      RETURNING a.id
    )
    SELECT array_agg(id) INTO changed FROM written;
    total := total + COALESCE(cardinality(changed), 0);
    targets := ARRAY(
      SELECT DISTINCT r.target_id FROM annotations_relation r
       WHERE r.source_id = ANY(changed) AND r.type IN ('supports', 'attacks') AND r.target_id IS NOT NULL);
  END LOOP;
  RETURN total;
END $$;

CREATE OR REPLACE FUNCTION credibility_link_flags_rebuild(project bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
BEGIN
  PERFORM pg_advisory_xact_lock({FLAG_LOCK_CLASS}, project::int);
  -- Claims a claim supports are settled link by link (below), not here.
  CREATE TEMPORARY TABLE IF NOT EXISTS pg_temp.credibility_chained (id bigint PRIMARY KEY) ON COMMIT DROP;
  DELETE FROM pg_temp.credibility_chained;
  INSERT INTO pg_temp.credibility_chained
    SELECT DISTINCT r.target_id FROM annotations_relation r
    JOIN annotations_annotation s ON s.id = r.source_id
    JOIN projects_label l ON l.id = s.label_id AND l.kind = 'claim'
    WHERE r.project_id = project AND r.type IN ('supports', 'attacks') AND r.target_id IS NOT NULL;
  WITH chained AS (SELECT id FROM pg_temp.credibility_chained),
  linked AS (
    SELECT r.target_id AS id,
      bool_or(r.type = 'supports' AND l.kind = 'evidence') AS supported,
      bool_or(r.type = 'attacks' AND l.kind = 'evidence') AS attacked,
      bool_or(r.type = 'qualifies' AND l.kind = 'hedge') AS qualified
    FROM annotations_relation r
    JOIN annotations_annotation s ON s.id = r.source_id AND s.status <> 'rejected'
    JOIN projects_label l ON l.id = s.label_id
    WHERE r.project_id = project AND r.target_id IS NOT NULL AND r.status <> 'rejected'
      AND r.type IN {LINK_TYPES}
    GROUP BY r.target_id
  ),
  wanted AS (
    SELECT a.id, CASE WHEN k.supported THEN 1::smallint END AS depth,
      COALESCE(k.attacked, false) AS attacked, COALESCE(k.qualified, false) AS qualified
    FROM annotations_annotation a LEFT JOIN linked k ON k.id = a.id
    WHERE a.project_id = project AND a.id NOT IN (SELECT id FROM chained)
  ),
  written AS (
    UPDATE annotations_annotation a
       SET support_depth = w.depth, is_supported = w.depth IS NOT NULL,
           is_attacked = w.attacked, is_qualified = w.qualified
      FROM wanted w
     WHERE a.id = w.id
       AND (a.support_depth, a.is_supported, a.is_attacked, a.is_qualified)
           IS DISTINCT FROM (w.depth, w.depth IS NOT NULL, w.attacked, w.qualified)
    RETURNING 1
  )
  SELECT count(*) INTO changed FROM written;
  RETURN changed + credibility_link_flags_refresh(ARRAY(SELECT id FROM pg_temp.credibility_chained));
END $$;
"""

REVERSE = """
DROP FUNCTION IF EXISTS credibility_link_flags(bigint[]);
CREATE FUNCTION credibility_link_flags(targets bigint[])
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
    ON r.target_id = t.id AND r.status <> 'rejected' AND r.type IN ('supports', 'attacks', 'qualifies')
  GROUP BY t.id
$$;
DROP FUNCTION IF EXISTS credibility_link_flags_refresh(bigint[]);
CREATE FUNCTION credibility_link_flags_refresh(targets bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) ORDER BY id FOR NO KEY UPDATE;
  UPDATE annotations_annotation a
     SET is_supported = f.supported, is_attacked = f.attacked, is_qualified = f.qualified
    FROM credibility_link_flags(targets) f
   WHERE a.id = f.span_id
     AND (a.is_supported, a.is_attacked, a.is_qualified) IS DISTINCT FROM (f.supported, f.attacked, f.qualified);
END $$;
ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS support_depth;
"""


class Migration(migrations.Migration):
    dependencies = [("credibility", "0005_units_clusters")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
