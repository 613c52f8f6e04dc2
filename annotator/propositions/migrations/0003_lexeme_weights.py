"""IDF-weighted wording similarity: per-project lexeme counts kept by a trigger, the wording
a span is compared by (asides and hyphens removed), and its polarity. See docs/propositions.md."""

import django.db.models.deletion
from django.db import migrations, models

SQL = r"""
-- The wording a span is compared by: an aside set off by a pair of dashes or by parentheses
-- ("Pakistan's regime – which just tried to kill Khan – continues ...") is a second statement,
-- not part of the main one, and a hyphenated compound counts as its words (to_tsvector would
-- otherwise emit "post-modern", "post" and "modern": one word weighing three times).
CREATE FUNCTION propositions_main_text(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(regexp_replace(replace(coalesce(t, ''), chr(160), ' '),
                                '\s[–—]\s[^–—]*\s[–—]\s|\([^()]*\)', ' ', 'g'), '-', ' ')
$$;

CREATE FUNCTION propositions_lexemes(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tsvector_to_array(to_tsvector('english'::regconfig, propositions_main_text(t)))
$$;

-- Whether the main statement is negated: it holds a negation cue (the closed-class cues of the
-- BioScope / NegEx lists that English uses for clausal negation).
CREATE FUNCTION propositions_negated(t text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(propositions_main_text(t))
         ~ '\m(no|not|never|neither|nor|none|nobody|nothing|nowhere|cannot)\M|n[''’]t\M'
$$;

-- How many spans of a project contain each lexeme of their main wording; the row with the empty
-- lexeme (to_tsvector never yields one) counts the spans. Kept by the trigger below.
CREATE TABLE propositions_lexemecount (
  project_id bigint NOT NULL REFERENCES projects_project (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  lexeme text NOT NULL,
  spans integer NOT NULL CHECK (spans >= 0),
  PRIMARY KEY (project_id, lexeme)
);

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
    ORDER BY l.lexeme  -- one lock order for concurrent writers
    ON CONFLICT (project_id, lexeme) DO UPDATE SET spans = c.spans + 1;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER annotation_lexeme_count
  AFTER INSERT OR DELETE OR UPDATE OF quote, project_id ON annotations_annotation
  FOR EACH ROW EXECUTE FUNCTION propositions_count_lexemes();

-- Recount one project (after a bulk load with triggers off).
CREATE FUNCTION propositions_lexeme_recount(project bigint) RETURNS void AS $$
  DELETE FROM propositions_lexemecount WHERE project_id = project;
  INSERT INTO propositions_lexemecount (project_id, lexeme, spans)
  SELECT project, l.lexeme, count(*)
  FROM annotations_annotation a CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(a.quote), '')) AS l(lexeme)
  WHERE a.project_id = project GROUP BY l.lexeme;
$$ LANGUAGE sql;

SELECT propositions_lexeme_recount(p.id) FROM projects_project p;

-- A lexeme's weight in a project: smoothed inverse document frequency ln((N + 1) / (df + 1)) over
-- its N spans (the +1s as if one more span held every lexeme: a lexeme no span has yet stays finite,
-- one of every span weighs 0, so a stock phrase of the corpus is no evidence of a restatement).
CREATE FUNCTION propositions_idf(project bigint, lexemes text[]) RETURNS TABLE (lexeme text, weight float8)
LANGUAGE sql STABLE AS $$
  SELECT l.lexeme, ln((coalesce(n.spans, 0) + 1.0) / (coalesce(c.spans, 0) + 1.0))
  FROM unnest(lexemes) AS l(lexeme)
  LEFT JOIN propositions_lexemecount c ON c.project_id = project AND c.lexeme = l.lexeme
  LEFT JOIN propositions_lexemecount n ON n.project_id = project AND n.lexeme = ''
$$;

-- IDF-weighted cosine of two lexeme sets: shared weight² over the product of the sets' norms.
CREATE FUNCTION propositions_weighted_cosine(project bigint, a text[], b text[]) RETURNS float8
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN sum(w.weight ^ 2) FILTER (WHERE w.lexeme = ANY(a)) > 0
                   AND sum(w.weight ^ 2) FILTER (WHERE w.lexeme = ANY(b)) > 0
    THEN coalesce(sum(w.weight ^ 2) FILTER (WHERE w.lexeme = ANY(a) AND w.lexeme = ANY(b)), 0)
         / sqrt(sum(w.weight ^ 2) FILTER (WHERE w.lexeme = ANY(a)) * sum(w.weight ^ 2) FILTER (WHERE w.lexeme = ANY(b)))
    ELSE 0 END
  FROM propositions_idf(project, ARRAY(SELECT DISTINCT x FROM unnest(a || b) AS x)) AS w
$$;
"""

REVERSE = """
DROP FUNCTION propositions_weighted_cosine(bigint, text[], text[]);
DROP FUNCTION propositions_idf(bigint, text[]);
DROP FUNCTION propositions_lexeme_recount(bigint);
DROP TRIGGER annotation_lexeme_count ON annotations_annotation;
DROP FUNCTION propositions_count_lexemes();
DROP TABLE propositions_lexemecount;
DROP FUNCTION propositions_negated(text);
DROP FUNCTION propositions_lexemes(text);
DROP FUNCTION propositions_main_text(text);
"""


class Migration(migrations.Migration):
    dependencies = [("propositions", "0002_integrity_and_similarity"), ("projects", "0007_historical_project_score_minimums")]

    # The table is the SQL's (its foreign key cascades in the database); the model is state only.
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(SQL, REVERSE)],
            state_operations=[
                migrations.CreateModel(
                    name="LexemeCount",
                    fields=[
                        ("pk", models.CompositePrimaryKey("project_id", "lexeme", blank=True, editable=False,
                                                          primary_key=True, serialize=False)),
                        ("project", models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING,
                                                      related_name="+", to="projects.project")),
                        ("lexeme", models.TextField()),
                        ("spans", models.IntegerField()),
                    ],
                    options={"db_table": "propositions_lexemecount"},
                ),
            ],
        )
    ]
