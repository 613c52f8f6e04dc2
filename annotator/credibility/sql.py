"""The SQL that turns annotations into per-source counts, run in PostgreSQL.

Every statement is static text with named parameters; nothing from a request
is ever spliced into it. The common prefix (SCORED_SPANS) decides, per
document, which layers count and which spans and links they hold; the
metric query then aggregates per document first (one pass over the spans)
and rolls the per-document counts up to outlets and authors, so the work
over a million spans is one grouped aggregate. Speakers are aggregated from
the attributed spans only.

Parameters: project (id), use_gold, use_approved (the fallback chain, see
docs/credibility.md), everything (all documents of the project) or the
target ids outlets / authors / speakers (0 = unknown outlet / author).
"""

# Documents in play: all of the project's, or those of the targeted sources.
_DOCS = """
docs AS (
  SELECT d.id, d.word_count, d.source_id
  FROM documents_document d
  WHERE d.project_id = %(project)s AND (
    %(everything)s
    OR COALESCE(d.source_id, 0) = ANY(%(outlets)s::bigint[])
    OR EXISTS (SELECT 1 FROM documents_document_authors da
               WHERE da.document_id = d.id AND da.author_id = ANY(%(authors)s::bigint[]))
    OR (0 = ANY(%(authors)s::bigint[])
        AND NOT EXISTS (SELECT 1 FROM documents_document_authors da WHERE da.document_id = d.id))
    OR EXISTS (SELECT 1 FROM annotations_relation ar
               WHERE ar.document_id = d.id AND ar.type = 'attributed_to'
                 AND ar.speaker_id = ANY(%(speakers)s::bigint[]))
  )
)"""

# Built by concatenating the constant fragments of this module (no input): hence the noqa.
SCORED_SPANS = (
    "WITH"  # noqa: S608
    + _DOCS
    + """,
gold_docs AS (
  SELECT DISTINCT a.document_id FROM annotations_annotation a JOIN docs ON docs.id = a.document_id
  WHERE a.layer = 'gold' AND a.status <> 'rejected'
),
asg AS (
  SELECT s.document_id, s.annotator_id, s.state FROM reviews_assignment s JOIN docs ON docs.id = s.document_id
  WHERE s.state IN ('submitted', 'approved')
),
-- The first tier of the project's chain that has a layer on the document.
tiers AS (
  SELECT d.id AS document_id, d.word_count, d.source_id,
    CASE
      WHEN %(use_gold)s AND EXISTS (SELECT 1 FROM gold_docs g WHERE g.document_id = d.id) THEN 'gold'
      WHEN %(use_approved)s AND EXISTS (
        SELECT 1 FROM asg WHERE asg.document_id = d.id AND asg.state = 'approved') THEN 'approved'
      WHEN EXISTS (SELECT 1 FROM asg WHERE asg.document_id = d.id) THEN 'submitted'
    END AS tier
  FROM docs d
),
-- One reading per counted layer: the gold layer, or each qualifying annotator layer.
readings AS (
  SELECT t.document_id, t.tier, 'gold'::text AS layer, 0::bigint AS reader
  FROM tiers t WHERE t.tier = 'gold'
  UNION ALL
  SELECT t.document_id, t.tier, 'annotator'::text, asg.annotator_id
  FROM tiers t JOIN asg ON asg.document_id = t.document_id
  WHERE t.tier = 'submitted' OR (t.tier = 'approved' AND asg.state = 'approved')
),
spans AS (
  SELECT a.id, a.document_id, r.reader, l.kind, a.subtype_id, a.start, a."end", a.quote
  FROM readings r
  JOIN annotations_annotation a ON a.document_id = r.document_id AND a.layer = r.layer
    AND (r.layer = 'gold' OR a.annotator_id = r.reader)
  JOIN projects_label l ON l.id = a.label_id
  WHERE a.status <> 'rejected' AND l.kind IN ('claim', 'evidence', 'opinion', 'hedge')
),
-- What points at each span. Both ends are in one layer (a composite foreign key).
links AS (
  SELECT rel.target_id AS span_id,
    bool_or(rel.type = 'supports' AND sl.kind = 'evidence') AS supported,
    bool_or(rel.type = 'attacks' AND sl.kind = 'evidence') AS attacked,
    bool_or(rel.type = 'qualifies' AND sl.kind = 'hedge') AS qualified
  FROM annotations_relation rel
  JOIN docs ON docs.id = rel.document_id
  JOIN annotations_annotation src ON src.id = rel.source_id
  JOIN projects_label sl ON sl.id = src.label_id
  WHERE rel.target_id IS NOT NULL AND rel.status <> 'rejected' AND src.status <> 'rejected'
    AND rel.type IN ('supports', 'attacks', 'qualifies')
  GROUP BY rel.target_id
),
flagged AS (
  SELECT s.*, COALESCE(k.supported, false) AS supported, COALESCE(k.attacked, false) AS attacked,
    COALESCE(k.qualified, false) AS qualified
  FROM spans s LEFT JOIN links k ON k.span_id = s.id
),
attr AS (
  SELECT DISTINCT rel.source_id AS span_id, rel.speaker_id
  FROM annotations_relation rel JOIN docs ON docs.id = rel.document_id
  WHERE rel.type = 'attributed_to' AND rel.status <> 'rejected'
)"""
)

_COUNTS = """
    count(*) FILTER (WHERE f.kind = 'claim') AS claims,
    count(*) FILTER (WHERE f.kind = 'evidence') AS evidence,
    count(*) FILTER (WHERE f.kind = 'opinion') AS opinions,
    count(*) FILTER (WHERE f.kind = 'hedge') AS hedges,
    count(*) FILTER (WHERE f.kind = 'claim' AND f.supported) AS supported_claims,
    count(*) FILTER (WHERE f.kind = 'claim' AND f.attacked) AS attacked_claims,
    count(*) FILTER (WHERE f.kind = 'claim' AND f.supported AND f.attacked) AS contested_claims,
    count(*) FILTER (WHERE f.kind = 'claim' AND f.qualified) AS qualified_claims"""

_SUMS = """
    sum(ds.readings)::int AS readings, sum(ds.word_count * ds.readings)::bigint AS words,
    sum(ds.claims)::int AS claims, sum(ds.evidence)::int AS evidence,
    sum(ds.opinions)::int AS opinions, sum(ds.hedges)::int AS hedges,
    sum(ds.supported_claims)::int AS supported_claims, sum(ds.attacked_claims)::int AS attacked_claims,
    sum(ds.contested_claims)::int AS contested_claims, sum(ds.qualified_claims)::int AS qualified_claims"""

_TIER_COUNTS = """
    count(DISTINCT {doc}) FILTER (WHERE {tier} IS NOT NULL)::int AS scored_documents,
    count(DISTINCT {doc}) FILTER (WHERE {tier} = 'gold')::int AS docs_gold,
    count(DISTINCT {doc}) FILTER (WHERE {tier} = 'approved')::int AS docs_approved,
    count(DISTINCT {doc}) FILTER (WHERE {tier} = 'submitted')::int AS docs_submitted"""

METRICS = (
    SCORED_SPANS  # noqa: S608
    + """,
span_counts AS (
  SELECT f.document_id,"""
    + _COUNTS
    + """
  FROM flagged f GROUP BY f.document_id
),
reading_counts AS (SELECT document_id, count(*) AS readings FROM readings GROUP BY document_id),
doc_stats AS (
  SELECT t.document_id, t.source_id, t.word_count, t.tier, COALESCE(rc.readings, 0) AS readings,
    COALESCE(sc.claims, 0) AS claims, COALESCE(sc.evidence, 0) AS evidence,
    COALESCE(sc.opinions, 0) AS opinions, COALESCE(sc.hedges, 0) AS hedges,
    COALESCE(sc.supported_claims, 0) AS supported_claims, COALESCE(sc.attacked_claims, 0) AS attacked_claims,
    COALESCE(sc.contested_claims, 0) AS contested_claims, COALESCE(sc.qualified_claims, 0) AS qualified_claims
  FROM tiers t
  LEFT JOIN reading_counts rc ON rc.document_id = t.document_id
  LEFT JOIN span_counts sc ON sc.document_id = t.document_id
),
doc_entities AS (
  SELECT 'outlet'::text AS kind, COALESCE(ds.source_id, 0) AS entity_id, ds.document_id FROM doc_stats ds
  UNION ALL
  SELECT 'author', COALESCE(da.author_id, 0), ds.document_id
  FROM doc_stats ds LEFT JOIN documents_document_authors da ON da.document_id = ds.document_id
),
evidence_types AS (
  SELECT f.document_id, f.reader, f.id, COALESCE(st.code, 'unspecified') AS code
  FROM flagged f LEFT JOIN projects_labelsubtype st ON st.id = f.subtype_id
  WHERE f.kind = 'evidence'
),
doc_subtypes AS (SELECT document_id, code, count(*) AS n FROM evidence_types GROUP BY document_id, code),
speaker_readings AS (
  SELECT DISTINCT a.speaker_id, f.document_id, f.reader FROM flagged f JOIN attr a ON a.span_id = f.id
),
entity_rows AS (
  SELECT e.kind, e.entity_id, count(*)::int AS documents,"""
    + _TIER_COUNTS.format(doc="ds.document_id", tier="ds.tier")
    + ","
    + _SUMS
    + """
  FROM doc_entities e JOIN doc_stats ds ON ds.document_id = e.document_id
  GROUP BY e.kind, e.entity_id
  UNION ALL
  SELECT 'speaker', w.speaker_id, w.documents, w.documents, w.docs_gold, w.docs_approved, w.docs_submitted,
    w.readings, w.words, c.claims::int, c.evidence::int, c.opinions::int, c.hedges::int,
    c.supported_claims::int, c.attacked_claims::int, c.contested_claims::int, c.qualified_claims::int
  FROM (
    SELECT sr.speaker_id, count(DISTINCT sr.document_id)::int AS documents,"""
    + _TIER_COUNTS.format(doc="sr.document_id", tier="ds.tier").split(",", 1)[1]
    + """,
      count(*)::int AS readings, sum(ds.word_count)::bigint AS words
    FROM speaker_readings sr JOIN doc_stats ds ON ds.document_id = sr.document_id
    GROUP BY sr.speaker_id
  ) w JOIN (
    SELECT a.speaker_id,"""
    + _COUNTS
    + """
    FROM flagged f JOIN attr a ON a.span_id = f.id GROUP BY a.speaker_id
  ) c ON c.speaker_id = w.speaker_id
),
entity_subtypes AS (
  SELECT kind, entity_id, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT e.kind, e.entity_id, s.code, sum(s.n)::int AS n
    FROM doc_entities e JOIN doc_subtypes s ON s.document_id = e.document_id
    GROUP BY e.kind, e.entity_id, s.code
    UNION ALL
    SELECT 'speaker', a.speaker_id, t.code, count(*)::int
    FROM evidence_types t JOIN attr a ON a.span_id = t.id
    GROUP BY a.speaker_id, t.code
  ) per_code GROUP BY kind, entity_id
)
SELECT r.kind, r.entity_id,
  COALESCE(src.name, au.name, sp.name,
    CASE r.kind WHEN 'outlet' THEN 'Unknown outlet' WHEN 'author' THEN 'Unknown author' END) AS entity_name,
  r.documents, r.scored_documents, r.docs_gold, r.docs_approved, r.docs_submitted,
  r.readings, COALESCE(r.words, 0) AS words, r.claims, r.evidence, r.opinions, r.hedges,
  r.supported_claims, r.attacked_claims, r.contested_claims, r.qualified_claims,
  COALESCE(es.subtypes, '{}'::jsonb) AS evidence_subtypes
FROM entity_rows r
LEFT JOIN entity_subtypes es ON es.kind = r.kind AND es.entity_id = r.entity_id
LEFT JOIN sources_source src ON r.kind = 'outlet' AND src.id = r.entity_id
LEFT JOIN sources_author au ON r.kind = 'author' AND au.id = r.entity_id
LEFT JOIN sources_speaker sp ON r.kind = 'speaker' AND sp.id = r.entity_id
WHERE %(everything)s
  OR (r.kind = 'outlet' AND r.entity_id = ANY(%(outlets)s::bigint[]))
  OR (r.kind = 'author' AND r.entity_id = ANY(%(authors)s::bigint[]))
  OR (r.kind = 'speaker' AND r.entity_id = ANY(%(speakers)s::bigint[]))
"""
)

METRIC_COLUMNS = [
    "kind",
    "entity_id",
    "entity_name",
    "documents",
    "scored_documents",
    "docs_gold",
    "docs_approved",
    "docs_submitted",
    "readings",
    "words",
    "claims",
    "evidence",
    "opinions",
    "hedges",
    "supported_claims",
    "attacked_claims",
    "contested_claims",
    "qualified_claims",
    "evidence_subtypes",
]

# The spans behind a source's figures, for drill-down. Extra parameters:
# kind, entity_id, span_kind ('claim', 'evidence', ... or '' for all),
# unsupported_only.
DRILL_SPANS = (
    SCORED_SPANS  # noqa: S608
    + """
SELECT f.id, f.document_id, f.reader, f.kind, f.start, f."end", f.quote,
  f.supported, f.attacked, f.qualified, t.tier,
  COALESCE(NULLIF(d.title, ''), 'Untitled document #' || d.id) AS title
FROM flagged f
JOIN tiers t ON t.document_id = f.document_id
JOIN documents_document d ON d.id = f.document_id
WHERE (%(span_kind)s = '' OR f.kind = %(span_kind)s)
  AND (NOT %(unsupported_only)s OR (f.kind = 'claim' AND NOT f.supported))
  AND (%(kind)s <> 'speaker' OR EXISTS (
    SELECT 1 FROM attr a WHERE a.span_id = f.id AND a.speaker_id = %(entity_id)s))
  AND (%(kind)s <> 'outlet' OR COALESCE(d.source_id, 0) = %(entity_id)s)
  AND (%(kind)s <> 'author' OR (%(entity_id)s = 0 AND NOT EXISTS (
        SELECT 1 FROM documents_document_authors da WHERE da.document_id = d.id))
    OR EXISTS (SELECT 1 FROM documents_document_authors da
               WHERE da.document_id = d.id AND da.author_id = %(entity_id)s))
ORDER BY f.document_id, f.start, f."end", f.id
LIMIT %(limit)s
"""
)

# Per-document figures of one source for drill-down (outlets and authors;
# for speakers the documents where they are quoted).
DRILL_DOCUMENTS = (
    SCORED_SPANS  # noqa: S608
    + """,
per_doc AS (
  SELECT f.document_id,"""
    + _COUNTS
    + """
  FROM flagged f
  WHERE %(kind)s <> 'speaker' OR EXISTS (
    SELECT 1 FROM attr a WHERE a.span_id = f.id AND a.speaker_id = %(entity_id)s)
  GROUP BY f.document_id
)
SELECT d.id, COALESCE(NULLIF(d.title, ''), 'Untitled document #' || d.id) AS title, d.word_count, t.tier,
  COALESCE(p.claims, 0), COALESCE(p.evidence, 0), COALESCE(p.opinions, 0), COALESCE(p.hedges, 0),
  COALESCE(p.supported_claims, 0), COALESCE(p.qualified_claims, 0)
FROM tiers t
JOIN documents_document d ON d.id = t.document_id
LEFT JOIN per_doc p ON p.document_id = t.document_id
WHERE (%(kind)s = 'speaker' AND p.document_id IS NOT NULL)
  OR (%(kind)s = 'outlet' AND COALESCE(d.source_id, 0) = %(entity_id)s)
  OR (%(kind)s = 'author' AND ((%(entity_id)s = 0 AND NOT EXISTS (
        SELECT 1 FROM documents_document_authors da WHERE da.document_id = d.id))
    OR EXISTS (SELECT 1 FROM documents_document_authors da
               WHERE da.document_id = d.id AND da.author_id = %(entity_id)s)))
ORDER BY d.id
"""
)
