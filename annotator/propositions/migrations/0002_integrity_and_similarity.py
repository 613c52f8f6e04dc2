"""Cross-table rules of propositions, enforced by PostgreSQL, and the similarity indexes.

- A link's (span, document, annotator, layer) is a span's own: composite foreign
  key onto annotations' (id, document, annotator, layer) key; its proposition is
  of the same project: composite foreign key onto (id, project).
- A trigger refuses links from spans that are neither claims nor evidence, links
  to a merged-away proposition, and provenance on a non-evidence span or with a
  project other than the span's.
- pg_trgm (the similarity score), full-text GIN indexes on span quotes and
  proposition wording (finding candidates), and the functions that pick a text's
  rare lexemes to probe them with. See docs/propositions.md.
"""

from django.db import migrations

# pg_trgm where the server has it (every packaged PostgreSQL ships it as a contrib module);
# the embedded development server (pgserver) has no contrib modules, so there the two
# functions used here are defined in plain SQL with pg_trgm's definitions: a word's trigrams
# are those of "  word " (lower case, words split at non-alphanumerics), similarity is
# |A ∩ B| / |A ∪ B|, and word_similarity(a, b) is approximated by |A ∩ B| / |A| (pg_trgm
# takes the best-matching extent of b; equal when b's match is contiguous). The plain-SQL
# forms exist everywhere as assay_trgm_* so tests compare them with pg_trgm.
TRIGRAMS = r"""
CREATE FUNCTION assay_trigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(p.w, i, 3)), '{}')
  FROM regexp_split_to_table(lower(coalesce(t, '')), '[^[:alnum:]]+') AS s(word)
  CROSS JOIN LATERAL (SELECT '  ' || s.word || ' ' AS w) p
  CROSS JOIN LATERAL generate_series(1, length(p.w) - 2) AS i
  WHERE s.word <> ''
$$;
CREATE FUNCTION assay_trgm_similarity(a text, b text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(x.ta) + cardinality(x.tb) = 0 THEN 0::real ELSE
    (x.shared::real / (cardinality(x.ta) + cardinality(x.tb) - x.shared)) END
  FROM (SELECT ta, tb, (SELECT count(*) FROM unnest(ta) g WHERE g = ANY(tb)) AS shared
        FROM (SELECT assay_trigrams(a) AS ta, assay_trigrams(b) AS tb) y) x
$$;
CREATE FUNCTION assay_trgm_word_similarity(a text, b text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(x.ta) = 0 THEN 0::real ELSE
    ((SELECT count(*) FROM unnest(x.ta) g WHERE g = ANY(x.tb))::real / cardinality(x.ta)) END
  FROM (SELECT assay_trigrams(a) AS ta, assay_trigrams(b) AS tb) x
$$;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  ELSE
    CREATE FUNCTION similarity(a text, b text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS 'SELECT assay_trgm_similarity(a, b)';
    CREATE FUNCTION word_similarity(a text, b text) RETURNS real LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS 'SELECT assay_trgm_word_similarity(a, b)';
  END IF;
END $$;
"""

SQL = TRIGRAMS + r"""

ALTER TABLE propositions_propositionlink
  ADD CONSTRAINT proplink_same_layer_fk FOREIGN KEY (annotation_id, document_id, annotator_id, layer)
    REFERENCES annotations_annotation (id, document_id, annotator_id, layer) ON DELETE CASCADE,
  ADD CONSTRAINT proplink_proposition_project_fk FOREIGN KEY (proposition_id, project_id)
    REFERENCES propositions_proposition (id, project_id) ON DELETE CASCADE,
  ADD CONSTRAINT proplink_document_project_fk FOREIGN KEY (document_id, project_id)
    REFERENCES documents_document (id, project_id) ON DELETE CASCADE;

CREATE FUNCTION propositions_check_link() RETURNS trigger AS $$
DECLARE
  span_kind text;
  merged bigint;
BEGIN
  SELECT l.kind INTO span_kind FROM annotations_annotation a JOIN projects_label l ON l.id = a.label_id
    WHERE a.id = NEW.annotation_id;
  IF span_kind IS DISTINCT FROM 'claim' AND span_kind IS DISTINCT FROM 'evidence' THEN
    RAISE EXCEPTION 'proplink_claim_or_evidence: span % is a % span; only claims and evidence state propositions',
      NEW.annotation_id, span_kind USING ERRCODE = 'check_violation', CONSTRAINT = 'proplink_claim_or_evidence';
  END IF;
  SELECT p.merged_into_id INTO merged FROM propositions_proposition p WHERE p.id = NEW.proposition_id;
  IF merged IS NOT NULL THEN
    RAISE EXCEPTION 'proplink_proposition_active: proposition % was merged into %', NEW.proposition_id, merged
      USING ERRCODE = 'check_violation', CONSTRAINT = 'proplink_proposition_active';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER proplink_check
  BEFORE INSERT OR UPDATE OF annotation_id, proposition_id ON propositions_propositionlink
  FOR EACH ROW EXECUTE FUNCTION propositions_check_link();

CREATE FUNCTION propositions_check_provenance() RETURNS trigger AS $$
DECLARE
  span_kind text;
  span_project bigint;
BEGIN
  SELECT l.kind, a.project_id INTO span_kind, span_project
    FROM annotations_annotation a JOIN projects_label l ON l.id = a.label_id WHERE a.id = NEW.annotation_id;
  IF span_kind IS DISTINCT FROM 'evidence' THEN
    RAISE EXCEPTION 'provenance_on_evidence: span % is a % span; provenance is for evidence',
      NEW.annotation_id, span_kind USING ERRCODE = 'check_violation', CONSTRAINT = 'provenance_on_evidence';
  END IF;
  IF span_project IS DISTINCT FROM NEW.project_id THEN
    RAISE EXCEPTION 'provenance_same_project: span % is in project %, not %', NEW.annotation_id, span_project,
      NEW.project_id USING ERRCODE = 'check_violation', CONSTRAINT = 'provenance_same_project';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER provenance_check
  BEFORE INSERT OR UPDATE OF annotation_id, project_id ON propositions_evidenceprovenance
  FOR EACH ROW EXECUTE FUNCTION propositions_check_provenance();

CREATE INDEX annotation_quote_fts_idx ON annotations_annotation
  USING gin (to_tsvector('english'::regconfig, quote));
CREATE INDEX proposition_text_fts_idx ON propositions_proposition
  USING gin (to_tsvector('english'::regconfig, text));

-- The lexemes of ``lexemes`` that are rare in span quotes: those PostgreSQL's statistics do
-- not list among the most common elements of the quote index (so rarer than all of those)
-- or list at a frequency of at most ``cap``; at least ``minimum`` of them (the least common
-- first) when there are fewer. Without statistics (a new or small database) all are rare.
CREATE FUNCTION propositions_rare_lexemes(lexemes text[], cap real, minimum integer) RETURNS text[] AS $$
  WITH mce AS (
    SELECT e.lexeme, e.freq
    FROM pg_stats s,
         unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, freq)
    WHERE s.schemaname = current_schema() AND s.tablename = 'annotation_quote_fts_idx'
  ),
  ranked AS (
    SELECT l, mce.freq, row_number() OVER (ORDER BY COALESCE(mce.freq, 0), l) AS n
    FROM unnest(lexemes) AS l LEFT JOIN mce ON mce.lexeme = l
  )
  SELECT COALESCE(array_agg(l ORDER BY n), '{}') FROM ranked WHERE freq IS NULL OR freq <= cap OR n <= minimum
$$ LANGUAGE sql STABLE;

-- The tsquery matching any of ``lexemes`` (each quoted as one lexeme).
CREATE FUNCTION propositions_any_lexeme(lexemes text[]) RETURNS tsquery AS $$
  SELECT string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
  FROM unnest(lexemes) AS l
$$ LANGUAGE sql IMMUTABLE;
"""

REVERSE = """
DROP FUNCTION propositions_any_lexeme(text[]);
DROP FUNCTION propositions_rare_lexemes(text[], real, integer);
DROP INDEX proposition_text_fts_idx;
DROP INDEX annotation_quote_fts_idx;
DROP TRIGGER provenance_check ON propositions_evidenceprovenance;
DROP FUNCTION propositions_check_provenance();
DROP TRIGGER proplink_check ON propositions_propositionlink;
DROP FUNCTION propositions_check_link();
ALTER TABLE propositions_propositionlink
  DROP CONSTRAINT proplink_same_layer_fk,
  DROP CONSTRAINT proplink_proposition_project_fk,
  DROP CONSTRAINT proplink_document_project_fk;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    DROP FUNCTION IF EXISTS similarity(text, text);
    DROP FUNCTION IF EXISTS word_similarity(text, text);
  END IF;
END $$;
DROP FUNCTION assay_trgm_word_similarity(text, text);
DROP FUNCTION assay_trgm_similarity(text, text);
DROP FUNCTION assay_trigrams(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("propositions", "0001_initial"),
        ("annotations", "0004_scores_indexes"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
