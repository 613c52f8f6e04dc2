"""Link flags on span rows, kept by PostgreSQL: is a span supported, attacked, qualified?

A span is *supported* when a supports relation from evidence points at it,
*attacked* likewise for attacks, *qualified* when a hedge qualifies it; the
relation and its source span must not be rejected, and the source's label
must be of the right kind. Scores count claims with these flags, so the
credibility recompute reads each span once instead of joining every span
to every relation (see the README, "Source credibility scores").

The columns are not Django fields on purpose: no ``save()`` of a span
loaded earlier can write back stale flags. Triggers recompute them from the
relations whenever an input changes:
- relations inserted, deleted or updated (statement triggers: one pass per bulk write);
- a span's label or status (its outgoing links may start or stop counting);
- a label's kind.

Concurrency (READ COMMITTED): a writer first locks the spans whose flags it
recomputes (FOR NO KEY UPDATE, held to commit), and a new link's source span
FOR SHARE, and only then reads, in a new snapshot. So two writers touching
one claim recompute it one after the other, and a link written while its
source changes label waits for that change (or makes it wait). A label kind
change takes the project's flag lock exclusively (every other writer takes
it shared), so it sees every committed link and no link is written half-way
through it. Locks go sources first, then targets, in id order.

``credibility_link_flags_rebuild(project)`` recomputes a whole project set by
set: the back-fill below, and a repair tool (``manage.py scores_rebuild_flags``).
"""

from django.db import migrations

# pg_advisory_xact_lock(FLAG_LOCK_CLASS, project): label kinds vs link writers (see above).
FLAG_LOCK_CLASS = 0x5C0F
LINK_TYPES = "('supports', 'attacks', 'qualifies')"

SQL = f"""
ALTER TABLE annotations_annotation
  ADD COLUMN is_supported boolean NOT NULL DEFAULT false,
  ADD COLUMN is_attacked boolean NOT NULL DEFAULT false,
  ADD COLUMN is_qualified boolean NOT NULL DEFAULT false;

-- The credibility pass reads a project's spans from this index alone (an index-only
-- scan), already in the order it groups them: no wide rows, no hash table.
CREATE INDEX annotation_scores_idx ON annotations_annotation
  (project_id, document_id, annotator_id, layer, label_id, subtype_id)
  INCLUDE (status, is_supported, is_attacked, is_qualified);

-- The one definition of a counted link: neither the relation nor its source is
-- rejected, and the source is evidence (supports, attacks) or a hedge (qualifies).
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
    ON r.target_id = t.id AND r.status <> 'rejected' AND r.type IN {LINK_TYPES}
  GROUP BY t.id
$$;

-- Lock the spans, then (a new statement: a new snapshot) write the flags that changed.
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

-- Shared flag lock of the projects, share locks on the new links' sources, then the targets.
CREATE FUNCTION credibility_links_written(projects bigint[], sources bigint[], targets bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared({FLAG_LOCK_CLASS}, p::int)
     FROM (SELECT DISTINCT unnest(projects) AS p ORDER BY 1) ps;
  PERFORM 1 FROM annotations_annotation WHERE id = ANY(sources) ORDER BY id FOR SHARE;
  PERFORM credibility_link_flags_refresh(targets);
END $$;

CREATE FUNCTION credibility_relations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  projects bigint[];
  sources bigint[];
  targets bigint[];
BEGIN
  SELECT array_agg(project_id), array_agg(source_id), array_agg(target_id) INTO projects, sources, targets
    FROM new_rows WHERE target_id IS NOT NULL AND type IN {LINK_TYPES};
  PERFORM credibility_links_written(projects, sources, targets);
  RETURN NULL;
END $$;

-- A deleted link can only take support away: no source to wait for.
CREATE FUNCTION credibility_relations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  projects bigint[];
  targets bigint[];
BEGIN
  SELECT array_agg(project_id), array_agg(target_id) INTO projects, targets
    FROM old_rows WHERE target_id IS NOT NULL AND type IN {LINK_TYPES};
  PERFORM credibility_links_written(projects, ARRAY[]::bigint[], targets);
  RETURN NULL;
END $$;

-- Only rows whose type, status or ends changed matter (a note edit changes nothing);
-- both the old and the new target are recomputed.
CREATE FUNCTION credibility_relations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  projects bigint[];
  sources bigint[];
  targets bigint[];
BEGIN
  SELECT array_agg(n.project_id),
         array_agg(n.source_id) FILTER (WHERE n.type IN {LINK_TYPES}),
         array_agg(o.target_id) FILTER (WHERE o.target_id IS NOT NULL)
           || array_agg(n.target_id) FILTER (WHERE n.target_id IS NOT NULL)
    INTO projects, sources, targets
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE (o.type, o.status, o.source_id, o.target_id) IS DISTINCT FROM (n.type, n.status, n.source_id, n.target_id)
     AND (o.type IN {LINK_TYPES} OR n.type IN {LINK_TYPES});
  PERFORM credibility_links_written(projects, sources, targets);
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_relations_inserted AFTER INSERT ON annotations_relation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_relations_inserted();
CREATE TRIGGER credibility_relations_deleted AFTER DELETE ON annotations_relation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_relations_deleted();
CREATE TRIGGER credibility_relations_updated AFTER UPDATE ON annotations_relation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION credibility_relations_updated();

-- A source span's label or status decides whether its outgoing links count.
CREATE FUNCTION credibility_span_kind_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared({FLAG_LOCK_CLASS}, NEW.project_id::int);
  PERFORM credibility_link_flags_refresh(ARRAY(
    SELECT target_id FROM annotations_relation
     WHERE source_id = NEW.id AND target_id IS NOT NULL AND type IN {LINK_TYPES}));
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_span_kind_changed AFTER UPDATE OF label_id, status ON annotations_annotation
  FOR EACH ROW WHEN (OLD.label_id IS DISTINCT FROM NEW.label_id OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION credibility_span_kind_changed();

-- A label's kind decides for every span carrying it; waits for (and blocks) link writers.
CREATE FUNCTION credibility_label_kind_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({FLAG_LOCK_CLASS}, NEW.project_id::int);
  PERFORM credibility_link_flags_refresh(ARRAY(
    SELECT DISTINCT r.target_id FROM annotations_relation r
      JOIN annotations_annotation s ON s.id = r.source_id
     WHERE s.label_id = NEW.id AND r.target_id IS NOT NULL AND r.type IN {LINK_TYPES}));
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_label_kind_changed AFTER UPDATE OF kind ON projects_label
  FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
  EXECUTE FUNCTION credibility_label_kind_changed();

-- Every span of a project, set by set; returns the number of spans whose flags changed.
CREATE FUNCTION credibility_link_flags_rebuild(project bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  changed bigint;
BEGIN
  PERFORM pg_advisory_xact_lock({FLAG_LOCK_CLASS}, project::int);
  WITH linked AS (
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
    SELECT a.id, COALESCE(k.supported, false) AS supported, COALESCE(k.attacked, false) AS attacked,
      COALESCE(k.qualified, false) AS qualified
    FROM annotations_annotation a LEFT JOIN linked k ON k.id = a.id
    WHERE a.project_id = project
  ),
  written AS (
    UPDATE annotations_annotation a
       SET is_supported = w.supported, is_attacked = w.attacked, is_qualified = w.qualified
      FROM wanted w
     WHERE a.id = w.id
       AND (a.is_supported, a.is_attacked, a.is_qualified) IS DISTINCT FROM (w.supported, w.attacked, w.qualified)
    RETURNING 1
  )
  SELECT count(*) INTO changed FROM written;
  RETURN changed;
END $$;

SELECT credibility_link_flags_rebuild(id) FROM projects_project;
"""

REVERSE = """
DROP TRIGGER IF EXISTS credibility_label_kind_changed ON projects_label;
DROP TRIGGER IF EXISTS credibility_span_kind_changed ON annotations_annotation;
DROP TRIGGER IF EXISTS credibility_relations_inserted ON annotations_relation;
DROP TRIGGER IF EXISTS credibility_relations_deleted ON annotations_relation;
DROP TRIGGER IF EXISTS credibility_relations_updated ON annotations_relation;
DROP FUNCTION IF EXISTS credibility_link_flags_rebuild(bigint);
DROP FUNCTION IF EXISTS credibility_label_kind_changed();
DROP FUNCTION IF EXISTS credibility_span_kind_changed();
DROP FUNCTION IF EXISTS credibility_relations_updated();
DROP FUNCTION IF EXISTS credibility_relations_deleted();
DROP FUNCTION IF EXISTS credibility_relations_inserted();
DROP FUNCTION IF EXISTS credibility_links_written(bigint[], bigint[], bigint[]);
DROP FUNCTION IF EXISTS credibility_link_flags_refresh(bigint[]);
DROP FUNCTION IF EXISTS credibility_link_flags(bigint[]);
DROP INDEX IF EXISTS annotation_scores_idx;
ALTER TABLE annotations_annotation
  DROP COLUMN IF EXISTS is_supported, DROP COLUMN IF EXISTS is_attacked, DROP COLUMN IF EXISTS is_qualified;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("credibility", "0003_scoredirty_claim"),
        ("annotations", "0004_scores_indexes"),
        ("projects", "0002_project_slug_not_empty"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
