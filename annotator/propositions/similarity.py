"""Finding restatements: similarity between claim wordings, in PostgreSQL (migrations 0002, 0003).

score(a, b) = (IDF-weighted cosine(lexemes(a), lexemes(b)) + trigram similarity(a, b)) / 2

- both compare the *main* wording: asides between a pair of dashes or in parentheses dropped,
  hyphenated compounds split (propositions_main_text());
- lexemes are English full-text lexemes (stemmed, stop words dropped); each weighs its smoothed
  inverse document frequency over the project's spans, ln((N + 1) / (df + 1)), from counts a
  trigger keeps (propositions_lexemecount), so stock phrases of a corpus weigh little and rare
  shared content much;
- trigram similarity is pg_trgm's (robust to inflection, punctuation and typography).

Two spans are *candidates of each other* when score >= THRESHOLD. A candidate whose main wording
is negated where the text's is not (or the reverse) is flagged ``contradicts`` and listed after the
restatements; it never joins a repeats group nor is offered as the same proposition.

Finding them among 100,000 claims without scoring 100,000 rows: the looked-for text's *rare*
lexemes (propositions_rare_lexemes(), migration 0002) each probe the full-text GIN index on quotes;
the POOL spans sharing the most rare lexemes are then scored (tests/bench/bench_propositions.py).
Every statement is static SQL with parameters (the kinds it names are rendered from projects/kinds.py).
"""

from __future__ import annotations

from django.db import connection

from annotator.projects.kinds import CLAIM, kind_role, kinds_counted_as, kinds_sql

# Midpoint, rounded, of the gap measured on the seeds between the weakest restatement (000/003,
# 0.219) and the strongest other pair of one polarity across documents (0.156): docs/propositions.md.
THRESHOLD = 0.19
LIMIT = 10
POOL = 30
RARE_CAP = 0.003
RARE_MIN = 4

# The looked-for text's lexemes and its rare ones (one round trip), passed to the main statement
# as constants so that each rare lexeme probes the index.
PREPARE = """
SELECT lx, propositions_rare_lexemes(lx, %(cap)s, %(minimum)s), propositions_negated(%(text)s::text)
FROM (SELECT propositions_lexemes(%(text)s::text) AS lx) q
"""

# score(column, text): the text's lexemes are __LX__, the row's __VEC__ (computed once per row, LATERAL).
_SCORE = (
    "((propositions_weighted_cosine(%(project)s, __LX__, __VEC__)"
    " + similarity(propositions_main_text(__COL__), propositions_main_text(__T__))) / 2)"
)


def _score(column: str, vector: str, text: str = "%(text)s::text", lexemes: str = "%(lx)s::text[]") -> str:
    """The score of ``column`` (lexemes ``vector``) against a text (SQL expressions, constants of this module)."""
    template = _SCORE
    for name, value in (("__COL__", column), ("__VEC__", vector), ("__LX__", lexemes), ("__T__", text)):
        template = template.replace(name, value)
    return template


_LEXEME_QUERY = "propositions_any_lexeme(ARRAY[r.lexeme])"

# Spans of one reading (the gold layer, or one annotator's layer) of the project, other documents.
SPAN_CANDIDATES = f"""
WITH pool AS (
  SELECT a.id, count(*) AS shared
  FROM unnest(%(rare)s::text[]) AS r(lexeme)
  CROSS JOIN LATERAL (
    SELECT a.id FROM annotations_annotation a
    JOIN projects_label lb ON lb.id = a.label_id AND lb.kind = ANY(%(kinds)s::text[])
    WHERE to_tsvector('english', a.quote) @@ {_LEXEME_QUERY} AND a.project_id = %(project)s
      AND a.layer = %(layer)s AND (%(layer)s = 'gold' OR a.annotator_id = %(annotator)s)
      AND a.document_id <> %(document)s AND a.status <> 'rejected'
  ) a
  GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT %(pool)s
),
scored AS (
  SELECT a.id, a.document_id, a.start, a."end", a.quote, lb.kind, {_score("a.quote", "v.lx")} AS score,
         propositions_negated(a.quote) <> %(negated)s AS contradicts
  FROM pool JOIN annotations_annotation a ON a.id = pool.id
  JOIN projects_label lb ON lb.id = a.label_id
  CROSS JOIN LATERAL (SELECT propositions_lexemes(a.quote) AS lx) v
)
SELECT s.id, s.document_id, s.start, s."end", s.quote, s.kind, s.score::float, pl.proposition_id,
       d.title, d.published_on, src.name, s.contradicts
FROM scored s
JOIN documents_document d ON d.id = s.document_id
LEFT JOIN sources_source src ON src.id = d.source_id
LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = s.id
WHERE s.score >= %(threshold)s
ORDER BY s.contradicts, s.score DESC, s.id
LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module

# Propositions ranked by their wording or by their visible spans' wording, whichever is closer.
PROPOSITION_SUGGESTIONS = f"""
WITH text_pool AS (
  SELECT p.id, count(*) AS shared
  FROM unnest(%(rare)s::text[]) AS r(lexeme)
  CROSS JOIN LATERAL (
    SELECT p.id FROM propositions_proposition p
    WHERE to_tsvector('english', p.text) @@ {_LEXEME_QUERY} AND p.project_id = %(project)s
      AND p.merged_into_id IS NULL
  ) p
  GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT %(pool)s
),
span_pool AS (
  SELECT a.id, a.proposition_id, count(*) AS shared
  FROM unnest(%(rare)s::text[]) AS r(lexeme)
  CROSS JOIN LATERAL (
    SELECT a.id, pl.proposition_id FROM annotations_annotation a
    JOIN propositions_propositionlink pl ON pl.annotation_id = a.id
    WHERE to_tsvector('english', a.quote) @@ {_LEXEME_QUERY} AND a.project_id = %(project)s
      AND a.id <> %(span)s AND pl.status <> 'rejected'
      AND (%(all_layers)s OR (pl.layer = 'annotator' AND pl.annotator_id = %(user)s))
  ) a
  GROUP BY a.id, a.proposition_id ORDER BY count(*) DESC, a.id LIMIT %(pool)s
),
scores AS (
  SELECT p.id, {_score("p.text", "v.lx")} AS score
  FROM text_pool JOIN propositions_proposition p ON p.id = text_pool.id
  CROSS JOIN LATERAL (SELECT propositions_lexemes(p.text) AS lx) v
  WHERE propositions_negated(p.text) = %(negated)s
  UNION ALL
  SELECT span_pool.proposition_id, {_score("a.quote", "v.lx")}
  FROM span_pool JOIN annotations_annotation a ON a.id = span_pool.id
  CROSS JOIN LATERAL (SELECT propositions_lexemes(a.quote) AS lx) v
  WHERE propositions_negated(a.quote) = %(negated)s
),
best AS (SELECT id, max(score) AS score FROM scores GROUP BY id)
SELECT p.id, p.text, best.score::float,
       (SELECT count(*) FROM propositions_propositionlink c WHERE c.proposition_id = p.id) AS spans
FROM best JOIN propositions_proposition p ON p.id = best.id
WHERE best.score >= %(threshold)s AND p.merged_into_id IS NULL
ORDER BY best.score DESC, p.id
LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module

# Pairs of claims in different documents of one reading that restate each other and are not
# yet linked to one proposition: for each claim, one probe of the full-text index with its
# rare lexemes. Meant for a project's reviewing page, not for the per-keystroke path.
REPEAT_PAIRS = f"""
WITH claims AS (
  SELECT a.id, a.document_id, a.quote, pl.proposition_id,
         propositions_lexemes(a.quote) AS lx, propositions_negated(a.quote) AS negated
  FROM annotations_annotation a
  JOIN projects_label lb ON lb.id = a.label_id AND lb.kind IN {kinds_sql(CLAIM)}
  LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = a.id AND pl.status <> 'rejected'
  WHERE a.project_id = %(project)s AND a.layer = %(layer)s
    AND (%(layer)s = 'gold' OR a.annotator_id = %(annotator)s) AND a.status <> 'rejected'
),
pairs AS (
  SELECT x.id AS a, y.id AS b, {_score("y.quote", "v.lx", text="x.quote", lexemes="x.lx")} AS score
  FROM claims x
  CROSS JOIN LATERAL (
    SELECT propositions_any_lexeme(propositions_rare_lexemes(x.lx, %(cap)s, %(minimum)s)) AS tq
  ) q
  JOIN annotations_annotation y
    ON to_tsvector('english', y.quote) @@ q.tq AND y.project_id = %(project)s AND y.id > x.id
   AND y.document_id <> x.document_id AND y.layer = %(layer)s
   AND (%(layer)s = 'gold' OR y.annotator_id = %(annotator)s) AND y.status <> 'rejected'
  JOIN projects_label ly ON ly.id = y.label_id AND ly.kind IN {kinds_sql(CLAIM)}
  CROSS JOIN LATERAL (SELECT propositions_lexemes(y.quote) AS lx) v
  LEFT JOIN propositions_propositionlink yl ON yl.annotation_id = y.id AND yl.status <> 'rejected'
  WHERE (x.proposition_id IS NULL OR yl.proposition_id IS NULL OR x.proposition_id <> yl.proposition_id)
    AND propositions_negated(y.quote) = x.negated
)
SELECT a, b, score::float FROM pairs WHERE score >= %(threshold)s ORDER BY score DESC, a, b LIMIT %(limit)s
"""  # noqa: S608 - fragments are constants of this module


def _run(sql: str, params: dict, *, text: str | None = None) -> list[tuple]:
    """Run ``sql``; with ``text``, first compute its lexemes and rare lexemes (params lx, rare)."""
    params = {"cap": RARE_CAP, "minimum": RARE_MIN, "pool": POOL, **params}
    with connection.cursor() as cursor:
        if text is not None:
            cursor.execute(PREPARE, {"text": text, "cap": RARE_CAP, "minimum": RARE_MIN})
            params["lx"], params["rare"], params["negated"] = cursor.fetchone()
            if not params["rare"]:  # only stop words: nothing to look for
                return []
        cursor.execute(sql, params)
        return cursor.fetchall()


def span_candidates(
    *, project_id: int, text: str, document_id: int, layer: str, annotator_id: int,
    kinds=None, threshold: float = THRESHOLD, limit: int = LIMIT,
) -> list[dict]:  # fmt: skip
    """Spans of other documents in the same reading whose wording restates ``text``, of ``kinds``
    and every kind that counts as the same (projects/kinds.py; None: all that count as claims)."""
    roles = {kind_role(kind) for kind in kinds} - {None} if kinds else {CLAIM}
    kinds = sorted(kinds_counted_as(*roles) | set(kinds or ()))
    rows = _run(
        SPAN_CANDIDATES,
        text=text,
        params={"text": text, "project": project_id, "document": document_id, "layer": layer,
                "annotator": annotator_id, "kinds": list(kinds), "threshold": threshold, "limit": limit},
    )  # fmt: skip
    keys = ["id", "document", "start", "end", "quote", "kind", "score", "proposition", "title", "published_on",
            "source", "contradicts"]  # fmt: skip
    return [dict(zip(keys, row, strict=True)) for row in rows]


def proposition_suggestions(
    *, project_id: int, text: str, span_id: int, user_id: int, all_layers: bool,
    threshold: float = THRESHOLD, limit: int = LIMIT,
) -> list[dict]:  # fmt: skip
    """Existing propositions ``text`` may restate, best first."""
    rows = _run(
        PROPOSITION_SUGGESTIONS,
        text=text,
        params={"text": text, "project": project_id, "span": span_id, "user": user_id, "all_layers": all_layers,
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
