"""The source credibility dashboard (HTML): table and charts, per-source drill-down, CSV, recompute.

Rendered server-side from selectors, so it works without JavaScript; the
small script in static/credibility/ only adds client-side column sorting.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.access import access_page
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.credibility import charts, selectors
from annotator.credibility.export import score_row, scores_csv
from annotator.credibility.metrics import LAYER_CHAIN
from annotator.credibility.models import EntityKind, LayerUsed
from annotator.credibility.registry import METRICS, METRICS_BY_NAME, sort_keys
from annotator.credibility.scheduling import scores_recompute_request
from annotator.projects.models import Role, ScoreLayer
from annotator.projects.selectors import projects_for_user, role_at_least, user_role

CHART_ROWS = 25
SORT_LABELS = {
    **{
        key: f"{METRICS_BY_NAME[metric].label}: {'lower bound (highest first)' if descending else 'upper bound (lowest first)'}"
        for key, (metric, _, descending) in sort_keys().items()
    },
    "claims": "Claims",
    "documents": "Documents",
    "name": "Name",
}
DETAIL_TABS = {
    "documents": "Documents",
    "claims": "Claims",
    "unsupported": "Unsupported claims",
    "evidence": "Evidence",
    "hedges": "Hedges",
    "opinions": "Opinions",
}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _filters(request) -> dict:
    get = request.GET
    sort = get.get("sort") if get.get("sort") in selectors.SORTS else selectors.DEFAULT_SORT
    kind = get.get("kind") if get.get("kind") in EntityKind.values else EntityKind.OUTLET
    layer = get.get("layer") if get.get("layer") in LayerUsed.values else ""
    return {
        "project": _int(get.get("project")),
        "kind": kind,
        "layer": layer,
        "q": (get.get("q") or "").strip()[:200],
        "min_documents": max(0, _int(get.get("min_documents"), 0)),
        "sort": sort,
    }


def _sort_value(row: dict, key: str):
    metric, part, _ = sort_keys()[key]
    return (row["figures"].get(metric) or {}).get(part)


def _overall_sorted(rows: list[dict], f: dict) -> list[dict]:
    """Filter and sort the (already aggregated, one per source) overall rows; small samples last."""
    rows = [r for r in rows if (not f["q"] or f["q"].lower() in r["entity_name"].lower())]
    rows = [
        r
        for r in rows
        if r["scored_documents"] >= f["min_documents"] and (not f["layer"] or r["layer"] == f["layer"])
    ]
    key = f["sort"]
    if key == "name":
        ordered = sorted(rows, key=lambda r: r["entity_name"].lower())
    elif key in ("claims", "documents"):
        field = "claims" if key == "claims" else "scored_documents"
        ordered = sorted(rows, key=lambda r: r[field], reverse=True)
    else:
        descending = sort_keys()[key][2]
        missing = [r for r in rows if _sort_value(r, key) is None]
        present = sorted(
            (r for r in rows if _sort_value(r, key) is not None),
            key=lambda r: _sort_value(r, key),
            reverse=descending,
        )
        ordered = present + missing
    return [r for r in ordered if not r["small_sample"]] + [r for r in ordered if r["small_sample"]]


def metric_cells(row: dict) -> list[dict]:
    """The row's figures in registry order, as the table draws them."""
    return [
        {
            "metric": m,
            **(row["figures"].get(m.name) or {"point": None, "low": None, "high": None, "documents": 0}),
        }
        for m in METRICS
    ]


@access_page
def dashboard(request):
    f = _filters(request)
    projects = list(projects_for_user(user=request.user))
    project = next((p for p in projects if p.pk == f["project"]), None)
    if f["project"] is not None and project is None:
        raise Http404("Not found.")
    if project is not None:
        rows = [
            {**score_row(s), "id": s.pk, "rank": s.rank}
            for s in selectors.scores_list(
                user=request.user,
                project_id=project.pk,
                kind=f["kind"],
                layer=f["layer"] or None,
                q=f["q"],
                min_documents=f["min_documents"],
                sort=f["sort"],
            )
        ]
    else:
        rows = _overall_sorted(selectors.scores_overall(user=request.user, kind=f["kind"]), f)
        for index, row in enumerate(rows, start=1):
            row["rank"] = None if row["small_sample"] else index
    names = {p.pk: p.name for p in projects}
    for row in rows:
        row["unsupported"] = row["claims"] - row["supported_claims"]
        row["cells"] = metric_cells(row)
        # Drill-down: the source's page in its project; across projects, one link per project.
        ids = [project.pk] if project is not None else row.get("project_ids") or []
        row["detail_project"] = ids[0] if len(ids) == 1 else None
        row["in_projects"] = [(pid, names.get(pid, f"#{pid}")) for pid in ids] if len(ids) > 1 else []
    can_recompute = project is not None and role_at_least(
        user_role(user=request.user, project_id=project.pk), Role.REVIEWER
    )
    query = request.GET.copy()
    return render(
        request,
        "credibility/dashboard.html",
        {
            "projects": projects,
            "project": project,
            "filters": f,
            "rows": rows,
            "chart": charts.ratio_chart(rows[:CHART_ROWS], width=1280, label_width=260) if rows else None,
            "kinds": EntityKind.choices,
            "layers": LayerUsed.choices,
            "sorts": SORT_LABELS.items(),
            "metrics": METRICS,
            "can_recompute": can_recompute,
            "layer_chain": LAYER_CHAIN[ScoreLayer(project.score_layer)] if project else (),
            "export_query": query.urlencode(),
        },
    )


@access_page
def source_detail(request, project_id: int, kind: str, entity_id: int):
    if kind not in EntityKind.values:
        raise Http404("Not found.")
    show = request.GET.get("show") if request.GET.get("show") in DETAIL_TABS else "documents"
    score = selectors.score_get(user=request.user, project_id=project_id, kind=kind, entity_id=entity_id)
    if score is None:
        raise Http404("Not found.")
    history = selectors.score_history(
        user=request.user, project_id=project_id, kind=kind, entity_id=entity_id
    )
    documents = selectors.source_documents(
        user=request.user, project_id=project_id, kind=kind, entity_id=entity_id
    )
    spans = []
    if show != "documents":
        span_kind = {
            "claims": "claim",
            "unsupported": "claim",
            "evidence": "evidence",
            "hedges": "hedge",
            "opinions": "opinion",
        }[show]
        spans = selectors.source_spans(
            user=request.user,
            project_id=project_id,
            kind=kind,
            entity_id=entity_id,
            span_kind=span_kind,
            unsupported_only=show == "unsupported",
        )
    return render(
        request,
        "credibility/source_detail.html",
        {
            "score": score,
            "project": score.project,
            "kind_label": EntityKind(kind).label,
            "history": history,
            "trend": charts.trend_chart(history) if history else None,
            "documents": documents,
            "spans": spans,
            "own_layer_only": not selectors.spans_all_layers_visible(
                user_role(user=request.user, project_id=project_id)
            ),
            "show": show,
            "tabs": DETAIL_TABS.items(),
            "cells": metric_cells({"figures": score.figures}),
        },
    )


@access_page
def export_csv(request):
    f = _filters(request)
    if f["project"] is None:
        rows = _overall_sorted(selectors.scores_overall(user=request.user, kind=f["kind"]), f)
    else:
        rows = [
            score_row(s)
            for s in selectors.scores_list(
                user=request.user,
                project_id=f["project"],
                kind=f["kind"],
                layer=f["layer"] or None,
                q=f["q"],
                min_documents=f["min_documents"],
                sort=f["sort"],
            )
        ]
    response = HttpResponse(scores_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="source-scores.csv"'
    return response


@access_page
@require_POST
def recompute(request):
    project_id = _int(request.POST.get("project"))
    if project_id is None:
        raise Http404("Not found.")
    try:
        job = scores_recompute_request(user=request.user, project_id=project_id)
    except (NotFound, PermissionDenied):
        raise  # a page (access_page), not a message
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Recompute job {job.pk} queued; figures update when it finishes.")
    return redirect(f"{reverse('credibility:dashboard')}?project={project_id}")
