"""Level 2 of the two-level aggregation in SQL: a source's figures are sums over its documents'
rows (sql_documents.py counts each document).

Each scored document is one unit; the work is the number of the sources' documents, not of
their spans. Parameters: project, everything, outlets / authors / speakers (0 = unknown
outlet / author). Statements are constants built from constants (hence the S608 noqa).
"""

from annotator.credibility.models import COUNT_FIELDS
from annotator.credibility.registry import METRICS, REPORTED_COUNTS, SPAN_COUNTS, UNIT_COUNTS

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

# Level 2. Each scored document is one unit: its counts divided by its readings
# (the gold layer is one reading, else the mean of its readers' counts). A
# source's counts are the sums of its units; each metric of the registry gets
# the five sums its clustered interval needs (intervals.Moments), over the
# documents that contribute to it (x > 0). Unscored documents (no reading) are
# listed in ``documents`` only.
_WORDS = "COALESCE(d.body_word_count, d.word_count)"  # body words: boilerplate regions excluded
_UNIT_VALUES = ", ".join(f"c.{c}::float8 / NULLIF(c.readings, 0) AS {c}" for c in UNIT_COUNTS)
_SPEAKER_VALUES = ", ".join(
    [f"s.{c}::float8 / NULLIF(c.readings, 0) AS {c}" for c in SPAN_COUNTS]
    + [f"0::float8 AS {c}" for c in REPORTED_COUNTS]
)


def _moments() -> str:
    # Only n needs the x > 0 filter: x ≥ 0, so zero rows add nothing to Σx and Σx², and
    # y is 0 wherever x is, except a rate's (hedges in a document whose body words are
    # all boilerplate), so y's sums are filtered for rates only. Unfiltered sums are
    # the same aggregates as the count columns', which PostgreSQL computes once.
    parts = []
    for metric in METRICS:
        e = metric.moments_sql("u")
        x, y, name = e["x"], e["y"], metric.name
        only = f" FILTER (WHERE {x} > 0)" if metric.method == "rate" else ""
        parts.append(
            f"json_build_array(count(*) FILTER (WHERE {x} > 0), COALESCE(sum({y}){only}, 0),"
            f" COALESCE(sum({x}), 0), COALESCE(sum({y} * {y}){only}, 0),"
            f" COALESCE(sum({x} * {x}), 0), COALESCE(sum({x} * {y}){only}, 0))"
            f" AS m_{name}"
        )
    return ",\n    ".join(parts)


ROLLUP = (
    "\nWITH entity_docs AS MATERIALIZED ("  # noqa: S608
    + _TARGET_DOCS
    + """
),
units AS (
  SELECT e.kind, e.entity_id, e.document_id, c.tier, COALESCE(c.readings, 0) AS readings,
    CASE WHEN c.readings > 0 THEN """
    + _WORDS
    + """ ELSE 0 END::float8 AS words, """
    + _UNIT_VALUES
    + """
  FROM entity_docs e
  JOIN documents_document d ON d.id = e.document_id
  LEFT JOIN credibility_documentcounts c ON c.document_id = e.document_id
  UNION ALL
  SELECT 'speaker', s.speaker_id, s.document_id, c.tier, COALESCE(c.readings, 0),
    CASE WHEN c.readings > 0 THEN """
    + _WORDS
    + """ ELSE 0 END::float8, """
    + _SPEAKER_VALUES
    + """
  FROM credibility_speakercounts s
  JOIN documents_document d ON d.id = s.document_id
  LEFT JOIN credibility_documentcounts c ON c.document_id = s.document_id
  WHERE s.project_id = %(project)s AND (%(everything)s OR s.speaker_id = ANY(%(speakers)s::bigint[]))
),
entity_rows AS (
  SELECT u.kind, u.entity_id, count(*)::int AS documents,
    count(*) FILTER (WHERE u.readings > 0)::int AS scored_documents,
    count(*) FILTER (WHERE u.tier = 'gold')::int AS docs_gold,
    count(*) FILTER (WHERE u.tier = 'approved')::int AS docs_approved,
    count(*) FILTER (WHERE u.tier = 'submitted')::int AS docs_submitted,
    COALESCE(sum(u.readings), 0)::int AS readings, COALESCE(sum(u.words), 0)::bigint AS words, """
    + ", ".join(f"COALESCE(sum(u.{c}), 0) AS {c}" for c in UNIT_COUNTS)
    + """,
    """
    + _moments()
    + """
  FROM units u
  GROUP BY u.kind, u.entity_id
),
-- Each scored document's subtype counts read out of their jsonb once (not once per
-- source it belongs to), then summed per source.
doc_subtypes AS MATERIALIZED (
  SELECT c.document_id, x.key AS code, x.value::float8 / c.readings AS n
  FROM credibility_documentcounts c, jsonb_each_text(c.evidence_subtypes) x
  WHERE c.readings > 0 AND c.evidence_subtypes <> '{}'::jsonb
    AND c.document_id IN (SELECT document_id FROM entity_docs)
),
entity_subtypes AS (
  SELECT kind, entity_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT e.kind, e.entity_id, x.code, sum(x.n) AS n
    FROM entity_docs e JOIN doc_subtypes x ON x.document_id = e.document_id
    GROUP BY 1, 2, 3
    UNION ALL
    SELECT 'speaker', s.speaker_id, x.key, sum(x.value::float8 / c.readings)
    FROM credibility_speakercounts s
    JOIN credibility_documentcounts c ON c.document_id = s.document_id AND c.readings > 0,
      jsonb_each_text(s.evidence_subtypes) x
    WHERE s.project_id = %(project)s AND (%(everything)s OR s.speaker_id = ANY(%(speakers)s::bigint[]))
      AND s.evidence_subtypes <> '{}'::jsonb
    GROUP BY 1, 2, 3
  ) per_code GROUP BY kind, entity_id
)
SELECT r.kind, r.entity_id,
  COALESCE(src.name, au.name, sp.name,
    CASE r.kind WHEN 'outlet' THEN 'Unknown outlet' WHEN 'author' THEN 'Unknown author' END) AS entity_name,
  """
    + ", ".join(f"r.{c}" for c in COUNT_FIELDS)
    + """,
  COALESCE(es.subtypes, '{}'::jsonb) AS evidence_subtypes, """
    + ", ".join(f"r.m_{m.name}" for m in METRICS)
    + """
FROM entity_rows r
LEFT JOIN entity_subtypes es ON es.kind = r.kind AND es.entity_id = r.entity_id
LEFT JOIN sources_source src ON r.kind = 'outlet' AND src.id = r.entity_id
LEFT JOIN sources_author au ON r.kind = 'author' AND au.id = r.entity_id
LEFT JOIN sources_speaker sp ON r.kind = 'speaker' AND sp.id = r.entity_id
"""
)
# The stored count columns (models.COUNT_FIELDS) in the order ROLLUP selects them.
ROLLUP_COLUMNS = [
    "kind",
    "entity_id",
    "entity_name",
    *COUNT_FIELDS,
    "evidence_subtypes",
    *(f"m_{m.name}" for m in METRICS),
]
