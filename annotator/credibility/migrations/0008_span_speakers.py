"""Who each span is reported from, kept on the span row by PostgreSQL (docs/credibility.md, section 2).

``speakers`` is the sorted set of speakers a span counts for: those it is
attributed to (``attributed_to``), and those of every attributed span of the
same layer that encloses it (evidence and hedges inside the same quotation);
NULL for the writer's own spans. Neither the relation nor the enclosing span
may be rejected. The credibility pass used to work this out from the
relations on every recompute (two index probes per attribution, a third of a
full recompute); now it reads the column from the index it already scans, and
the quoted speakers' rows from a partial index of the reported spans.

Like the link flags (migration 0004) it is not a Django field, so no stale
``save()`` can write it back, and triggers keep it right:
- attributions inserted, deleted or updated: the quotation and the spans inside it;
- spans inserted (a span inside an existing quotation), moved or re-statused
  (the span, and the spans inside it when it is itself a quotation), deleted
  (the spans that were inside it).

Concurrency (READ COMMITTED), as for the link flags: an attribution writer
locks the quotation span FOR NO KEY UPDATE and a span writer locks the spans
enclosing its new span FOR SHARE before reading, so an attribution and a span
written inside it at the same moment take turns and the second sees the
first. Rows of the current transaction are not locked (nobody else sees them).

``credibility_speakers_rebuild(project)`` recomputes a project set by set (the
back-fill below, and ``manage.py scores_rebuild_flags``).
"""

from django.db import migrations

OWN = "AND xmin <> pg_current_xact_id()::xid"

# Spans s inside quotation q of the same layer (q itself excluded), as a join condition.
INSIDE = """s.document_id = q.document_id AND s.annotator_id = q.annotator_id AND s.layer = q.layer
      AND s.start >= q.start AND s.start < q."end" AND s."end" <= q."end" AND s.id <> q.id"""

SQL = f"""
ALTER TABLE annotations_annotation ADD COLUMN speakers bigint[];

-- The credibility pass reads ``speakers`` with the other counted columns (index-only).
DROP INDEX annotation_scores_idx;
CREATE INDEX annotation_scores_idx ON annotations_annotation
  (project_id, document_id, annotator_id, layer, label_id, subtype_id)
  INCLUDE (status, is_supported, is_attacked, is_qualified, speakers);
-- Reported spans only: the quoted speakers' pass reads these and nothing else.
CREATE INDEX annotation_reported_idx ON annotations_annotation
  (project_id, document_id, annotator_id, layer, label_id, subtype_id)
  INCLUDE (id, status, is_supported, is_attacked, is_qualified, speakers)
  WHERE speakers IS NOT NULL;

-- The one definition: the speakers of each target span from the attributions visible now.
CREATE FUNCTION credibility_span_speakers(targets bigint[])
RETURNS TABLE (span_id bigint, speakers bigint[])
LANGUAGE sql STABLE AS $$
  SELECT s.id, (
    SELECT array_agg(DISTINCT r.speaker_id ORDER BY r.speaker_id)
    FROM annotations_relation r JOIN annotations_annotation q ON q.id = r.source_id
    WHERE r.document_id = s.document_id AND r.annotator_id = s.annotator_id AND r.layer = s.layer
      AND r.type = 'attributed_to' AND r.status <> 'rejected'
      AND (q.id = s.id OR (q.status <> 'rejected'
           AND s.start >= q.start AND s.start < q."end" AND s."end" <= q."end"))
  )
  FROM annotations_annotation s WHERE s.id = ANY(targets)
$$;

-- A quotation's spans: itself and every span of its layer inside it.
CREATE FUNCTION credibility_quoted_spans(quotes bigint[]) RETURNS bigint[]
LANGUAGE sql STABLE AS $$
  SELECT array_agg(DISTINCT s.id) FROM annotations_annotation q
  JOIN annotations_annotation s ON s.document_id = q.document_id AND s.annotator_id = q.annotator_id
    AND s.layer = q.layer AND s.start >= q.start AND s.start < q."end" AND s."end" <= q."end"
  WHERE q.id = ANY(quotes)
$$;

-- Lock the targets, then (a new statement: a new snapshot) write the speakers that changed.
CREATE FUNCTION credibility_speakers_refresh(targets bigint[]) RETURNS bigint
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  changed bigint;
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN
    RETURN 0;
  END IF;
  PERFORM 1 FROM annotations_annotation WHERE id = ANY(targets) {OWN} ORDER BY id FOR NO KEY UPDATE;
  WITH written AS (
    UPDATE annotations_annotation a SET speakers = f.speakers
      FROM credibility_span_speakers(targets) f
     WHERE a.id = f.span_id AND a.speakers IS DISTINCT FROM f.speakers
    RETURNING 1
  )
  SELECT count(*) INTO changed FROM written;
  RETURN changed;
END $$;

-- Attributions written: their quotations (locked first) and the spans inside them.
CREATE FUNCTION credibility_attributions_written() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  quotes bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(source_id) INTO quotes FROM new_rows WHERE type = 'attributed_to';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(source_id) INTO quotes FROM old_rows WHERE type = 'attributed_to';
  ELSE
    SELECT array_agg(DISTINCT e) INTO quotes
      FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(ARRAY[o.source_id, n.source_id]) e
     WHERE (o.type = 'attributed_to' OR n.type = 'attributed_to')
       AND (o.type, o.status, o.source_id, o.speaker_id) IS DISTINCT FROM (n.type, n.status, n.source_id, n.speaker_id);
  END IF;
  IF quotes IS NOT NULL THEN
    PERFORM 1 FROM annotations_annotation WHERE id = ANY(quotes) {OWN} ORDER BY id FOR NO KEY UPDATE;
    PERFORM credibility_speakers_refresh(credibility_quoted_spans(quotes));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_attributions_inserted AFTER INSERT ON annotations_relation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_attributions_written();
CREATE TRIGGER credibility_attributions_deleted AFTER DELETE ON annotations_relation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_attributions_written();
CREATE TRIGGER credibility_attributions_updated AFTER UPDATE ON annotations_relation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION credibility_attributions_written();

-- New spans inside a quotation of their layer. The enclosing spans are locked FOR SHARE
-- first, so an attribution being written on one of them either is seen or waits for us.
-- Only layers with an attribution are looked at (an import writes spans before links).
CREATE FUNCTION credibility_spans_inserted() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  PERFORM 1 FROM new_rows s
    JOIN annotations_annotation q ON q.document_id = s.document_id AND q.annotator_id = s.annotator_id
      AND q.layer = s.layer AND q.start <= s.start AND q."end" >= s."end" AND q.id <> s.id
   WHERE q.xmin <> pg_current_xact_id()::xid
   ORDER BY q.id FOR SHARE OF q;
  PERFORM credibility_speakers_refresh(ARRAY(
    SELECT s.id FROM new_rows s
     WHERE EXISTS (SELECT 1 FROM annotations_relation r
                    WHERE r.document_id = s.document_id AND r.annotator_id = s.annotator_id
                      AND r.layer = s.layer AND r.type = 'attributed_to')));
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_spans_inserted AFTER INSERT ON annotations_annotation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_spans_inserted();

-- A span moved or re-statused: itself (enclosing quotations), and the spans inside its old
-- and new extent (it may be a quotation). Relations pin its document, annotator and layer.
CREATE FUNCTION credibility_span_moved() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  PERFORM 1 FROM annotations_annotation q
   WHERE q.document_id = NEW.document_id AND q.annotator_id = NEW.annotator_id AND q.layer = NEW.layer
     AND q.start <= NEW.start AND q."end" >= NEW."end" AND q.id <> NEW.id {OWN.replace("xmin", "q.xmin")}
   ORDER BY q.id FOR SHARE;
  PERFORM credibility_speakers_refresh(ARRAY[NEW.id] || ARRAY(
    SELECT s.id FROM annotations_annotation s
     WHERE s.document_id = OLD.document_id AND s.annotator_id = OLD.annotator_id AND s.layer = OLD.layer
       AND ((s.start >= OLD.start AND s.start < OLD."end" AND s."end" <= OLD."end")
         OR (s.start >= NEW.start AND s.start < NEW."end" AND s."end" <= NEW."end"))
       AND s.id <> NEW.id
       AND EXISTS (SELECT 1 FROM annotations_relation r WHERE r.source_id = NEW.id AND r.type = 'attributed_to')));
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_span_moved AFTER UPDATE OF start, "end", status, layer, annotator_id, document_id
  ON annotations_annotation FOR EACH ROW
  WHEN ((OLD.start, OLD."end", OLD.status, OLD.layer, OLD.annotator_id, OLD.document_id)
        IS DISTINCT FROM (NEW.start, NEW."end", NEW.status, NEW.layer, NEW.annotator_id, NEW.document_id))
  EXECUTE FUNCTION credibility_span_moved();

-- Deleted quotations (reported spans): the spans that were inside them.
CREATE FUNCTION credibility_spans_deleted() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  PERFORM credibility_speakers_refresh(ARRAY(
    SELECT DISTINCT s.id FROM old_rows q
      JOIN annotations_annotation s ON {INSIDE}
     WHERE q.speakers IS NOT NULL));
  RETURN NULL;
END $$;

CREATE TRIGGER credibility_spans_deleted AFTER DELETE ON annotations_annotation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION credibility_spans_deleted();

-- Every span of a project, set by set; returns the number of spans whose speakers changed.
CREATE FUNCTION credibility_speakers_rebuild(project bigint) RETURNS bigint
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  changed bigint;
BEGIN
  WITH quoted AS (
    SELECT q.id, q.document_id, q.annotator_id, q.layer, q.start, q."end", q.status, r.speaker_id
    FROM annotations_relation r JOIN annotations_annotation q ON q.id = r.source_id
    WHERE r.project_id = project AND r.type = 'attributed_to' AND r.status <> 'rejected'
  ),
  pairs AS (
    SELECT id AS span_id, speaker_id FROM quoted
    UNION
    SELECT s.id, q.speaker_id FROM quoted q JOIN annotations_annotation s ON {INSIDE}
    WHERE q.status <> 'rejected'
  ),
  wanted AS (
    SELECT a.id, w.speakers FROM annotations_annotation a
    LEFT JOIN (SELECT span_id, array_agg(speaker_id ORDER BY speaker_id) AS speakers
               FROM pairs GROUP BY span_id) w ON w.span_id = a.id
    WHERE a.project_id = project
  ),
  written AS (
    UPDATE annotations_annotation a SET speakers = w.speakers FROM wanted w
     WHERE a.id = w.id AND a.speakers IS DISTINCT FROM w.speakers
    RETURNING 1
  )
  SELECT count(*) INTO changed FROM written;
  RETURN changed;
END $$;

SELECT credibility_speakers_rebuild(id) FROM projects_project;
"""

REVERSE = """
DROP TRIGGER IF EXISTS credibility_spans_deleted ON annotations_annotation;
DROP TRIGGER IF EXISTS credibility_span_moved ON annotations_annotation;
DROP TRIGGER IF EXISTS credibility_spans_inserted ON annotations_annotation;
DROP TRIGGER IF EXISTS credibility_attributions_inserted ON annotations_relation;
DROP TRIGGER IF EXISTS credibility_attributions_deleted ON annotations_relation;
DROP TRIGGER IF EXISTS credibility_attributions_updated ON annotations_relation;
DROP FUNCTION IF EXISTS credibility_speakers_rebuild(bigint);
DROP FUNCTION IF EXISTS credibility_spans_deleted();
DROP FUNCTION IF EXISTS credibility_span_moved();
DROP FUNCTION IF EXISTS credibility_spans_inserted();
DROP FUNCTION IF EXISTS credibility_attributions_written();
DROP FUNCTION IF EXISTS credibility_speakers_refresh(bigint[]);
DROP FUNCTION IF EXISTS credibility_quoted_spans(bigint[]);
DROP FUNCTION IF EXISTS credibility_span_speakers(bigint[]);
DROP INDEX IF EXISTS annotation_reported_idx;
DROP INDEX IF EXISTS annotation_scores_idx;
ALTER TABLE annotations_annotation DROP COLUMN IF EXISTS speakers;
CREATE INDEX annotation_scores_idx ON annotations_annotation
  (project_id, document_id, annotator_id, layer, label_id, subtype_id)
  INCLUDE (status, is_supported, is_attacked, is_qualified);
"""


class Migration(migrations.Migration):
    dependencies = [("credibility", "0007_merge_link_flags_chains")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
