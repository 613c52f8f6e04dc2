"""Lexeme counts kept per statement, not per row: a bulk import (one COPY of 20,000 spans) then
costs one grouped upsert instead of 20,000, and single-span writes do the same work as before.
PostgreSQL allows transition tables only on single-event triggers without column lists, hence
three triggers, and the update trigger compares the quotes itself."""

from django.db import migrations

SQL = r"""
DROP TRIGGER annotation_lexeme_count ON annotations_annotation;
DROP FUNCTION propositions_count_lexemes();

-- Add (sign 1) or remove (sign -1) the lexemes of a set of spans, grouped: one row per
-- (project, lexeme), written in one lock order so that concurrent writers cannot deadlock.
CREATE FUNCTION propositions_lexemes_apply(project_ids bigint[], quotes text[], sign integer) RETURNS void AS $$
  INSERT INTO propositions_lexemecount AS c (project_id, lexeme, spans)
  SELECT s.project_id, l.lexeme, sign * count(*)
  FROM unnest(project_ids, quotes) AS s(project_id, quote)
  CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(s.quote), '')) AS l(lexeme)
  GROUP BY s.project_id, l.lexeme
  ORDER BY s.project_id, l.lexeme
  ON CONFLICT (project_id, lexeme) DO UPDATE SET spans = c.spans + EXCLUDED.spans;
$$ LANGUAGE sql;

-- The table's CHECK (spans >= 0) refuses a negative first insert; a removal always follows the
-- span's own insert, so its rows exist. The constraint is relaxed to allow the transient sign.
ALTER TABLE propositions_lexemecount DROP CONSTRAINT IF EXISTS propositions_lexemecount_spans_check;

CREATE FUNCTION propositions_lexemes_inserted() RETURNS trigger AS $$
BEGIN
  PERFORM propositions_lexemes_apply(array_agg(project_id), array_agg(quote), 1) FROM new_rows HAVING count(*) > 0;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION propositions_lexemes_deleted() RETURNS trigger AS $$
BEGIN
  PERFORM propositions_lexemes_apply(array_agg(project_id), array_agg(quote), -1) FROM old_rows HAVING count(*) > 0;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION propositions_lexemes_updated() RETURNS trigger AS $$
BEGIN
  -- Most updates (status, flags, notes) leave the quote alone: nothing to count.
  PERFORM propositions_lexemes_apply(array_agg(o.project_id), array_agg(o.quote), -1),
          propositions_lexemes_apply(array_agg(n.project_id), array_agg(n.quote), 1)
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE o.quote IS DISTINCT FROM n.quote OR o.project_id <> n.project_id
  HAVING count(*) > 0;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER annotation_lexemes_inserted AFTER INSERT ON annotations_annotation
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION propositions_lexemes_inserted();
CREATE TRIGGER annotation_lexemes_deleted AFTER DELETE ON annotations_annotation
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION propositions_lexemes_deleted();
CREATE TRIGGER annotation_lexemes_updated AFTER UPDATE ON annotations_annotation
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION propositions_lexemes_updated();
"""

REVERSE = r"""
ALTER TABLE propositions_lexemecount ADD CHECK (spans >= 0);
DROP TRIGGER annotation_lexemes_updated ON annotations_annotation;
DROP TRIGGER annotation_lexemes_deleted ON annotations_annotation;
DROP TRIGGER annotation_lexemes_inserted ON annotations_annotation;
DROP FUNCTION propositions_lexemes_updated();
DROP FUNCTION propositions_lexemes_deleted();
DROP FUNCTION propositions_lexemes_inserted();
DROP FUNCTION propositions_lexemes_apply(bigint[], text[], integer);

CREATE FUNCTION propositions_count_lexemes() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE propositions_lexemecount c SET spans = c.spans - 1
    FROM unnest(array_append(propositions_lexemes(OLD.quote), '')) AS l(lexeme)
    WHERE c.project_id = OLD.project_id AND c.lexeme = l.lexeme;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO propositions_lexemecount AS c (project_id, lexeme, spans)
    SELECT NEW.project_id, l.lexeme, 1 FROM unnest(array_append(propositions_lexemes(NEW.quote), '')) AS l(lexeme)
    ORDER BY l.lexeme
    ON CONFLICT (project_id, lexeme) DO UPDATE SET spans = c.spans + 1;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER annotation_lexeme_count
  AFTER INSERT OR DELETE OR UPDATE OF quote, project_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION propositions_count_lexemes();
"""


class Migration(migrations.Migration):
    dependencies = [("propositions", "0003_lexeme_weights")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
