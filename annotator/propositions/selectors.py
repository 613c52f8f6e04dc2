"""Reads of propositions: lists, the proposition view, the source-level map and the per-source figures.

Layers: reviewers and managers see every layer's links, annotators their own.
The per-source figures and the source map count each document once, by the
credibility scores' unit rule: its gold layer, else the mean of its readers'
layers (spans and links a reviewer rejected do not count). Aggregation is SQL.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q

from annotator.annotations.models import Annotation, Layer, Relation, RelationType, ReviewStatus
from annotator.credibility.metrics import Targets, sql_params
from annotator.credibility.sql import _DOCS, _READINGS, _TIERS
from annotator.projects.kinds import CLAIM, EVIDENCE, kinds_sql
from annotator.projects.models import Project, Role
from annotator.projects.selectors import role_at_least
from annotator.propositions import similarity
from annotator.propositions.models import Proposition, PropositionChange, PropositionLink


def visible_links(*, user, role: str, project_id: int):
    links = PropositionLink.objects.filter(project_id=project_id)
    if role_at_least(role, Role.REVIEWER):
        return links
    return links.filter(layer=Layer.ANNOTATOR, annotator=user)


def proposition_list(*, user, role: str, project_id: int, q: str = ""):
    """Active propositions with how many visible spans, documents and outlets state them."""
    links = Q(links__in=visible_links(user=user, role=role, project_id=project_id))
    queryset = Proposition.objects.filter(project_id=project_id, merged_into__isnull=True)
    if q:
        queryset = queryset.filter(text__icontains=q)
    return queryset.annotate(
        span_count=Count("links", filter=links, distinct=True),
        document_count=Count("links__document", filter=links, distinct=True),
        source_count=Count("links__document__source", filter=links, distinct=True),
    ).order_by("-span_count", "id")


def proposition_statements(*, user, role: str, proposition: Proposition) -> list[PropositionLink]:
    """Every visible span stating the proposition, in publication order (undated last)."""
    return list(
        visible_links(user=user, role=role, project_id=proposition.project_id)
        .filter(proposition=proposition)
        .select_related("annotation__label", "document__source", "annotator")
        .prefetch_related("document__authors")
        .order_by("document__published_on", "document_id", "annotation__start", "id")
    )


def proposition_relations(*, user, role: str, proposition: Proposition) -> list[dict]:
    """Support and attacks on the proposition's spans (and what its spans support or attack),
    each with the other end's proposition (when linked) and the evidence's provenance."""
    links = visible_links(user=user, role=role, project_id=proposition.project_id).filter(
        proposition=proposition
    )
    span_ids = list(links.values_list("annotation_id", flat=True))
    relations = (
        Relation.objects.filter(Q(target_id__in=span_ids) | Q(source_id__in=span_ids))
        .filter(type__in=[RelationType.SUPPORTS, RelationType.ATTACKS])
        .exclude(status=ReviewStatus.REJECTED)
        .select_related(
            "source__label",
            "target__label",
            "source__provenance__cited_document",
            "source__proposition_link__proposition",
            "target__proposition_link__proposition",
            "document__source",
        )  # fmt: skip
        .order_by("document__published_on", "document_id", "id")
    )
    out = []
    for relation in relations:
        incoming = relation.target_id in span_ids
        other = relation.source if incoming else relation.target
        other_link = getattr(other, "proposition_link", None)
        provenance = getattr(relation.source, "provenance", None)
        out.append(
            {
                "relation": relation,
                "direction": "incoming" if incoming else "outgoing",
                "other": other,
                "other_proposition": other_link.proposition if other_link else None,
                "provenance": provenance,
                "counts": provenance is None or provenance.kind != "self_citation",
            }
        )
    return out


def changes_recent(*, project_id: int, limit: int = 20):
    return PropositionChange.objects.filter(project_id=project_id).select_related("user")[:limit]


# Per source (an outlet, or an author: a document with two authors counts for each). Each
# document counts once, by the credibility scores' unit rule (docs/credibility.md, "What one
# document contributes"): the readings of the first tier of the project's chain that has data
# (its gold layer, else its approved, else its submitted annotator layers), and a document read
# by several readers contributes the mean of their readings. A claim span not linked to a
# proposition counts as a proposition of its own (keyed -span id). Per document, a proposition is
# *stated* with weight = the share of the document's readings that state it, and *supported*
# likewise when a claim of it there is the target of a supports relation from evidence whose
# provenance is not self-citation; for the source, each proposition weighs its best document
# (so a gold layer gives whole numbers, as before, and distinct propositions never exceed claim
# spans). The fragments are constants (credibility.sql, this module's entity columns).
_ENTITY = {
    "outlet": ("d.source_id", "", "sources_source"),
    "author": (
        "da.author_id",
        "JOIN documents_document_authors da ON da.document_id = d.id",
        "sources_author",
    ),
}
_READ = """
nreadings AS (SELECT document_id, count(*)::numeric AS n FROM readings GROUP BY document_id),
entities AS (
  SELECT d.id AS document_id, __ENTITY__ AS entity_id
  FROM documents_document d __JOIN__
  WHERE d.project_id = %(project)s AND __ENTITY__ IS NOT NULL
),
counted AS (  -- the spans of the counted readings, with their reading's weight
  SELECT a.id, a.document_id, a.label_id, rd.reader, 1 / nr.n AS weight
  FROM readings rd
  JOIN nreadings nr ON nr.document_id = rd.document_id
  JOIN annotations_annotation a ON a.document_id = rd.document_id AND a.layer = rd.layer
   AND (rd.layer = 'gold' OR a.annotator_id = rd.reader)
  WHERE a.project_id = %(project)s AND a.status <> 'rejected'
)"""
_FIGURES = """
WITH __DOCS__,
tiers AS (__TIERS__),
readings AS (__READINGS__),
__READ__,
claims AS (
  SELECT c.id, c.document_id, c.reader, c.weight,
         COALESCE(pl.proposition_id, -c.id) AS proposition,
         EXISTS (
           SELECT 1 FROM annotations_relation r
           JOIN annotations_annotation e ON e.id = r.source_id
           JOIN projects_label el ON el.id = e.label_id AND el.kind IN __EVIDENCE_KINDS__
           LEFT JOIN propositions_evidenceprovenance pv ON pv.annotation_id = e.id
           WHERE r.target_id = c.id AND r.type = 'supports' AND r.status <> 'rejected'
             AND e.status <> 'rejected' AND (pv.kind IS NULL OR pv.kind <> 'self_citation')
         ) AS supported,
         EXISTS (
           SELECT 1 FROM annotations_relation r
           JOIN annotations_annotation e ON e.id = r.source_id
           JOIN projects_label el ON el.id = e.label_id AND el.kind IN __EVIDENCE_KINDS__
           WHERE r.target_id = c.id AND r.type = 'supports' AND r.status <> 'rejected' AND e.status <> 'rejected'
         ) AS any_evidence
  FROM counted c
  JOIN projects_label l ON l.id = c.label_id AND l.kind IN __CLAIM_KINDS__
  LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = c.id AND pl.status <> 'rejected'
),
per_document AS (  -- per document and proposition: spans per reading, share of readings stating it
  SELECT c.document_id, c.proposition, sum(c.weight) AS spans,
         count(DISTINCT c.reader) * min(c.weight) AS stated,
         count(DISTINCT c.reader) FILTER (WHERE c.supported) * min(c.weight) AS supported,
         count(DISTINCT c.reader) FILTER (WHERE c.any_evidence) * min(c.weight) AS evidenced,
         COALESCE(sum(c.weight) FILTER (WHERE c.any_evidence), 0) AS evidenced_spans
  FROM claims c GROUP BY c.document_id, c.proposition
),
per_proposition AS (
  SELECT e.entity_id, p.proposition, sum(p.spans) AS spans, max(p.stated) AS stated,
         max(p.supported) AS supported, max(p.evidenced) AS evidenced,
         sum(p.evidenced_spans) AS evidenced_spans, count(DISTINCT p.document_id) AS documents
  FROM per_document p JOIN entities e ON e.document_id = p.document_id
  GROUP BY e.entity_id, p.proposition
),
self_cited AS (
  SELECT e.entity_id, sum(c.weight) AS n
  FROM counted c
  JOIN propositions_evidenceprovenance pv ON pv.annotation_id = c.id AND pv.kind = 'self_citation'
  JOIN entities e ON e.document_id = c.document_id
  GROUP BY e.entity_id
)
SELECT p.entity_id AS source_id, s.name,
       (SELECT count(DISTINCT c.document_id) FROM claims c JOIN entities e ON e.document_id = c.document_id
        WHERE e.entity_id = p.entity_id)::int AS documents,
       sum(p.spans) AS claim_spans,
       sum(p.stated) AS propositions,
       count(*) FILTER (WHERE p.spans > 1)::int AS repeated_propositions,
       sum(p.supported) AS supported_propositions,
       sum(p.evidenced) AS evidenced_propositions,
       sum(p.evidenced_spans) AS evidenced_claim_spans,
       COALESCE(max(sc.n), 0) AS self_citations
FROM per_proposition p
JOIN __TABLE__ s ON s.id = p.entity_id
LEFT JOIN self_cited sc ON sc.entity_id = p.entity_id
GROUP BY p.entity_id, s.name
ORDER BY s.name, p.entity_id
"""


def _with_readings(sql: str, column: str, join: str) -> str:
    return (
        sql.replace("__DOCS__", _DOCS)
        .replace("__TIERS__", _TIERS)
        .replace("__READINGS__", _READINGS)
        .replace("__READ__", _READ)
        .replace("__ENTITY__", column)
        .replace("__JOIN__", join)
        .replace("__CLAIM_KINDS__", kinds_sql(CLAIM))
        .replace("__EVIDENCE_KINDS__", kinds_sql(EVIDENCE))
    )


SOURCE_FIGURES = {
    kind: _with_readings(_FIGURES, column, join).replace("__TABLE__", table)
    for kind, (column, join, table) in _ENTITY.items()
}
FIGURE_COUNTS = (
    "claim_spans", "propositions", "supported_propositions", "evidenced_propositions",
    "evidenced_claim_spans", "self_citations",
)  # fmt: skip


def _count(value) -> int | float:
    """A count of the unit rule: whole for gold-layer documents, a mean of readers' else (e.g. 1.5)."""
    value = round(float(value or 0), 4)
    return int(value) if value.is_integer() else value


def _readings_params(project_id: int, **extra) -> dict:
    project = Project.objects.get(pk=project_id)
    return sql_params(project=project, targets=Targets(everything=True), **extra)


def source_figures(*, project_id: int, source_id: int | None = None, kind: str = "outlet") -> list[dict]:
    """Per outlet (or ``kind="author"``: per author): claim spans, distinct propositions, repetition rate, supported share over propositions.

    repetition_rate = 1 - propositions / claim_spans (the share of claim spans that restate a
    proposition the source already asserted); supported_share = supported_propositions / propositions;
    naive_supported_share = claim spans with any supporting evidence (self-citations included)
    / claim spans: the figure a per-claim count would show. Counts follow the unit rule above.
    """
    with connection.cursor() as cursor:
        cursor.execute(SOURCE_FIGURES[kind], _readings_params(project_id))
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for name in FIGURE_COUNTS:
            row[name] = _count(row[name])
        spans, propositions = row["claim_spans"], row["propositions"]
        row["repetition_rate"] = 1 - propositions / spans if spans else None
        row["supported_share"] = row["supported_propositions"] / propositions if propositions else None
        row["naive_supported_share"] = row["evidenced_claim_spans"] / spans if spans else None
    if source_id is not None:
        rows = [r for r in rows if r["source_id"] == source_id]
    return rows


# The source-level argument map: propositions as nodes, supports/attacks between them aggregated over
# the source's documents, over the same counted readings as the figures (span and relation counts
# are means over a document's readings; every reading's spans are listed). Edges whose evidence end
# is not linked to a proposition are grouped per target as "unlinked evidence", split by provenance.
_MAP_READ = """
WITH __DOCS__,
tiers AS (__TIERS__),
readings AS (__READINGS__),
__READ__"""
SOURCE_MAP_EDGES = (
    _with_readings(_MAP_READ, "d.source_id", "")
    + """
SELECT COALESCE(sl.proposition_id, 0) AS from_proposition, tl.proposition_id AS to_proposition, r.type,
       count(DISTINCT r.document_id)::int AS documents, sum(c.weight) AS relations,
       COALESCE(sum(c.weight) FILTER (WHERE pv.kind = 'self_citation'), 0) AS self_citations,
       array_agg(r.source_id ORDER BY r.document_id, r.source_id) AS from_spans
FROM annotations_relation r
JOIN counted c ON c.id = r.source_id
JOIN entities en ON en.document_id = r.document_id AND en.entity_id = %(source)s
JOIN propositions_propositionlink tl ON tl.annotation_id = r.target_id AND tl.status <> 'rejected'
LEFT JOIN propositions_propositionlink sl ON sl.annotation_id = r.source_id AND sl.status <> 'rejected'
LEFT JOIN propositions_evidenceprovenance pv ON pv.annotation_id = r.source_id
WHERE r.project_id = %(project)s AND r.status <> 'rejected' AND r.type IN ('supports', 'attacks')
GROUP BY 1, 2, 3
ORDER BY 2, 1, 3
"""
)  # noqa: S608 - constants only

SOURCE_MAP_NODES = (
    _with_readings(_MAP_READ, "d.source_id", "")
    + """
SELECT pl.proposition_id, p.text, sum(c.weight) AS spans, count(DISTINCT pl.document_id)::int AS documents,
       array_agg(pl.annotation_id ORDER BY d.published_on NULLS LAST, d.id, pl.annotation_id) AS span_ids
FROM propositions_propositionlink pl
JOIN counted c ON c.id = pl.annotation_id
JOIN entities en ON en.document_id = pl.document_id AND en.entity_id = %(source)s
JOIN propositions_proposition p ON p.id = pl.proposition_id
JOIN documents_document d ON d.id = pl.document_id
WHERE pl.project_id = %(project)s AND pl.status <> 'rejected'
GROUP BY pl.proposition_id, p.text
ORDER BY count(DISTINCT pl.document_id) DESC, pl.proposition_id
"""
)  # noqa: S608 - constants only


def source_map(*, project_id: int, source_id: int) -> dict:
    params = _readings_params(project_id, source=source_id)
    with connection.cursor() as cursor:
        cursor.execute(SOURCE_MAP_NODES, params)
        nodes = [
            {
                "id": r[0],
                "text": r[1],
                "spans": _count(r[2]),
                "documents": r[3],
                "span_ids": r[4],
                "incoming": [],
            }
            for r in cursor.fetchall()
        ]
        cursor.execute(SOURCE_MAP_EDGES, params)
        edges = [
            {"from": r[0] or None, "to": r[1], "type": r[2], "documents": r[3], "relations": _count(r[4]),
             "self_citations": _count(r[5]), "from_spans": r[6]}
            for r in cursor.fetchall()
        ]  # fmt: skip
    by_id = {n["id"]: n for n in nodes}
    for edge in edges:
        if edge["to"] in by_id:
            by_id[edge["to"]]["incoming"].append(edge)
    return {"nodes": nodes, "edges": edges}


def repeat_groups_with_quotes(*, project_id: int, layer: str, annotator_id: int) -> list[dict]:
    """The likely-repeats list: groups of claims (single linkage over candidate pairs), with their quotes."""
    groups = similarity.repeat_groups(
        similarity.repeat_pairs(project_id=project_id, layer=layer, annotator_id=annotator_id)
    )
    ids = {pk for group in groups for pk in group["spans"]}
    quotes = dict(Annotation.objects.filter(pk__in=ids).values_list("pk", "quote"))
    return [
        {"spans": g["spans"], "best": g["best"], "quotes": {str(pk): quotes[pk] for pk in g["spans"]}}
        for g in groups
    ]
