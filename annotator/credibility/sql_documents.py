"""Two-level aggregation in SQL: count each document, then sum documents per source.

Level 1 (REFRESH): for a set of documents (or all of a project's), one
grouped pass over their scored spans writes one DocumentCounts row per
document and one SpeakerCounts row per (document, quoted speaker).
Level 2 (ROLLUP): a source's figures are sums over its documents' rows.
A change recounts its own document and re-sums its sources: the work is the
size of one document plus the number of the sources' documents, not of
their spans. A full recompute refreshes every document, then rolls up all.

Parameters: project, use_gold, use_approved, everything, documents (ids) for
REFRESH; project, everything, outlets / authors / speakers for ROLLUP.
Statements are constants built from constants (hence the S608 noqa).
"""

from annotator.credibility.sql import _LINKS_ATTR, _READINGS, _SCORED, _SCORED_JOIN, _TIERS, on_temp_tables

_DOCS = """docs AS (
  SELECT d.id, d.word_count, d.source_id FROM documents_document d
  WHERE d.project_id = %(project)s AND (%(everything)s OR d.id = ANY(%(documents)s::bigint[]))
)"""

# Tiers and readings go to temporary tables that are ANALYZEd, so the planner
# knows whether it is joining a million spans or a hundred and plans for it.
REFRESH_SETUP = [
    "DROP TABLE IF EXISTS pg_temp.credibility_tiers, pg_temp.credibility_readings",
    "CREATE TEMPORARY TABLE credibility_tiers ON COMMIT DROP AS WITH " + _DOCS + _TIERS,  # noqa: S608
    "CREATE TEMPORARY TABLE credibility_readings ON COMMIT DROP AS "  # noqa: S608
    + "WITH tiers AS (SELECT * FROM credibility_tiers)"
    + _READINGS,
    "ANALYZE credibility_tiers",
    "ANALYZE credibility_readings",
]

_COUNTS = """
    count(*) FILTER (WHERE l.kind = 'claim') AS claims,
    count(*) FILTER (WHERE l.kind = 'evidence') AS evidence,
    count(*) FILTER (WHERE l.kind = 'opinion') AS opinions,
    count(*) FILTER (WHERE l.kind = 'hedge') AS hedges,
    count(*) FILTER (WHERE l.kind = 'claim' AND k.supported) AS supported_claims,
    count(*) FILTER (WHERE l.kind = 'claim' AND k.attacked) AS attacked_claims,
    count(*) FILTER (WHERE l.kind = 'claim' AND k.supported AND k.attacked) AS contested_claims,
    count(*) FILTER (WHERE l.kind = 'claim' AND k.qualified) AS qualified_claims"""

_COUNT_COLUMNS = "claims, evidence, opinions, hedges, supported_claims, attacked_claims, contested_claims, qualified_claims"
_UPDATE = ", ".join(
    f"{c} = EXCLUDED.{c}"
    for c in [
        "tier",
        "readings",
        *_COUNT_COLUMNS.split(", "),
        "evidence_subtypes",
        "computed_at",
        "project_id",
    ]
)

REFRESH_SPEAKERS_DELETE = (
    "DELETE FROM credibility_speakercounts WHERE document_id IN (SELECT document_id FROM credibility_tiers)"
)

# One statement, so the links are computed once for both inserts: the document
# counts (a data-modifying CTE) and the per-speaker counts.
REFRESH = on_temp_tables(
    "WITH"  # noqa: S608
    + _LINKS_ATTR
    + """,
-- One grouped pass over the scored spans: a row per document and evidence subtype.
groups AS MATERIALIZED (
  SELECT a.document_id, a.subtype_id,"""
    + _COUNTS
    + """
  FROM """
    + _SCORED
    + """
  GROUP BY a.document_id, a.subtype_id
),
per_doc AS (
  SELECT document_id, """
    + ", ".join(f"sum({c})::int AS {c}" for c in _COUNT_COLUMNS.split(", "))
    + """
  FROM groups GROUP BY document_id
),
subtypes AS (
  SELECT document_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT g.document_id, COALESCE(st.code, 'unspecified') AS code, sum(g.evidence)::int AS n
    FROM groups g LEFT JOIN projects_labelsubtype st ON st.id = g.subtype_id
    WHERE g.evidence > 0 GROUP BY 1, 2
  ) per_code GROUP BY document_id
),
reading_counts AS (SELECT document_id, count(*)::int AS readings FROM readings GROUP BY document_id),
document_rows AS (
  INSERT INTO credibility_documentcounts (document_id, project_id, tier, readings, """
    + _COUNT_COLUMNS
    + """, evidence_subtypes, computed_at)
  SELECT t.document_id, %(project)s, COALESCE(t.tier, ''), COALESCE(rc.readings, 0), """
    + ", ".join(f"COALESCE(p.{c}, 0)" for c in _COUNT_COLUMNS.split(", "))
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
  FROM tiers t
  LEFT JOIN reading_counts rc ON rc.document_id = t.document_id
  LEFT JOIN per_doc p ON p.document_id = t.document_id
  LEFT JOIN subtypes s ON s.document_id = t.document_id
  ON CONFLICT (document_id) DO UPDATE SET """
    + _UPDATE
    + """
),
-- The attributed spans first (few), then whether they are scored.
attributed AS MATERIALIZED (
  SELECT at.speaker_id, a.id, a.document_id, a.layer, a.annotator_id, a.label_id, a.subtype_id, a.status
  FROM attr at CROSS JOIN LATERAL (
    -- OFFSET 0 keeps this a primary-key lookup per attribution instead of hashing every span.
    SELECT * FROM annotations_annotation a WHERE a.id = at.span_id OFFSET 0
  ) a
),
speaker_spans AS MATERIALIZED (
  SELECT a.speaker_id, a.document_id, r.reader, l.kind, a.subtype_id, k.supported, k.attacked, k.qualified
  FROM attributed a"""
    + _SCORED_JOIN
    + """
),
speaker_subtypes AS (
  SELECT document_id, speaker_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT ss.document_id, ss.speaker_id, COALESCE(st.code, 'unspecified') AS code, count(*)::int AS n
    FROM speaker_spans ss LEFT JOIN projects_labelsubtype st ON st.id = ss.subtype_id
    WHERE ss.kind = 'evidence' GROUP BY 1, 2, 3
  ) per_code GROUP BY document_id, speaker_id
),
per_speaker AS (
  SELECT ss.document_id, ss.speaker_id, count(DISTINCT ss.reader)::int AS readings, """
    + _COUNTS.replace("l.kind", "ss.kind").replace("k.", "ss.")
    + """
  FROM speaker_spans ss GROUP BY ss.document_id, ss.speaker_id
)
INSERT INTO credibility_speakercounts (document_id, speaker_id, project_id, tier, readings, """
    + _COUNT_COLUMNS
    + """, evidence_subtypes, computed_at)
SELECT p.document_id, p.speaker_id, %(project)s, t.tier, p.readings, """
    + _COUNT_COLUMNS
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
FROM per_speaker p
JOIN tiers t ON t.document_id = p.document_id
LEFT JOIN speaker_subtypes s ON s.document_id = p.document_id AND s.speaker_id = p.speaker_id
"""
)

# Documents of the targeted sources that have never been counted.
UNCOUNTED = """
SELECT d.id FROM documents_document d
WHERE d.project_id = %(project)s
  AND NOT EXISTS (SELECT 1 FROM credibility_documentcounts c WHERE c.document_id = d.id)
  AND (%(everything)s
    OR COALESCE(d.source_id, 0) = ANY(%(outlets)s::bigint[])
    OR EXISTS (SELECT 1 FROM documents_document_authors da
               WHERE da.document_id = d.id AND da.author_id = ANY(%(authors)s::bigint[]))
    OR (0 = ANY(%(authors)s::bigint[])
        AND NOT EXISTS (SELECT 1 FROM documents_document_authors da WHERE da.document_id = d.id))
    OR EXISTS (SELECT 1 FROM annotations_relation ar
               WHERE ar.document_id = d.id AND ar.type = 'attributed_to'
                 AND ar.speaker_id = ANY(%(speakers)s::bigint[])))
"""

_SUMS = ", ".join(f"sum(c.{c})::int AS {c}" for c in _COUNT_COLUMNS.split(", "))
_TIER_COUNTS = """
    count(*) FILTER (WHERE c.tier <> '')::int AS scored_documents,
    count(*) FILTER (WHERE c.tier = 'gold')::int AS docs_gold,
    count(*) FILTER (WHERE c.tier = 'approved')::int AS docs_approved,
    count(*) FILTER (WHERE c.tier = 'submitted')::int AS docs_submitted,
    COALESCE(sum(c.readings), 0)::int AS readings, COALESCE(sum(d.word_count * c.readings), 0)::bigint AS words"""

ROLLUP = (
    """
WITH entity_docs AS MATERIALIZED (
  SELECT 'outlet'::text AS kind, COALESCE(d.source_id, 0) AS entity_id, d.id AS document_id
  FROM documents_document d
  WHERE d.project_id = %(project)s AND (%(everything)s OR COALESCE(d.source_id, 0) = ANY(%(outlets)s::bigint[]))
  UNION ALL
  SELECT 'author', COALESCE(da.author_id, 0), d.id
  FROM documents_document d LEFT JOIN documents_document_authors da ON da.document_id = d.id
  WHERE d.project_id = %(project)s AND (%(everything)s OR COALESCE(da.author_id, 0) = ANY(%(authors)s::bigint[]))
),
speaker_rows AS MATERIALIZED (
  SELECT * FROM credibility_speakercounts s
  WHERE s.project_id = %(project)s AND (%(everything)s OR s.speaker_id = ANY(%(speakers)s::bigint[]))
),
entity_rows AS (
  SELECT e.kind, e.entity_id, count(*)::int AS documents,"""  # noqa: S608
    + _TIER_COUNTS
    + ", "
    + _SUMS
    + """
  FROM entity_docs e
  JOIN documents_document d ON d.id = e.document_id
  LEFT JOIN credibility_documentcounts c ON c.document_id = e.document_id
  GROUP BY e.kind, e.entity_id
  UNION ALL
  SELECT 'speaker', c.speaker_id, count(*)::int,"""
    + _TIER_COUNTS
    + ", "
    + _SUMS
    + """
  FROM speaker_rows c JOIN documents_document d ON d.id = c.document_id
  GROUP BY c.speaker_id
),
entity_subtypes AS (
  SELECT kind, entity_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT e.kind, e.entity_id, x.key AS code, sum(x.value::int)::int AS n
    FROM entity_docs e JOIN credibility_documentcounts c ON c.document_id = e.document_id,
      jsonb_each_text(c.evidence_subtypes) x
    GROUP BY 1, 2, 3
    UNION ALL
    SELECT 'speaker', c.speaker_id, x.key, sum(x.value::int)::int
    FROM speaker_rows c, jsonb_each_text(c.evidence_subtypes) x
    GROUP BY 1, 2, 3
  ) per_code GROUP BY kind, entity_id
)
SELECT r.kind, r.entity_id,
  COALESCE(src.name, au.name, sp.name,
    CASE r.kind WHEN 'outlet' THEN 'Unknown outlet' WHEN 'author' THEN 'Unknown author' END) AS entity_name,
  r.documents, r.scored_documents, r.docs_gold, r.docs_approved, r.docs_submitted, r.readings, r.words, """
    + ", ".join(f"COALESCE(r.{c}, 0)" for c in _COUNT_COLUMNS.split(", "))
    + """,
  COALESCE(es.subtypes, '{}'::jsonb) AS evidence_subtypes
FROM entity_rows r
LEFT JOIN entity_subtypes es ON es.kind = r.kind AND es.entity_id = r.entity_id
LEFT JOIN sources_source src ON r.kind = 'outlet' AND src.id = r.entity_id
LEFT JOIN sources_author au ON r.kind = 'author' AND au.id = r.entity_id
LEFT JOIN sources_speaker sp ON r.kind = 'speaker' AND sp.id = r.entity_id
"""
)
