"""Lexeme counts in shards: concurrent span writers of one project no longer queue on one row.

Every span written in a project added 1 to the project's row of the empty lexeme (its span
count), so concurrent writers waited for each other's commit (and its WAL flush) there: the
8-client span benchmark (tests/bench/bench_api.py) spent a twentieth of its backends' time in
those lock waits, and far more when other processes held the CPU while a writer held the row.
Each transaction now counts into one of SHARDS rows per (project, lexeme), chosen by its
transaction id (the whole server's), so two writers that run at the same time share rows one
time in SHARDS; readers add the shards up. A transaction keeps one shard for all its statements: two
transactions either share every counter row (and queue on the empty lexeme first, as before)
or share none, so no new deadlock is possible.
"""

from django.db import migrations, models

SHARDS = 16

SQL = rf"""
ALTER TABLE propositions_lexemecount ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE propositions_lexemecount DROP CONSTRAINT propositions_lexemecount_pkey;
ALTER TABLE propositions_lexemecount ADD PRIMARY KEY (project_id, lexeme, shard);
ALTER TABLE propositions_lexemecount ALTER COLUMN shard DROP DEFAULT;

-- PL/pgSQL, not SQL: PostgreSQL 15 plans a SQL function's body again at every call from a
-- trigger, PL/pgSQL keeps the plan for the session.
CREATE OR REPLACE FUNCTION propositions_lexemes_apply(project_ids bigint[], quotes text[], sign integer) RETURNS void AS $$
BEGIN
  INSERT INTO propositions_lexemecount AS c (project_id, lexeme, shard, spans)
  SELECT s.project_id, l.lexeme, (pg_current_xact_id()::text::bigint % {SHARDS})::smallint, sign * count(*)
  FROM unnest(project_ids, quotes) AS s(project_id, quote)
  CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(s.quote), '')) AS l(lexeme)
  GROUP BY s.project_id, l.lexeme
  ORDER BY s.project_id, l.lexeme
  ON CONFLICT (project_id, lexeme, shard) DO UPDATE SET spans = c.spans + EXCLUDED.spans;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION propositions_lexeme_recount(project bigint) RETURNS void AS $$
  DELETE FROM propositions_lexemecount WHERE project_id = project;
  INSERT INTO propositions_lexemecount (project_id, lexeme, shard, spans)
  SELECT project, l.lexeme, 0, count(*)
  FROM annotations_annotation a CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(a.quote), '')) AS l(lexeme)
  WHERE a.project_id = project GROUP BY l.lexeme;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION propositions_idf(project bigint, lexemes text[]) RETURNS TABLE (lexeme text, weight float8)
LANGUAGE sql STABLE AS $$
  SELECT l.lexeme,
         ln((coalesce((SELECT sum(n.spans) FROM propositions_lexemecount n
                        WHERE n.project_id = project AND n.lexeme = ''), 0) + 1.0)
            / (coalesce((SELECT sum(c.spans) FROM propositions_lexemecount c
                          WHERE c.project_id = project AND c.lexeme = l.lexeme), 0) + 1.0))
  FROM unnest(lexemes) AS l(lexeme)
$$;
"""

REVERSE = r"""
CREATE OR REPLACE FUNCTION propositions_idf(project bigint, lexemes text[]) RETURNS TABLE (lexeme text, weight float8)
LANGUAGE sql STABLE AS $$
  SELECT l.lexeme, ln((coalesce(n.spans, 0) + 1.0) / (coalesce(c.spans, 0) + 1.0))
  FROM unnest(lexemes) AS l(lexeme)
  LEFT JOIN propositions_lexemecount c ON c.project_id = project AND c.lexeme = l.lexeme
  LEFT JOIN propositions_lexemecount n ON n.project_id = project AND n.lexeme = ''
$$;

CREATE OR REPLACE FUNCTION propositions_lexeme_recount(project bigint) RETURNS void AS $$
  DELETE FROM propositions_lexemecount WHERE project_id = project;
  INSERT INTO propositions_lexemecount (project_id, lexeme, spans)
  SELECT project, l.lexeme, count(*)
  FROM annotations_annotation a CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(a.quote), '')) AS l(lexeme)
  WHERE a.project_id = project GROUP BY l.lexeme;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION propositions_lexemes_apply(project_ids bigint[], quotes text[], sign integer) RETURNS void AS $$
  INSERT INTO propositions_lexemecount AS c (project_id, lexeme, spans)
  SELECT s.project_id, l.lexeme, sign * count(*)
  FROM unnest(project_ids, quotes) AS s(project_id, quote)
  CROSS JOIN LATERAL unnest(array_append(propositions_lexemes(s.quote), '')) AS l(lexeme)
  GROUP BY s.project_id, l.lexeme
  ORDER BY s.project_id, l.lexeme
  ON CONFLICT (project_id, lexeme) DO UPDATE SET spans = c.spans + EXCLUDED.spans;
$$ LANGUAGE sql;

-- Fold the shards back into one row per (project, lexeme).
CREATE TEMPORARY TABLE lexemecount_folded ON COMMIT DROP AS
  SELECT project_id, lexeme, sum(spans)::integer AS spans FROM propositions_lexemecount GROUP BY 1, 2;
DELETE FROM propositions_lexemecount;
ALTER TABLE propositions_lexemecount DROP CONSTRAINT propositions_lexemecount_pkey;
ALTER TABLE propositions_lexemecount DROP COLUMN shard;
ALTER TABLE propositions_lexemecount ADD PRIMARY KEY (project_id, lexeme);
INSERT INTO propositions_lexemecount (project_id, lexeme, spans) SELECT * FROM lexemecount_folded;
"""


class Migration(migrations.Migration):
    dependencies = [("propositions", "0005_triggers_read_kind_roles")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(SQL, REVERSE)],
            state_operations=[
                migrations.AddField(
                    model_name="lexemecount", name="shard", field=models.SmallIntegerField(default=0),
                    preserve_default=False,
                ),
                migrations.AlterField(
                    model_name="lexemecount", name="pk",
                    field=models.CompositePrimaryKey("project_id", "lexeme", "shard", blank=True, editable=False,
                                                     primary_key=True, serialize=False),
                ),
            ],
        )
    ]
