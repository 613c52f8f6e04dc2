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

from annotator.credibility.sql import _READINGS, _TIERS

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

_COUNT_COLUMNS = "claims, evidence, opinions, hedges, supported_claims, attacked_claims, contested_claims, qualified_claims"
_STORED = ["tier", "readings", *_COUNT_COLUMNS.split(", "), "evidence_subtypes", "project_id"]
_UPDATE = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*_STORED, "computed_at"])


def _if_changed(table: str) -> str:
    # Unchanged rows are not rewritten: a full recompute mostly finds the same
    # counts, and 10,000 row versions cost more than the comparison. So
    # computed_at is when a row's counts last changed.
    ours = ", ".join(f"{table}.{c}" for c in _STORED)
    theirs = ", ".join(f"EXCLUDED.{c}" for c in _STORED)
    return f" WHERE ({ours}) IS DISTINCT FROM ({theirs})"


# Valid links, one row per relation: the source end must be a live evidence
# (supports, attacks) or hedge (qualifies) span. The target end is checked by
# the main pass. Both ends share the relation's layer (composite foreign
# keys), so the source is in a counted reading whenever the target is.
_VALID_LINKS = """
links AS MATERIALIZED (
  SELECT rel.target_id, rel.type
  FROM annotations_relation rel
  JOIN credibility_tiers docs ON docs.document_id = rel.document_id
  JOIN annotations_annotation src ON src.id = rel.source_id
  WHERE rel.project_id = %(project)s AND rel.target_id IS NOT NULL AND rel.status <> 'rejected'
    AND src.status <> 'rejected'
    -- Also as a plain filter, so the scan drops other spans before the join.
    AND src.label_id = ANY(ARRAY(
      SELECT id FROM projects_label WHERE project_id = %(project)s AND kind IN ('evidence', 'hedge')))
    AND ((rel.type IN ('supports', 'attacks') AND src.label_id = ANY(ARRAY(
            SELECT id FROM projects_label WHERE project_id = %(project)s AND kind = 'evidence')))
      OR (rel.type = 'qualifies' AND src.label_id = ANY(ARRAY(
            SELECT id FROM projects_label WHERE project_id = %(project)s AND kind = 'hedge'))))
),
-- Who each span is attributed to (a span may name several speakers).
attr AS MATERIALIZED (
  SELECT DISTINCT rel.source_id AS span_id, rel.speaker_id
  FROM annotations_relation rel
  JOIN credibility_tiers docs ON docs.document_id = rel.document_id
  WHERE rel.project_id = %(project)s AND rel.type = 'attributed_to' AND rel.status <> 'rejected'
)"""

# Every scored span once, with its kind, speakers and (claims only) link flags.
# The flags are hashed IN subplans over the links: cheaper than aggregating
# the links per target and joining them back. OFFSET 0 keeps each flag
# computed once per span rather than once per aggregate that reads it.
_FLAGGED = """
flagged AS (
  SELECT a.document_id, a.subtype_id, a.reader, l.kind,
    CASE WHEN a.id IN (SELECT span_id FROM attr) THEN a.id END AS attributed_id,
    l.kind = 'claim' AND a.id IN (SELECT target_id FROM links WHERE type = 'supports') AS supported,
    l.kind = 'claim' AND a.id IN (SELECT target_id FROM links WHERE type = 'attacks') AS attacked,
    l.kind = 'claim' AND a.id IN (SELECT target_id FROM links WHERE type = 'qualifies') AS qualified
  FROM (
    SELECT a.id, a.document_id, 0::bigint AS reader, a.label_id, a.subtype_id
    FROM annotations_annotation a
    JOIN credibility_readings r ON r.document_id = a.document_id AND r.layer = 'gold'
    WHERE a.project_id = %(project)s AND a.layer = 'gold' AND a.status <> 'rejected'
    UNION ALL
    SELECT a.id, a.document_id, a.annotator_id, a.label_id, a.subtype_id
    FROM annotations_annotation a
    JOIN credibility_readings r
      ON r.document_id = a.document_id AND r.layer = 'annotator' AND r.reader = a.annotator_id
    WHERE a.project_id = %(project)s AND a.layer = 'annotator' AND a.status <> 'rejected'
  ) a
  JOIN projects_label l ON l.id = a.label_id
  WHERE l.kind IN ('claim', 'evidence', 'opinion', 'hedge')
  OFFSET 0
)"""

_FLAG_COUNTS = """
    count(*) FILTER (WHERE f.kind = 'claim') AS claims,
    count(*) FILTER (WHERE f.kind = 'evidence') AS evidence,
    count(*) FILTER (WHERE f.kind = 'opinion') AS opinions,
    count(*) FILTER (WHERE f.kind = 'hedge') AS hedges,
    count(*) FILTER (WHERE f.supported) AS supported_claims,
    count(*) FILTER (WHERE f.attacked) AS attacked_claims,
    count(*) FILTER (WHERE f.supported AND f.attacked) AS contested_claims,
    count(*) FILTER (WHERE f.qualified) AS qualified_claims"""

_SUM_COUNTS = ", ".join(f"sum({c})::int AS {c}" for c in _COUNT_COLUMNS.split(", "))

# One statement and one pass over the spans: the grouped rows (per document,
# subtype and speaker set; per reader only where there are speakers) feed both
# the document counts (a data-modifying CTE) and the per-speaker counts.
REFRESH = (
    "WITH"  # noqa: S608
    + _VALID_LINKS
    + ","
    + _FLAGGED
    + """,
groups AS MATERIALIZED (
  SELECT f.document_id, f.subtype_id, f.attributed_id,
    CASE WHEN f.attributed_id IS NOT NULL THEN f.reader END AS reader,"""
    + _FLAG_COUNTS
    + """
  FROM flagged f
  GROUP BY 1, 2, 3, 4
),
per_doc AS (
  SELECT document_id, """
    + _SUM_COUNTS
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
reading_counts AS (
  SELECT document_id, count(*)::int AS readings FROM credibility_readings GROUP BY document_id
),
document_rows AS (
  INSERT INTO credibility_documentcounts (document_id, project_id, tier, readings, """
    + _COUNT_COLUMNS
    + """, evidence_subtypes, computed_at)
  SELECT t.document_id, %(project)s, COALESCE(t.tier, ''), COALESCE(rc.readings, 0), """
    + ", ".join(f"COALESCE(p.{c}, 0)" for c in _COUNT_COLUMNS.split(", "))
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
  FROM credibility_tiers t
  LEFT JOIN reading_counts rc ON rc.document_id = t.document_id
  LEFT JOIN per_doc p ON p.document_id = t.document_id
  LEFT JOIN subtypes s ON s.document_id = t.document_id
  ON CONFLICT (document_id) DO UPDATE SET """
    + _UPDATE
    + _if_changed("credibility_documentcounts")
    + """
),
speaker_groups AS MATERIALIZED (
  SELECT g.*, at.speaker_id FROM groups g JOIN attr at ON at.span_id = g.attributed_id
),
speaker_subtypes AS (
  SELECT document_id, speaker_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT g.document_id, g.speaker_id, COALESCE(st.code, 'unspecified') AS code, sum(g.evidence)::int AS n
    FROM speaker_groups g LEFT JOIN projects_labelsubtype st ON st.id = g.subtype_id
    WHERE g.evidence > 0 GROUP BY 1, 2, 3
  ) per_code GROUP BY document_id, speaker_id
),
per_speaker AS (
  SELECT document_id, speaker_id, count(DISTINCT reader)::int AS readings, """
    + _SUM_COUNTS
    + """
  FROM speaker_groups GROUP BY document_id, speaker_id
),
-- Pairs no longer quoted go; the others are upserted (disjoint rows, one snapshot).
speaker_gone AS (
  DELETE FROM credibility_speakercounts c
  WHERE c.document_id IN (SELECT document_id FROM credibility_tiers)
    AND NOT EXISTS (SELECT 1 FROM per_speaker p WHERE p.document_id = c.document_id AND p.speaker_id = c.speaker_id)
)
INSERT INTO credibility_speakercounts (document_id, speaker_id, project_id, tier, readings, """
    + _COUNT_COLUMNS
    + """, evidence_subtypes, computed_at)
SELECT p.document_id, p.speaker_id, %(project)s, t.tier, p.readings, """
    + _COUNT_COLUMNS
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
FROM per_speaker p
JOIN credibility_tiers t ON t.document_id = p.document_id
LEFT JOIN speaker_subtypes s ON s.document_id = p.document_id AND s.speaker_id = p.speaker_id
ON CONFLICT (document_id, speaker_id) DO UPDATE SET """
    + _UPDATE
    + _if_changed("credibility_speakercounts")
    + """
"""
)

# The documents of the targeted sources, one branch per kind of target so each is an
# index lookup (a COALESCE over the column would scan every document of the project).
# With everything=true every branch is the whole project.
_TARGET_DOCS = """
  SELECT 'outlet'::text AS kind, COALESCE(d.source_id, 0) AS entity_id, d.id AS document_id
  FROM documents_document d
  WHERE d.project_id = %(project)s AND (%(everything)s OR d.source_id = ANY(%(outlets)s::bigint[])
    OR (d.source_id IS NULL AND 0 = ANY(%(outlets)s::bigint[])))
  UNION ALL
  SELECT 'author', da.author_id, d.id
  FROM documents_document_authors da JOIN documents_document d ON d.id = da.document_id
  WHERE d.project_id = %(project)s AND (%(everything)s OR da.author_id = ANY(%(authors)s::bigint[]))
  UNION ALL
  SELECT 'author', 0, d.id
  FROM documents_document d
  WHERE d.project_id = %(project)s AND (%(everything)s OR 0 = ANY(%(authors)s::bigint[]))
    AND NOT EXISTS (SELECT 1 FROM documents_document_authors da WHERE da.document_id = d.id)"""

# Documents of the targeted sources (speakers: where they are quoted) never counted.
UNCOUNTED = (
    "WITH targeted AS ("  # noqa: S608
    + _TARGET_DOCS
    + """
  UNION ALL
  SELECT 'speaker', ar.speaker_id, ar.document_id
  FROM annotations_relation ar
  WHERE ar.project_id = %(project)s AND ar.type = 'attributed_to'
    AND (%(everything)s OR ar.speaker_id = ANY(%(speakers)s::bigint[]))
)
SELECT t.document_id FROM (SELECT DISTINCT document_id FROM targeted) t
WHERE NOT EXISTS (SELECT 1 FROM credibility_documentcounts c WHERE c.document_id = t.document_id)
"""
)

_SUMS = ", ".join(f"sum(c.{c})::int AS {c}" for c in _COUNT_COLUMNS.split(", "))
_TIER_COUNTS = """
    count(*) FILTER (WHERE c.tier <> '')::int AS scored_documents,
    count(*) FILTER (WHERE c.tier = 'gold')::int AS docs_gold,
    count(*) FILTER (WHERE c.tier = 'approved')::int AS docs_approved,
    count(*) FILTER (WHERE c.tier = 'submitted')::int AS docs_submitted,
    COALESCE(sum(c.readings), 0)::int AS readings, COALESCE(sum(d.word_count * c.readings), 0)::bigint AS words"""

ROLLUP = (
    "\nWITH entity_docs AS MATERIALIZED ("  # noqa: S608
    + _TARGET_DOCS
    + """
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
