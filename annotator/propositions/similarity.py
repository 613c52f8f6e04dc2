"""Finding restatements: similarity between claim wordings, in PostgreSQL (pg_trgm + full-text lexemes).

score(a, b) = (trigram similarity(a, b) + lexeme Dice(a, b)) / 2

- trigram similarity is pg_trgm's ``similarity``: shared character trigrams over
  all trigrams of both texts (robust to inflection, punctuation and typography);
- lexeme Dice is 2·|A ∩ B| / (|A| + |B|) over the English full-text lexemes of
  each text (stop words dropped, words stemmed), so reordered paraphrases that
  keep the content words still score.

Two spans are *candidates of each other* when score ≥ THRESHOLD. Only spans
sharing at least one of the looked-for text's rare lexemes are scored
(propositions_rare_lexemes(), migration 0002: the lexemes PostgreSQL's
statistics do not list as common in span quotes, at least RARE of them); that
condition is answered by the full-text GIN index on quotes, which is what keeps
one lookup among 100,000 claims in milliseconds (tests/bench/
bench_propositions.py). A trigram prefilter was measured and dropped: real
claims on one topic share so many trigrams that a 0.2 threshold lets through
a tenth of the corpus. Measured on the seeds: the restatements score 0.38 to
0.72, the nearest unrelated claims at most 0.35 (tests/propositions/
test_similarity.py). Every statement is static SQL with parameters.
"""

from __future__ import annotations

from django.db import connection

THRESHOLD = 0.36
RARE = 8
LIMIT = 10

# %(text)s: the wording looked for. Lexemes as an array, so Dice is an array intersection.
_QUERY = """q0 AS (
  SELECT %(text)s::text AS t, tsvector_to_array(to_tsvector('english', %(text)s::text)) AS lx
),
q AS (SELECT q0.t, q0.lx, propositions_rare_lexemes(q0.lx, %(rare)s) AS tq FROM q0)"""


_SCORE = (
    "((similarity(COL, q.t) + CASE WHEN cardinality(q.lx) + length(to_tsvector('english', COL)) = 0"
    " THEN 0 ELSE 2.0 * (SELECT count(*) FROM unnest(tsvector_to_array(to_tsvector('english', COL))) x"
    " WHERE x = ANY(q.lx)) / (cardinality(q.lx) + length(to_tsvector('english', COL))) END) / 2)"
)


def _score(column: str) -> str:
    """The score of ``column`` against q (a SQL expression over constants of this module)."""
    return _SCORE.replace("COL", column)


# Spans of one reading (the gold layer, or one annotator's layer) of the project, other documents.
SPAN_CANDIDATES = f"""
WITH {_QUERY},
scored AS (
  SELECT a.id, a.document_id, a.start, a."end", a.quote, lb.kind, {_score("a.quote")} AS score
  FROM annotations_annotation a CROSS JOIN q
  JOIN projects_label lb ON lb.id = a.label_id
  WHERE to_tsvector('english', a.quote) @@ q.tq AND a.project_id = %(project)s
    AND a.layer = %(layer)s AND (%(layer)s = 'gold' OR a.annotator_id = %(annotator)s)
    AND a.document_id <> %(document)s AND a.status <> 'rejected'
    AND lb.kind = ANY(%(kinds)s::text[])
)
SELECT s.id, s.document_id, s.start, s."end", s.quote, s.kind, s.score::float, pl.proposition_id,
       d.title, d.published_on, src.name
FROM scored s
JOIN documents_document d ON d.id = s.document_id
LEFT JOIN sources_source src ON src.id = d.source_id
LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = s.id
WHERE s.score >= %(threshold)s
ORDER BY s.score DESC, s.id
LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module

# Propositions ranked by their wording or by their visible spans' wording, whichever is closer.
PROPOSITION_SUGGESTIONS = f"""
WITH {_QUERY},
by_text AS (
  SELECT p.id, {_score("p.text")} AS score
  FROM propositions_proposition p CROSS JOIN q
  WHERE to_tsvector('english', p.text) @@ q.tq AND p.project_id = %(project)s AND p.merged_into_id IS NULL
),
by_span AS (
  SELECT pl.proposition_id AS id, {_score("a.quote")} AS score
  FROM annotations_annotation a CROSS JOIN q
  JOIN propositions_propositionlink pl ON pl.annotation_id = a.id
  WHERE to_tsvector('english', a.quote) @@ q.tq AND a.project_id = %(project)s AND a.id <> %(span)s
    AND pl.status <> 'rejected'
    AND (%(all_layers)s OR (pl.layer = 'annotator' AND pl.annotator_id = %(user)s))
),
best AS (
  SELECT id, max(score) AS score FROM (SELECT * FROM by_text UNION ALL SELECT * FROM by_span) u GROUP BY id
)
SELECT p.id, p.text, best.score::float,
       (SELECT count(*) FROM propositions_propositionlink c WHERE c.proposition_id = p.id) AS spans
FROM best JOIN propositions_proposition p ON p.id = best.id
WHERE best.score >= %(threshold)s
ORDER BY best.score DESC, p.id
LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module

# Pairs of claims in different documents of one reading that restate each other and are not
# yet linked to one proposition: for each claim, one probe of the full-text index.
REPEAT_PAIRS = f"""
WITH claims AS (
  SELECT a.id, a.document_id, a.quote, pl.proposition_id,
         tsvector_to_array(to_tsvector('english', a.quote)) AS lx
  FROM annotations_annotation a
  JOIN projects_label lb ON lb.id = a.label_id AND lb.kind = 'claim'
  LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = a.id AND pl.status <> 'rejected'
  WHERE a.project_id = %(project)s AND a.layer = %(layer)s
    AND (%(layer)s = 'gold' OR a.annotator_id = %(annotator)s) AND a.status <> 'rejected'
),
pairs AS (
  SELECT x.id AS a, y.id AS b, {_score("y.quote")} AS score
  FROM claims x
  CROSS JOIN LATERAL (SELECT x.quote AS t, x.lx, propositions_rare_lexemes(x.lx, %(rare)s) AS tq) q
  JOIN annotations_annotation y
    ON to_tsvector('english', y.quote) @@ q.tq AND y.project_id = %(project)s AND y.id > x.id
   AND y.document_id <> x.document_id AND y.layer = %(layer)s
   AND (%(layer)s = 'gold' OR y.annotator_id = %(annotator)s) AND y.status <> 'rejected'
  JOIN projects_label ly ON ly.id = y.label_id AND ly.kind = 'claim'
  LEFT JOIN propositions_propositionlink yl ON yl.annotation_id = y.id AND yl.status <> 'rejected'
  WHERE x.proposition_id IS NULL OR yl.proposition_id IS NULL OR x.proposition_id <> yl.proposition_id
)
SELECT a, b, score::float FROM pairs WHERE score >= %(threshold)s ORDER BY score DESC, a, b LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module


def _run(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"rare": RARE, **params})
        return cursor.fetchall()


def span_candidates(
    *, project_id: int, text: str, document_id: int, layer: str, annotator_id: int,
    kinds=("claim",), threshold: float = THRESHOLD, limit: int = LIMIT,
) -> list[dict]:  # fmt: skip
    """Spans (claims by default) of other documents in the same reading whose wording restates ``text``."""
    rows = _run(
        SPAN_CANDIDATES,
        {"text": text, "project": project_id, "document": document_id, "layer": layer,
         "annotator": annotator_id, "kinds": list(kinds), "threshold": threshold, "limit": limit},
    )  # fmt: skip
    keys = ["id", "document", "start", "end", "quote", "kind", "score", "proposition", "title", "published_on",
            "source"]  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in rows]


def proposition_suggestions(
    *, project_id: int, text: str, span_id: int, user_id: int, all_layers: bool,
    threshold: float = THRESHOLD, limit: int = LIMIT,
) -> list[dict]:  # fmt: skip
    """Existing propositions ``text`` may restate, best first."""
    rows = _run(
        PROPOSITION_SUGGESTIONS,
        {"text": text, "project": project_id, "span": span_id, "user": user_id, "all_layers": all_layers,
         "threshold": threshold, "limit": limit},
    )  # fmt: skip
    return [{"id": r[0], "text": r[1], "score": r[2], "spans": r[3]} for r in rows]


def repeat_pairs(
    *,
    project_id: int,
    layer: str = "gold",
    annotator_id: int = 0,
    threshold: float = THRESHOLD,
    limit: int = 500,
) -> list[tuple[int, int, float]]:
    return _run(
        REPEAT_PAIRS,
        {
            "project": project_id,
            "layer": layer,
            "annotator": annotator_id,
            "threshold": threshold,
            "limit": limit,
        },
    )


def repeat_groups(pairs: list[tuple[int, int, float]]) -> list[dict]:
    """Connected groups of spans from pairs (single linkage), strongest pair first."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        parent[find(a)] = find(b)
    groups: dict[int, dict] = {}
    for a, b, score in pairs:
        group = groups.setdefault(find(a), {"spans": set(), "best": score, "pairs": []})
        group["spans"].update((a, b))
        group["pairs"].append((a, b, score))
        group["best"] = max(group["best"], score)
    ordered = sorted(groups.values(), key=lambda g: (-g["best"], min(g["spans"])))
    return [{**g, "spans": sorted(g["spans"])} for g in ordered]
