"""Permission-scoped reads of source scores: tables, overall roll-up, history, drill-down.

Everything is limited to the projects the user is a member of; a project
the user cannot see raises NotFound (through ``project_access``).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import Rank

from annotator.core.errors import ApplicationError
from annotator.credibility import sql
from annotator.credibility.metrics import Targets, sql_params, with_derived
from annotator.credibility.models import COUNT_FIELDS, EntityKind, LayerUsed, SourceScore, SourceScoreSnapshot
from annotator.projects.models import Project, Role
from annotator.projects.selectors import project_access, projects_for_user, role_at_least

# Sort keys offered by the dashboard and API; rankings use interval bounds.
SORTS = {
    "ratio_low": F("ratio_low").desc(nulls_last=True),
    "ratio_high": F("ratio_high").asc(nulls_last=True),
    "ratio_smoothed": F("ratio_smoothed").desc(nulls_last=True),
    "supported_low": F("supported_low").desc(nulls_last=True),
    "supported_high": F("supported_high").asc(nulls_last=True),
    "qualified_low": F("qualified_low").desc(nulls_last=True),
    "opinion_low": F("opinion_low").desc(nulls_last=True),
    "hedge_density_low": F("hedge_density_low").desc(nulls_last=True),
    "claims": F("claims").desc(),
    "documents": F("documents").desc(),
    "name": F("entity_name").asc(),
}
DEFAULT_SORT = "ratio_low"


def _check_choice(field: str, value: str | None, choices) -> None:
    if value and value not in choices:
        raise ApplicationError.field(field, f"Unknown {field} {value!r}; use one of {', '.join(choices)}.")


def scores_list(
    *,
    user,
    project_id: int | None = None,
    kind: str | None = None,
    layer: str | None = None,
    q: str = "",
    min_documents: int = 0,
    sort: str = DEFAULT_SORT,
) -> QuerySet[SourceScore]:
    """Current scores in the user's projects (or one of them), ranked within kind by ``sort``."""
    _check_choice("kind", kind, EntityKind.values)
    _check_choice("layer", layer, LayerUsed.values)
    _check_choice("sort", sort, SORTS)
    if project_id is not None:
        project_access(user=user, project_id=project_id)
        scores = SourceScore.objects.filter(project_id=project_id)
    else:
        scores = SourceScore.objects.filter(project__in=projects_for_user(user=user))
    if kind:
        scores = scores.filter(kind=kind)
    if layer:
        scores = scores.filter(layer=layer)
    if q:
        scores = scores.filter(entity_name__icontains=q)
    if min_documents:
        scores = scores.filter(scored_documents__gte=min_documents)
    order = SORTS[sort]
    return (
        scores.select_related("project")
        .annotate(rank=Window(Rank(), partition_by=[F("project_id"), F("kind")], order_by=order))
        .order_by("project_id", "kind", order, "entity_name")
    )


_OVERALL_TEMPLATE = """
SELECT s.kind, s.entity_id, max(s.entity_name) AS entity_name, count(*)::int AS projects,
  array_agg(s.project_id ORDER BY s.project_id) AS project_ids,
  {sums},
  (SELECT jsonb_object_agg(code, n) FROM (
     SELECT e.key AS code, sum(e.value::int) AS n
     FROM credibility_sourcescore s2, jsonb_each_text(s2.evidence_subtypes) e
     WHERE s2.project_id = ANY(%(projects)s::bigint[]) AND s2.kind = s.kind AND s2.entity_id = s.entity_id
     GROUP BY e.key) per_code) AS evidence_subtypes
FROM credibility_sourcescore s
WHERE s.project_id = ANY(%(projects)s::bigint[]) AND (%(kind)s = '' OR s.kind = %(kind)s)
GROUP BY s.kind, s.entity_id
ORDER BY s.kind, max(s.entity_name)
"""
# The sums are over this module's constant column names, never input.
_OVERALL = _OVERALL_TEMPLATE.format(sums=", ".join(f"sum(s.{f})::bigint AS {f}" for f in COUNT_FIELDS))


def scores_overall(*, user, kind: str | None = None) -> list[dict]:
    """Each source across all of the user's projects: counts summed per project row, then
    the same formulas applied to the sums (documents belong to one project, so sums do
    not double count)."""
    _check_choice("kind", kind, EntityKind.values)
    project_ids = list(projects_for_user(user=user).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(_OVERALL, {"projects": project_ids, "kind": kind or ""})
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["evidence_subtypes"] = row["evidence_subtypes"] or {}
    return [with_derived(row) for row in rows]


def score_history(
    *, user, project_id: int, kind: str, entity_id: int, layer: str | None = None, limit: int = 200
) -> list[SourceScoreSnapshot]:
    """Snapshots of one source in one project, oldest first (the last ``limit``); with
    ``layer``, only those scored from that layer tier."""
    project_access(user=user, project_id=project_id)
    _check_choice("kind", kind, EntityKind.values)
    _check_choice("layer", layer, LayerUsed.values)
    snapshots = SourceScoreSnapshot.objects.filter(project_id=project_id, kind=kind, entity_id=entity_id)
    if layer:
        snapshots = snapshots.filter(layer=layer)
    newest = snapshots.order_by("-computed_at", "-pk")[:limit]
    return list(reversed(newest))


def score_get(*, user, project_id: int, kind: str, entity_id: int) -> SourceScore | None:
    project_access(user=user, project_id=project_id)
    return SourceScore.objects.filter(project_id=project_id, kind=kind, entity_id=entity_id).first()


SPAN_KINDS = {"claim", "evidence", "opinion", "hedge"}


def spans_all_layers_visible(role: str) -> bool:
    """Whether this role reads every layer's spans (the workspace's rule); else only its own layer."""
    return role_at_least(role, Role.REVIEWER)


def _drill_params(project: Project, kind: str, entity_id: int, **extra) -> dict:
    _check_choice("kind", kind, EntityKind.values)
    # Only the one source's documents are in play, so the drill-down stays cheap.
    targets = Targets(
        outlets={entity_id} if kind == EntityKind.OUTLET else set(),
        authors={entity_id} if kind == EntityKind.AUTHOR else set(),
        speakers={entity_id} if kind == EntityKind.SPEAKER else set(),
    )
    return sql_params(project=project, targets=targets, kind=kind, entity_id=entity_id, **extra)


def source_documents(*, user, project_id: int, kind: str, entity_id: int) -> list[dict]:
    """The documents behind a source's figures, with per-document counts and the layer tier used."""
    project, _ = project_access(user=user, project_id=project_id)
    with connection.cursor() as cursor:
        cursor.execute(sql.DRILL_DOCUMENTS, _drill_params(project, kind, entity_id))
        columns = [
            "id",
            "title",
            "word_count",
            "tier",
            "claims",
            "evidence",
            "opinions",
            "hedges",
            "supported_claims",
            "qualified_claims",
        ]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def source_spans(
    *,
    user,
    project_id: int,
    kind: str,
    entity_id: int,
    span_kind: str = "",
    unsupported_only: bool = False,
    limit: int = 500,
) -> list[dict]:
    """The scored spans behind a source's figures (e.g. its unsupported claims).

    The workspace's layer rules apply: reviewers and managers see every counted layer,
    an annotator only the spans of their own annotator layer (never gold, never another
    annotator's), so the drill-down shows nothing the workspace would refuse them.
    """
    project, role = project_access(user=user, project_id=project_id)
    _check_choice("span_kind", span_kind, SPAN_KINDS)
    params = _drill_params(
        project, kind, entity_id, span_kind=span_kind or "", unsupported_only=unsupported_only, limit=limit,
        reader=None if spans_all_layers_visible(role) else user.pk,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql.DRILL_SPANS, params)
        columns = [
            "id",
            "document_id",
            "reader",
            "kind",
            "start",
            "end",
            "quote",
            "supported",
            "attacked",
            "qualified",
            "tier",
            "title",
        ]
        return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
