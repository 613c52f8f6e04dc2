"""Permission-scoped reads of source scores: tables, overall roll-up, history, drill-down.

Everything is limited to the projects the user is a member of; a project
the user cannot see raises NotFound (through ``access_project``).
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, QuerySet, Value, When, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Rank, TruncDay, TruncWeek

from annotator.access import access_project
from annotator.core.errors import ApplicationError
from annotator.credibility import sql
from annotator.credibility.metrics import Targets, sql_params, with_derived
from annotator.credibility.models import (
    COUNT_FIELDS,
    DOCUMENT_COUNTS,
    EntityKind,
    LayerUsed,
    SourceScore,
    SourceScoreSnapshot,
)
from annotator.credibility.registry import moments_sum, sort_keys
from annotator.projects.kinds import ROLES
from annotator.projects.models import Project, Role
from annotator.projects.selectors import projects_for_user, role_at_least


def _bound(metric: str, part: str):
    return Cast(KT(f"figures__{metric}__{part}"), FloatField())


# Sort keys offered by the dashboard and API: every metric's lower bound (highest
# first) and upper bound (lowest first) from the registry; rankings use bounds.
SORTS = {
    key: (
        _bound(metric, part).desc(nulls_last=True)
        if descending
        else _bound(metric, part).asc(nulls_last=True)
    )
    for key, (metric, part, descending) in sort_keys().items()
}
SORTS.update(
    {
        "claims": F("claims").desc(),
        "documents": F("scored_documents").desc(),
        "name": F("entity_name").asc(),
    }
)
DEFAULT_SORT = "ratio_low"
# Project settings the "All my projects" view applies (each project may set its own).
DEFAULT_MIN_DOCUMENTS = Project._meta.get_field("score_min_documents").default
DEFAULT_MIN_CLAIMS = Project._meta.get_field("score_min_claims").default


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
        access_project(user=user, project_id=project_id)
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
    # Small samples are listed after the ranked sources and get no rank (the
    # window ranks them apart; the rank is then blanked).
    ranked = scores.select_related("project").annotate(
        rank_in_group=Window(
            Rank(), partition_by=[F("project_id"), F("kind"), F("small_sample")], order_by=order
        )
    )
    return ranked.annotate(
        rank=Case(
            When(small_sample=True, then=Value(None)), default=F("rank_in_group"), output_field=IntegerField()
        )
    ).order_by("project_id", "kind", "small_sample", order, "entity_name")


_OVERALL_TEMPLATE = """
SELECT s.kind, s.entity_id, max(s.entity_name) AS entity_name, count(*)::int AS projects,
  array_agg(s.project_id ORDER BY s.project_id) AS project_ids,
  {sums}, jsonb_agg(s.moments) AS moments_per_project,
  (SELECT jsonb_object_agg(code, n) FROM (
     SELECT e.key AS code, sum(e.value::numeric) AS n
     FROM credibility_sourcescore s2, jsonb_each_text(s2.evidence_subtypes) e
     WHERE s2.project_id = ANY(%(projects)s::bigint[]) AND s2.kind = s.kind AND s2.entity_id = s.entity_id
     GROUP BY e.key) per_code) AS evidence_subtypes
FROM credibility_sourcescore s
WHERE s.project_id = ANY(%(projects)s::bigint[]) AND (%(kind)s = '' OR s.kind = %(kind)s)
GROUP BY s.kind, s.entity_id
ORDER BY s.kind, max(s.entity_name)
"""
# The sums are over this module's constant column names, never input.
_OVERALL = _OVERALL_TEMPLATE.format(sums=", ".join(f"sum(s.{f}) AS {f}" for f in COUNT_FIELDS))


def scores_overall(*, user, kind: str | None = None) -> list[dict]:
    """Each source across all of the user's projects: counts and moments summed over the
    project rows, then the same formulas applied (documents belong to one project, so
    the sums do not double count). Small samples use the default project settings."""
    _check_choice("kind", kind, EntityKind.values)
    project_ids = list(projects_for_user(user=user).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(_OVERALL, {"projects": project_ids, "kind": kind or ""})
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["evidence_subtypes"] = row["evidence_subtypes"] or {}
        per_project = row.pop("moments_per_project")
        if isinstance(per_project, str):
            per_project = json.loads(per_project)
        row["moments"] = moments_sum(per_project)
        for field in COUNT_FIELDS:
            row[field] = float(row[field])
        for field in DOCUMENT_COUNTS:
            row[field] = int(row[field])
    return [
        with_derived(row, min_documents=DEFAULT_MIN_DOCUMENTS, min_claims=DEFAULT_MIN_CLAIMS) for row in rows
    ]


# A history longer than this is drawn one point per week, else one per day.
WEEKLY_AFTER = timedelta(days=90)


def score_history(
    *, user, project_id: int, kind: str, entity_id: int, layer: str | None = None, limit: int = 200
) -> list[SourceScoreSnapshot]:
    """One snapshot per day (per week when the history spans more than 90 days) of one
    source in one project: the last of each period, oldest first (the last ``limit``
    periods); with ``layer``, only those scored from that layer tier. Each snapshot
    carries ``period`` (the day or the week's Monday)."""
    access_project(user=user, project_id=project_id)
    _check_choice("kind", kind, EntityKind.values)
    _check_choice("layer", layer, LayerUsed.values)
    snapshots = SourceScoreSnapshot.objects.filter(project_id=project_id, kind=kind, entity_id=entity_id)
    if layer:
        snapshots = snapshots.filter(layer=layer)
    first = snapshots.order_by("computed_at").values_list("computed_at", flat=True).first()
    last = snapshots.order_by("-computed_at").values_list("computed_at", flat=True).first()
    if first is None:
        return []
    trunc = TruncWeek if last - first > WEEKLY_AFTER else TruncDay
    per_period = (
        snapshots.annotate(period=trunc("computed_at"))
        .order_by("-period", "-computed_at", "-pk")
        .distinct("period")[:limit]
    )
    return list(reversed(per_period))


def score_get(*, user, project_id: int, kind: str, entity_id: int) -> SourceScore | None:
    access_project(user=user, project_id=project_id)
    return SourceScore.objects.filter(project_id=project_id, kind=kind, entity_id=entity_id).first()


SPAN_KINDS = set(ROLES)  # the drill-down filters spans by what they count as (projects/kinds.py)


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
    project, _ = access_project(user=user, project_id=project_id)
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
    project, role = access_project(user=user, project_id=project_id)
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
