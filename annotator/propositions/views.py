"""Browser pages for propositions, rendered server-side from selectors (they work without JavaScript).

- index: a project's propositions, per-source figures, likely repeats (reviewers confirm in bulk)
  and the latest changes with undo;
- proposition: the wording, every document and outlet stating it in publication order, its
  support and attacks with provenance, links back into the documents;
- source map: an outlet's propositions as nodes with the support and attacks between them,
  aggregated over its documents.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.access import access_page
from annotator.annotations.models import Annotation, Layer
from annotator.core.errors import ApplicationError
from annotator.projects.models import Role
from annotator.projects.selectors import projects_for_user, role_at_least
from annotator.propositions import access, selectors
from annotator.propositions.adjudication import link_review
from annotator.propositions.models import Proposition
from annotator.propositions.services import repeats_confirm
from annotator.propositions.undo import change_undo
from annotator.sources.models import Source


def _span_href(span_or_link) -> str:
    """The workspace URL that opens the span's document on the span's layer, scrolled to the span."""
    layer = span_or_link.layer
    query = "layer=gold" if layer == Layer.GOLD else f"annotator={span_or_link.annotator_id}&layer=annotator"
    span_id = getattr(span_or_link, "annotation_id", None) or span_or_link.pk
    return f"{reverse('workspace:document', args=[span_or_link.document_id])}?{query}#span-{span_id}"


@login_required
def project_list(request):
    return render(request, "propositions/projects.html", {"projects": projects_for_user(user=request.user)})


@access_page
def index(request, project_id: int):
    project, role = access.project_get(user=request.user, project_id=project_id)
    reviewer = role_at_least(role, Role.REVIEWER)
    q = (request.GET.get("q") or "").strip()[:200]
    propositions = selectors.proposition_list(user=request.user, role=role, project_id=project.pk, q=q)[:200]
    repeats = []
    if reviewer:
        repeats = selectors.repeat_groups_with_quotes(project_id=project.pk, layer=Layer.GOLD, annotator_id=0)
    return render(
        request,
        "propositions/index.html",
        {
            "project": project, "role": role, "reviewer": reviewer, "q": q, "propositions": propositions,
            "figures": selectors.source_figures(project_id=project.pk),
            "author_figures": selectors.source_figures(project_id=project.pk, kind="author"), "repeats": repeats,
            "changes": selectors.changes_recent(project_id=project.pk),
        },
    )  # fmt: skip


@access_page
def proposition_detail(request, project_id: int, pk: int):
    proposition, role = access.proposition_access(user=request.user, pk=pk)
    if proposition.project_id != project_id:
        raise Http404("Not found.")
    if proposition.merged_into_id is not None:
        messages.info(request, f"Proposition {proposition.pk} was merged into this one.")
        return redirect("propositions:detail", project_id=project_id, pk=proposition.merged_into_id)
    statements = selectors.proposition_statements(user=request.user, role=role, proposition=proposition)
    for link in statements:
        link.href = _span_href(link)
    relations = selectors.proposition_relations(user=request.user, role=role, proposition=proposition)
    for r in relations:
        r["href"] = _span_href(r["other"])
    return render(
        request,
        "propositions/detail.html",
        {
            "project": proposition.project, "proposition": proposition, "statements": statements,
            "relations": relations, "documents": len({s.document_id for s in statements}),
            "reviewer": role_at_least(role, Role.REVIEWER),
            "sources": sorted({s.document.source.name for s in statements if s.document.source_id}),
        },
    )  # fmt: skip


@access_page
def source_map(request, project_id: int, source_id: int):
    project, role = access.project_get(user=request.user, project_id=project_id, minimum=Role.REVIEWER)
    source = Source.objects.filter(pk=source_id, documents__project=project).distinct().first()
    if source is None:
        raise Http404("Not found.")
    graph = selectors.source_map(project_id=project.pk, source_id=source.pk)
    texts = {n["id"]: n["text"] for n in graph["nodes"]}
    spans = {
        a.pk: a
        for a in Annotation.objects.filter(
            pk__in=[s for n in graph["nodes"] for s in n["span_ids"]]
            + [s for e in graph["edges"] for s in e["from_spans"]]
        ).select_related("document")
    }
    for node in graph["nodes"]:
        node["spans_list"] = [
            {"span": spans[s], "href": _span_href(spans[s])} for s in node["span_ids"] if s in spans
        ]
        for edge in node["incoming"]:
            edge["from_text"] = texts.get(edge["from"]) if edge["from"] else None
            edge["from_spans_list"] = [
                {"span": spans[s], "href": _span_href(spans[s])} for s in edge["from_spans"] if s in spans
            ]
    figures = selectors.source_figures(project_id=project.pk, source_id=source.pk)
    return render(
        request,
        "propositions/source_map.html",
        {"project": project, "source": source, "graph": graph, "figures": figures[0] if figures else None},
    )


@access_page
@require_POST
def repeats_confirm_view(request, project_id: int):
    project, _ = access.project_get(user=request.user, project_id=project_id, minimum=Role.REVIEWER)
    groups = []
    for value in request.POST.getlist("group"):
        try:
            ids = [int(x) for x in value.split(",") if x]
        except ValueError:
            messages.error(request, f"Not a list of span ids: {value[:80]!r}.")
            return redirect("propositions:index", project_id=project.pk)
        spans = [access.span_access(user=request.user, pk=pk, write=True)[0] for pk in ids]
        groups.append({"spans": spans})
    try:
        made = repeats_confirm(project=project, groups=groups, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Confirmed {len(made)} group(s) as propositions.")
    return redirect("propositions:index", project_id=project.pk)


@access_page
@require_POST
def undo_view(request, project_id: int, change_id: int):
    change, _ = access.change_access(user=request.user, pk=change_id)
    if change.project_id != project_id:
        raise Http404("Not found.")
    try:
        change_undo(change=change, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Undone: {change.summary}")
    return redirect("propositions:index", project_id=project_id)


@access_page
@require_POST
def link_review_view(request, project_id: int, link_id: int):
    """A reviewer's decision on a link from the proposition view: accept, or reject with a reason."""
    link, role = access.link_access(user=request.user, pk=link_id)
    if link.project_id != project_id:
        raise Http404("Not found.")
    if not role_at_least(role, Role.REVIEWER):
        raise DjangoPermissionDenied("Only reviewers and managers adjudicate links.")
    decision = request.POST.get("decision", "")
    try:
        link_review(link=link, reviewer=request.user, role=role, decision=decision,
                    reason=request.POST.get("reason", "")[:10000])  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Link of span {link.annotation_id}: {decision}ed.")
    return redirect("propositions:detail", project_id=project_id, pk=link.proposition_id)


def proposition_url(proposition: Proposition) -> str:
    return reverse("propositions:detail", args=[proposition.project_id, proposition.pk])
