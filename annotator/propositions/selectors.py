"""Reads of propositions: lists, the proposition view, the source-level map and the per-source figures.

Layers: reviewers and managers see every layer's links, annotators their own.
The per-source figures and the source map count the gold layer (the adjudicated
reading; spans and links a reviewer rejected do not count). Aggregation is SQL.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q

from annotator.annotations.models import Annotation, Layer, Relation, RelationType, ReviewStatus
from annotator.projects.models import Role
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


# Per source (an outlet, or an author: a document with two authors counts for each), over the
# gold layer of the project's documents. A claim span not linked to a proposition counts as a
# proposition of its own (keyed -span id). A proposition is supported for the source when any of
# its claim spans in the source's documents is the target of a supports relation from an evidence
# span whose provenance is not self-citation. Parameters: project. The entity fragments are
# constants of this module.
_ENTITY = {
    "outlet": ("d.source_id", "", "sources_source"),
    "author": (
        "da.author_id",
        "JOIN documents_document_authors da ON da.document_id = d.id",
        "sources_author",
    ),
}
_FIGURES = """
WITH claims AS (
  SELECT a.id, a.document_id, __ENTITY__ AS entity_id,
         COALESCE(pl.proposition_id, -a.id) AS proposition,
         EXISTS (
           SELECT 1 FROM annotations_relation r
           JOIN annotations_annotation e ON e.id = r.source_id
           JOIN projects_label el ON el.id = e.label_id AND el.kind = 'evidence'
           LEFT JOIN propositions_evidenceprovenance pv ON pv.annotation_id = e.id
           WHERE r.target_id = a.id AND r.type = 'supports' AND r.status <> 'rejected'
             AND e.status <> 'rejected' AND (pv.kind IS NULL OR pv.kind <> 'self_citation')
         ) AS supported,
         EXISTS (
           SELECT 1 FROM annotations_relation r
           JOIN annotations_annotation e ON e.id = r.source_id
           JOIN projects_label el ON el.id = e.label_id AND el.kind = 'evidence'
           WHERE r.target_id = a.id AND r.type = 'supports' AND r.status <> 'rejected' AND e.status <> 'rejected'
         ) AS any_evidence
  FROM annotations_annotation a
  JOIN projects_label l ON l.id = a.label_id AND l.kind = 'claim'
  JOIN documents_document d ON d.id = a.document_id
  __JOIN__
  LEFT JOIN propositions_propositionlink pl ON pl.annotation_id = a.id AND pl.status <> 'rejected'
  WHERE a.project_id = %(project)s AND a.layer = 'gold' AND a.status <> 'rejected'
    AND __ENTITY__ IS NOT NULL
),
per_proposition AS (
  SELECT entity_id, proposition, count(*) AS spans, bool_or(supported) AS supported,
         bool_or(any_evidence) AS any_evidence
  FROM claims GROUP BY entity_id, proposition
),
self_cited AS (
  SELECT __ENTITY__ AS entity_id, count(*) AS n
  FROM propositions_evidenceprovenance pv
  JOIN annotations_annotation e ON e.id = pv.annotation_id AND e.layer = 'gold' AND e.status <> 'rejected'
  JOIN documents_document d ON d.id = e.document_id
  __JOIN__
  WHERE pv.project_id = %(project)s AND pv.kind = 'self_citation'
  GROUP BY 1
)
SELECT p.entity_id AS source_id, s.name,
       (SELECT count(DISTINCT c.document_id) FROM claims c WHERE c.entity_id = p.entity_id) AS documents,
       sum(p.spans)::int AS claim_spans,
       count(*)::int AS propositions,
       count(*) FILTER (WHERE p.spans > 1)::int AS repeated_propositions,
       count(*) FILTER (WHERE p.supported)::int AS supported_propositions,
       count(*) FILTER (WHERE p.any_evidence)::int AS evidenced_propositions,
       (SELECT count(*) FROM claims c WHERE c.entity_id = p.entity_id AND c.any_evidence)::int
         AS evidenced_claim_spans,
       COALESCE(max(sc.n), 0)::int AS self_citations
FROM per_proposition p
JOIN __TABLE__ s ON s.id = p.entity_id
LEFT JOIN self_cited sc ON sc.entity_id = p.entity_id
GROUP BY p.entity_id, s.name
ORDER BY s.name, p.entity_id
"""
SOURCE_FIGURES = {
    kind: _FIGURES.replace("__ENTITY__", column).replace("__JOIN__", join).replace("__TABLE__", table)
    for kind, (column, join, table) in _ENTITY.items()
}


def source_figures(*, project_id: int, source_id: int | None = None, kind: str = "outlet") -> list[dict]:
    """Per outlet (or ``kind="author"``: per author): claim spans, distinct propositions, repetition rate, supported share over propositions.

    repetition_rate = 1 - propositions / claim_spans (the share of claim spans that restate a
    proposition the source already asserted); supported_share = supported_propositions / propositions;
    naive_supported_share = claim spans with any supporting evidence (self-citations included)
    / claim spans: the figure a per-claim count would show.
    """
    with connection.cursor() as cursor:
        cursor.execute(SOURCE_FIGURES[kind], {"project": project_id})
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        spans, propositions = row["claim_spans"], row["propositions"]
        row["repetition_rate"] = 1 - propositions / spans if spans else None
        row["supported_share"] = row["supported_propositions"] / propositions if propositions else None
        row["naive_supported_share"] = (row["evidenced_claim_spans"] or 0) / spans if spans else None
    if source_id is not None:
        rows = [r for r in rows if r["source_id"] == source_id]
    return rows


# The source-level argument map: propositions as nodes, supports/attacks between them aggregated over
# the source's documents (gold layer). Edges whose evidence end is not linked to a proposition are
# grouped per target as "unlinked evidence", split by provenance.
SOURCE_MAP_EDGES = """
SELECT COALESCE(sl.proposition_id, 0) AS from_proposition, tl.proposition_id AS to_proposition, r.type,
       count(DISTINCT r.document_id)::int AS documents, count(*)::int AS relations,
       count(*) FILTER (WHERE pv.kind = 'self_citation')::int AS self_citations,
       array_agg(r.source_id ORDER BY r.document_id, r.source_id) AS from_spans
FROM annotations_relation r
JOIN documents_document d ON d.id = r.document_id AND d.source_id = %(source)s
JOIN propositions_propositionlink tl ON tl.annotation_id = r.target_id AND tl.status <> 'rejected'
LEFT JOIN propositions_propositionlink sl ON sl.annotation_id = r.source_id AND sl.status <> 'rejected'
LEFT JOIN propositions_evidenceprovenance pv ON pv.annotation_id = r.source_id
WHERE r.project_id = %(project)s AND r.layer = 'gold' AND r.status <> 'rejected'
  AND r.type IN ('supports', 'attacks')
GROUP BY 1, 2, 3
ORDER BY 2, 1, 3
"""

SOURCE_MAP_NODES = """
SELECT pl.proposition_id, p.text, count(*)::int AS spans, count(DISTINCT pl.document_id)::int AS documents,
       array_agg(pl.annotation_id ORDER BY d.published_on NULLS LAST, d.id) AS span_ids
FROM propositions_propositionlink pl
JOIN propositions_proposition p ON p.id = pl.proposition_id
JOIN documents_document d ON d.id = pl.document_id AND d.source_id = %(source)s
WHERE pl.project_id = %(project)s AND pl.layer = 'gold' AND pl.status <> 'rejected'
GROUP BY pl.proposition_id, p.text
ORDER BY count(DISTINCT pl.document_id) DESC, pl.proposition_id
"""


def source_map(*, project_id: int, source_id: int) -> dict:
    params = {"project": project_id, "source": source_id}
    with connection.cursor() as cursor:
        cursor.execute(SOURCE_MAP_NODES, params)
        nodes = [
            {"id": r[0], "text": r[1], "spans": r[2], "documents": r[3], "span_ids": r[4], "incoming": []}
            for r in cursor.fetchall()
        ]
        cursor.execute(SOURCE_MAP_EDGES, params)
        edges = [
            {"from": r[0] or None, "to": r[1], "type": r[2], "documents": r[3], "relations": r[4],
             "self_citations": r[5], "from_spans": r[6]}
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
