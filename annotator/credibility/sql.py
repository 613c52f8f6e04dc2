"""The SQL of source scores, run in PostgreSQL: shared fragments and the drill-down queries.

Every statement is static text with named parameters; nothing from a request
is ever spliced into it (the fragments are constants of this module, hence
the S608 noqa where they are joined).

The fragments decide, per document, which layers count (``tiers``,
``readings``: the fallback chain in docs/credibility.md, "What one document contributes") and who
each span is attributed to (``attr``); what points at each span is kept on the
span rows (``is_supported``, ``is_attacked``, ``is_qualified``: migration credibility 0004).
sql_documents.py and sql_rollup.py build the two-level metric aggregation from them; the
drill-down queries below list the spans and documents behind a figure.

Parameters: project (id), use_gold, use_approved, everything (all the
project's documents) or the target ids outlets / authors / speakers
(0 = unknown outlet / author). Label kinds are never named here: the kinds
registry (projects/kinds.py) renders which kinds count, and as what (``role``).
"""

from annotator.projects.kinds import ROLES, kinds_sql, role_sql

_DOCS = """docs AS (
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

# The first tier of the project's chain that has a layer on the document.
_TIERS = """
  SELECT d.id AS document_id, d.word_count, d.source_id,
    CASE
      WHEN %(use_gold)s AND EXISTS (
        SELECT 1 FROM annotations_annotation a
        WHERE a.document_id = d.id AND a.layer = 'gold' AND a.status <> 'rejected') THEN 'gold'
      WHEN %(use_approved)s AND EXISTS (
        SELECT 1 FROM reviews_assignment s WHERE s.document_id = d.id AND s.state = 'approved') THEN 'approved'
      WHEN EXISTS (
        SELECT 1 FROM reviews_assignment s
        WHERE s.document_id = d.id AND s.state IN ('submitted', 'approved')) THEN 'submitted'
    END AS tier
  FROM docs d"""

# One reading per counted layer: the gold layer, or each qualifying annotator layer.
_READINGS = """
  SELECT t.document_id, t.tier, 'gold'::text AS layer, 0::bigint AS reader
  FROM tiers t WHERE t.tier = 'gold'
  UNION ALL
  SELECT t.document_id, t.tier, 'annotator'::text, s.annotator_id
  FROM tiers t JOIN reviews_assignment s ON s.document_id = t.document_id
  WHERE (t.tier = 'submitted' AND s.state IN ('submitted', 'approved'))
     OR (t.tier = 'approved' AND s.state = 'approved')"""

# Who each span is attributed to (a span may name several speakers). What points at
# each span is kept on the span rows as link flags (migration credibility 0004).
_ATTR = """
attr AS MATERIALIZED (
  SELECT DISTINCT rel.source_id AS span_id, rel.speaker_id
  FROM annotations_relation rel JOIN docs ON docs.id = rel.document_id
  WHERE rel.project_id = %(project)s AND rel.type = 'attributed_to' AND rel.status <> 'rejected'
)"""

# Small reads (drill-down): everything as CTEs.
_COMMON = (
    "\nWITH "  # noqa: S608
    + _DOCS.replace("docs AS (", "docs AS MATERIALIZED (", 1)
    + ",\ntiers AS MATERIALIZED ("
    + _TIERS
    + "\n),\nreadings AS MATERIALIZED ("
    + _READINGS
    + "\n),"
    + _ATTR
)

# Scored spans: in a counted reading, not rejected. Gold and annotator layers are
# joined separately so each join is a plain equality the planner estimates well.
_SCORED = (
    """(
  SELECT a.id, a.document_id, 0::bigint AS reader, a.label_id, a.subtype_id, a.start, a."end", a.quote,
    a.is_supported, a.is_attacked, a.is_qualified
  FROM annotations_annotation a
  JOIN readings r ON r.document_id = a.document_id AND r.layer = 'gold'
  WHERE a.project_id = %(project)s AND a.layer = 'gold' AND a.status <> 'rejected'
  UNION ALL
  SELECT a.id, a.document_id, a.annotator_id, a.label_id, a.subtype_id, a.start, a."end", a.quote,
    a.is_supported, a.is_attacked, a.is_qualified
  FROM annotations_annotation a
  JOIN readings r ON r.document_id = a.document_id AND r.layer = 'annotator' AND r.reader = a.annotator_id
  WHERE a.project_id = %(project)s AND a.layer = 'annotator' AND a.status <> 'rejected'
) a
  JOIN projects_label l ON l.id = a.label_id
  WHERE l.kind IN """  # noqa: S608 - the kinds that count, rendered by the registry
    + kinds_sql(*ROLES)
)

_FLAGS = "a.is_supported AS supported, a.is_attacked AS attacked, a.is_qualified AS qualified"

# The same scored spans, one row each, for drill-down (only a source's documents are in play).
_FLAGGED = (
    _COMMON  # noqa: S608
    + """,
flagged AS (
  SELECT a.id, a.document_id, a.reader, """
    + role_sql("l.kind")
    + """ AS role, a.start, a."end", a.quote, """
    + _FLAGS
    + """
  FROM """
    + _SCORED
    + """
)"""
)

# Extra parameters: kind, entity_id, span_kind (a role: 'claim', ... or '' for all), unsupported_only, limit,
# reader (an annotator's user id: only that annotator's own layer; NULL: every counted layer).
DRILL_SPANS = (
    _FLAGGED  # noqa: S608
    + """
SELECT f.id, f.document_id, f.reader, f.role, f.start, f."end", f.quote,
  f.supported, f.attacked, f.qualified, t.tier,
  COALESCE(NULLIF(d.title, ''), 'Untitled document #' || d.id) AS title
FROM flagged f
JOIN tiers t ON t.document_id = f.document_id
JOIN documents_document d ON d.id = f.document_id
WHERE (%(span_kind)s = '' OR f.role = %(span_kind)s)
  AND (%(reader)s::bigint IS NULL OR f.reader = %(reader)s::bigint)
  AND (NOT %(unsupported_only)s OR (f.role = 'claim' AND NOT f.supported))
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

# Per-document figures of one source (for a speaker: the documents where they are quoted).
DRILL_DOCUMENTS = (
    _FLAGGED  # noqa: S608
    + """,
per_doc AS (
  SELECT f.document_id,
    count(*) FILTER (WHERE f.role = 'claim') AS claims,
    count(*) FILTER (WHERE f.role = 'evidence') AS evidence,
    count(*) FILTER (WHERE f.role = 'opinion') AS opinions,
    count(*) FILTER (WHERE f.role = 'hedge') AS hedges,
    count(*) FILTER (WHERE f.role = 'claim' AND f.supported) AS supported_claims,
    count(*) FILTER (WHERE f.role = 'claim' AND f.qualified) AS qualified_claims
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
