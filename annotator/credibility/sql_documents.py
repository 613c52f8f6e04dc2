"""Level 1 of the two-level aggregation in SQL: count each document (sql_rollup.py sums
documents per source).

For a set of documents (or all of a project's), GROUP_SPANS counts
their spans in one pass over an index, and GROUP_ATTRIBUTED their attributed
spans, into groups (temporary tables); REFRESH_DOCUMENTS and
REFRESH_SPEAKERS sum the groups of the counted readings into one
DocumentCounts row per document and one SpeakerCounts row per (document,
quoted speaker). For a few documents, SMALL_REFRESH_DOCUMENTS and
SMALL_REFRESH_SPEAKERS are the same two statements with the intermediate
results as their own CTEs.
Level 2 (sql_rollup.ROLLUP): a source's figures are sums over its documents' rows.
A change recounts its own document and re-sums its sources: the work is the
size of one document plus the number of the sources' documents, not of
their spans. A full recompute refreshes every document, then rolls up all.

Parameters: project, use_gold, use_approved, everything, documents (ids).
Statements are constants built from constants (hence the S608 noqa); which label kinds
count, and as what, comes from the kinds registry (projects/kinds.py).
"""

from annotator.credibility.registry import HEDGE_FAMILIES, REPORTED_COUNTS, SPAN_COUNTS, UNIT_COUNTS
from annotator.credibility.sql import _READINGS, _TIERS
from annotator.projects.kinds import CLAIM, EVIDENCE, HEDGE, ROLES, kinds_sql, role_sql

_DOCS = """docs AS (
  SELECT d.id, d.word_count, d.source_id FROM documents_document d
  WHERE d.project_id = %(project)s AND (%(everything)s OR d.id = ANY(%(documents)s::bigint[]))
)"""

# The four intermediate results of level 1, as SELECTs. At project size they go
# to temporary tables (tiers and readings ANALYZEd, so the planner knows whether
# it is joining a million spans or a hundred and plans for it); for a few
# documents they are CTEs of the refresh statements themselves (SMALL_REFRESH_*),
# because creating, analysing and dropping four tables costs more than their
# content (about 5 ms of catalog work for one document).
_TIERS_SELECT = "WITH " + _DOCS + _TIERS
_READINGS_SELECT = "WITH tiers AS (SELECT * FROM credibility_tiers)" + _READINGS  # noqa: S608

_COUNT_COLUMNS = ", ".join(UNIT_COUNTS)
_SPEAKER_COLUMNS = ", ".join(SPAN_COUNTS)


def _stored(counts: list[str]) -> list[str]:
    return ["tier", "readings", *counts, "evidence_subtypes", "project_id"]


def _update(counts: list[str]) -> str:
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in [*_stored(counts), "computed_at"])


def _if_changed(table: str, counts: list[str]) -> str:
    # Unchanged rows are not rewritten: a full recompute mostly finds the same
    # counts, and 10,000 row versions cost more than the comparison. So
    # computed_at is when a row's counts last changed.
    ours = ", ".join(f"{table}.{c}" for c in _stored(counts))
    theirs = ", ".join(f"EXCLUDED.{c}" for c in _stored(counts))
    return f" WHERE ({ours}) IS DISTINCT FROM ({theirs})"


# Spans of the refreshed documents counted once per (document, layer, label,
# subtype) into a temporary table, the writer's own apart from the reported
# (``speakers`` set: attributed, or inside an attributed span; migration
# credibility 0008). The link flags and the speakers are kept on the span rows
# (migrations 0004, 0008) and every column read is in annotation_scores_idx,
# whose key order is the grouping order: an index-only scan feeding a
# streaming aggregate (run with hash aggregation off, see
# metrics.documents_count), no join and no hash table over a million spans.
_GROUP_KEYS = "a.document_id, a.annotator_id, a.layer, a.label_id, a.subtype_id"
_GROUP_COUNTS = """
    count(*) FILTER (WHERE a.speakers IS NULL) AS spans,
    count(*) FILTER (WHERE a.speakers IS NULL AND a.is_supported) AS supported,
    count(*) FILTER (WHERE a.speakers IS NULL AND a.is_attacked) AS attacked,
    count(*) FILTER (WHERE a.speakers IS NULL AND a.is_supported AND a.is_attacked) AS contested,
    count(*) FILTER (WHERE a.speakers IS NULL AND a.is_qualified) AS qualified,
    count(*) FILTER (WHERE a.speakers IS NOT NULL) AS reported"""

# Reader 0 is the gold layer, else the annotator (as in credibility_readings).
_READER = "CASE WHEN a.layer = 'gold' THEN 0 ELSE a.annotator_id END AS reader,"

_SPAN_GROUPS_SELECT = (
    "SELECT "  # noqa: S608
    + _GROUP_KEYS
    + ", "
    + _READER
    + _GROUP_COUNTS
    + """
FROM annotations_annotation a
WHERE a.project_id = %(project)s AND a.status <> 'rejected'
  AND (%(everything)s OR a.document_id = ANY(%(documents)s::bigint[]))
GROUP BY """
    + _GROUP_KEYS
)

# The same per quoted speaker, from the reported spans only (annotation_reported_idx):
# one row per (span, speaker it counts for). A quoted speaker's claim counts as
# supported only when some supporting evidence is not the same speaker's own: the
# circular case is searched from the speakers' own evidence, which is rare, so a
# project without any costs nothing more.
_SPEAKER_GROUP_COUNTS = """
    count(*) AS spans,
    count(*) FILTER (WHERE a.is_supported AND ss.id IS NULL) AS supported,
    count(*) FILTER (WHERE a.is_attacked) AS attacked,
    count(*) FILTER (WHERE a.is_supported AND ss.id IS NULL AND a.is_attacked) AS contested,
    count(*) FILTER (WHERE a.is_qualified) AS qualified"""

_SPEAKER_GROUPS_SELECT = (
    "WITH"  # noqa: S608
    + """ self_supported AS (
  SELECT DISTINCT c.id, sp.speaker_id
  FROM annotations_annotation e
  JOIN projects_label el ON el.id = e.label_id AND el.kind IN """
    + kinds_sql(EVIDENCE)
    + """
  JOIN annotations_relation r ON r.source_id = e.id AND r.type = 'supports' AND r.status <> 'rejected'
  JOIN annotations_annotation c ON c.id = r.target_id AND c.is_supported AND c.status <> 'rejected'
    AND c.speakers IS NOT NULL
  CROSS JOIN LATERAL unnest(c.speakers) sp(speaker_id)
  WHERE e.project_id = %(project)s AND e.speakers IS NOT NULL AND e.status <> 'rejected'
    AND (%(everything)s OR e.document_id = ANY(%(documents)s::bigint[]))
    AND sp.speaker_id = ANY(e.speakers)
    AND NOT EXISTS (
      SELECT 1 FROM annotations_relation r2
      JOIN annotations_annotation e2 ON e2.id = r2.source_id AND e2.status <> 'rejected'
      JOIN projects_label l2 ON l2.id = e2.label_id
        AND (l2.kind IN """
    + kinds_sql(EVIDENCE)
    + " OR (l2.kind IN "
    + kinds_sql(CLAIM)
    + """ AND e2.is_supported))
      WHERE r2.target_id = c.id AND r2.type = 'supports' AND r2.status <> 'rejected'
        AND NOT sp.speaker_id = ANY(COALESCE(e2.speakers, '{}'::bigint[])))
)
SELECT sp.speaker_id, """
    + _GROUP_KEYS
    + ", "
    + _READER
    + _SPEAKER_GROUP_COUNTS
    + """
FROM annotations_annotation a
CROSS JOIN LATERAL unnest(a.speakers) sp(speaker_id)
LEFT JOIN self_supported ss ON ss.id = a.id AND ss.speaker_id = sp.speaker_id
WHERE a.project_id = %(project)s AND a.speakers IS NOT NULL AND a.status <> 'rejected'
  AND (%(everything)s OR a.document_id = ANY(%(documents)s::bigint[]))
GROUP BY sp.speaker_id, """
    + _GROUP_KEYS
)


def _family(column: str) -> str:
    """A hedge's family column name (registry.HEDGE_FAMILIES) from its subtype code, or NULL."""
    whens = " ".join(
        f"WHEN {column} IN ({', '.join(repr(code) for code in codes)}) THEN '{name}'"
        for name, codes in HEDGE_FAMILIES.items()
    )
    return f"CASE {whens} END"


def _scored(table: str, *, name: str = "scored", where: str = "true") -> str:
    """Groups in a counted reading, with what their label's kind counts as (``role``) and their
    hedge family; kinds that count as nothing are not scored.

    Not materialised: each reader (the per-document sums, the subtypes) joins the groups
    itself, which costs less than writing out and rescanning 80,000 wide rows (a third of
    the refresh at 1,000,000 spans)."""
    return f"""
{name} AS NOT MATERIALIZED (
  SELECT g.*, {role_sql("l.kind")} AS role,
    CASE WHEN l.kind IN {kinds_sql(HEDGE)} THEN {_family("st.code")} END AS family FROM {table} g
  JOIN credibility_readings r ON r.document_id = g.document_id AND r.layer = g.layer AND r.reader = g.reader
  JOIN projects_label l ON l.id = g.label_id
  LEFT JOIN projects_labelsubtype st ON st.id = g.subtype_id
  WHERE l.kind IN {kinds_sql(*ROLES)} AND {where}
)"""  # noqa: S608


_KIND_SUMS = """
    COALESCE(sum(spans) FILTER (WHERE role = 'claim'), 0)::int AS claims,
    COALESCE(sum(spans) FILTER (WHERE role = 'evidence'), 0)::int AS evidence,
    COALESCE(sum(spans) FILTER (WHERE role = 'opinion'), 0)::int AS opinions,
    COALESCE(sum(spans) FILTER (WHERE role = 'hedge'), 0)::int AS hedges,
    COALESCE(sum(supported) FILTER (WHERE role = 'claim'), 0)::int AS supported_claims,
    COALESCE(sum(attacked) FILTER (WHERE role = 'claim'), 0)::int AS attacked_claims,
    COALESCE(sum(contested) FILTER (WHERE role = 'claim'), 0)::int AS contested_claims,
    COALESCE(sum(qualified) FILTER (WHERE role = 'claim'), 0)::int AS qualified_claims,""" + ",".join(
    f"\n    COALESCE(sum(spans) FILTER (WHERE family = '{name}'), 0)::int AS {name}"
    for name in HEDGE_FAMILIES
)


def _subtypes(keys: str, spans: str = "s.spans") -> str:
    """Evidence per subtype code ('unspecified' for none), as a jsonb object per ``keys`` (constants)."""
    return f"""
subtypes AS (
  SELECT {keys}, jsonb_object_agg(code, n) AS subtypes FROM (
    SELECT {", ".join(f"s.{k}" for k in keys.split(", "))}, COALESCE(st.code, 'unspecified') AS code, sum({spans})::int AS n
    FROM scored s LEFT JOIN projects_labelsubtype st ON st.id = s.subtype_id
    WHERE s.role = 'evidence' GROUP BY {keys}, COALESCE(st.code, 'unspecified')
  ) per_code GROUP BY {keys}
)"""  # noqa: S608


# The writer's own counts and, beside them, the reported spans by role (the
# ``reported`` column of the span groups). Evidence subtypes count both.
_REPORTED_ROLES = {
    "reported_claims": "claim",
    "reported_evidence": "evidence",
    "reported_opinions": "opinion",
    "reported_hedges": "hedge",
}
assert list(_REPORTED_ROLES) == REPORTED_COUNTS  # noqa: S101 - constants
_REPORTED_SUMS = ",".join(
    f"\n    COALESCE(sum(reported) FILTER (WHERE role = '{role}'), 0)::int AS {name}"
    for name, role in _REPORTED_ROLES.items()
)

REFRESH_DOCUMENTS = (
    "WITH"  # noqa: S608
    + _scored("credibility_span_groups")
    + """,
per_doc AS (
  SELECT document_id,"""
    + _KIND_SUMS
    + ","
    + _REPORTED_SUMS
    + """
  FROM scored GROUP BY document_id
),"""
    + _subtypes("document_id", "s.spans + s.reported")
    + """,
reading_counts AS (
  SELECT document_id, count(*)::int AS readings FROM credibility_readings GROUP BY document_id
)
INSERT INTO credibility_documentcounts (document_id, project_id, tier, readings, """
    + _COUNT_COLUMNS
    + """, evidence_subtypes, computed_at)
SELECT t.document_id, %(project)s, COALESCE(t.tier, ''), COALESCE(rc.readings, 0), """
    + ", ".join(f"COALESCE(p.{c}, 0)" for c in UNIT_COUNTS)
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
FROM credibility_tiers t
LEFT JOIN reading_counts rc ON rc.document_id = t.document_id
LEFT JOIN per_doc p ON p.document_id = t.document_id
LEFT JOIN subtypes s ON s.document_id = t.document_id
ON CONFLICT (document_id) DO UPDATE SET """
    + _update(UNIT_COUNTS)
    + _if_changed("credibility_documentcounts", UNIT_COUNTS)
)

# Per (document, quoted speaker); readings are the distinct readers that
# attribute something to the speaker there (level 2 divides by the document's).
REFRESH_SPEAKERS = (
    "WITH"  # noqa: S608
    + _scored("credibility_speaker_groups")
    + """,
per_speaker AS (
  SELECT document_id, speaker_id, count(DISTINCT reader)::int AS readings,"""
    + _KIND_SUMS
    + """
  FROM scored GROUP BY document_id, speaker_id
),"""
    + _subtypes("document_id, speaker_id")
    + """,
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
    + _SPEAKER_COLUMNS
    + ", 0" * len(REPORTED_COUNTS)
    + """, COALESCE(s.subtypes, '{}'::jsonb), now()
FROM per_speaker p
JOIN credibility_tiers t ON t.document_id = p.document_id
LEFT JOIN subtypes s ON s.document_id = p.document_id AND s.speaker_id = p.speaker_id
ON CONFLICT (document_id, speaker_id) DO UPDATE SET """
    + _update(SPAN_COUNTS)
    + _if_changed("credibility_speakercounts", SPAN_COUNTS)
)


def _temporary(table: str, select: str) -> str:
    return f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS\n{select}"


REFRESH_SETUP = [
    "DROP TABLE IF EXISTS pg_temp.credibility_tiers, pg_temp.credibility_readings,"
    " pg_temp.credibility_span_groups, pg_temp.credibility_speaker_groups",
    _temporary("credibility_tiers", _TIERS_SELECT),
    _temporary("credibility_readings", _READINGS_SELECT),
    "ANALYZE credibility_tiers",
    "ANALYZE credibility_readings",
]
GROUP_SPANS = _temporary("credibility_span_groups", _SPAN_GROUPS_SELECT)
GROUP_ATTRIBUTED = _temporary("credibility_speaker_groups", _SPEAKER_GROUPS_SELECT)


def _with_intermediates(statement: str, *groups: tuple[str, str]) -> str:
    """``statement`` (a refresh) with tiers, readings and its groups as leading CTEs named
    like the temporary tables, which they shadow: the same SQL reads either."""
    ctes = [
        ("credibility_tiers", _TIERS_SELECT),
        ("credibility_readings", _READINGS_SELECT),
        *groups,
    ]
    leading = ",\n".join(f"{name} AS MATERIALIZED (\n{select}\n)" for name, select in ctes)
    assert statement.startswith("WITH"), statement[:20]  # noqa: S101 - a constant
    return "WITH " + leading + "," + statement.removeprefix("WITH")


SMALL_REFRESH_DOCUMENTS = _with_intermediates(
    REFRESH_DOCUMENTS, ("credibility_span_groups", _SPAN_GROUPS_SELECT)
)
SMALL_REFRESH_SPEAKERS = _with_intermediates(
    REFRESH_SPEAKERS, ("credibility_speaker_groups", _SPEAKER_GROUPS_SELECT)
)
