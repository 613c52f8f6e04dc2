"""A document's and a span's history pages, undoing an action and restoring a deleted row."""

from __future__ import annotations

from django.shortcuts import render

from annotator.access import access_page, access_project, access_project_row, access_span_record
from annotator.documents.models import Document
from annotator.projects.models import Membership, Role
from annotator.projects.selectors import role_at_least, user_role
from annotator.reviews import history, history_actions
from annotator.reviews.span_history_names import span_history_named
from annotator.reviews.views.params import date_param, int_param
from annotator.reviews.views.post_actions import action


@access_page
def document_history(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    project, role = access_project(user=request.user, project_id=doc.project_id, minimum=Role.REVIEWER)
    filters = {
        "person": int_param(request.GET["person"], "person") if request.GET.get("person") else None,
        "kind": request.GET.get("kind") or None,
        "since": date_param(request.GET.get("since"), "since"),
        "until": date_param(request.GET.get("until"), "until"),
    }
    actions = history_actions.document_history_actions(document=doc, user=request.user, **filters)
    return render(
        request,
        "reviews/history.html",
        {
            "document": doc,
            "project": project,
            "actions": actions[:300],
            "filters": filters,
            "kinds": list(history_actions.KINDS),
            "people": Membership.objects.filter(project=project)
            .select_related("user")
            .order_by("user__username"),
            "is_manager": role_at_least(role, Role.MANAGER),
        },
    )


@access_page
def span_history(request, pk):
    record = access_span_record(request.user, pk)
    entries = history.span_history(annotation_id=pk, user=request.user)
    title = span_history_named(document=record.document, span_id=pk, entries=entries)
    role = user_role(user=request.user, project_id=record.project_id)
    return render(
        request,
        "reviews/span_history.html",
        {
            "document": record.document,
            "project": record.document.project,
            "entries": entries,
            "is_manager": role_at_least(role, Role.MANAGER),
            "title": title,
        },
    )


@action
def history_undo(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    changed = history_actions.history_action_undo(
        document=doc, items=request.POST.get("items", ""), manager=request.user
    )
    return f"Undone: {request.POST.get('summary') or 'the action'} ({changed} item(s) put back as they were)."


@action
def restore(request):
    item = history.history_restore(
        model=request.POST.get("model", ""),
        history_id=int_param(request.POST.get("history_id"), "history_id"),
        manager=request.user,
    )
    return f"Restored {request.POST.get('model')} {item.pk} (version {item.version})."
