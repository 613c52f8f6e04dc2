"""HTML pages under /review/: the queue, the side-by-side comparison with
adjudication, the annotator's decisions, assignment and history pages.

Views are thin: they resolve ids, call one service or selector, and turn
ApplicationError into a 404/403 page (GET) or a message and a redirect (POST).
"""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from annotator.access import access_page, access_project, access_project_row, access_span_record
from annotator.annotations.models import Annotation, Layer, Relation, RelationType
from annotator.core.errors import ApplicationError, NotFound, PermissionDenied
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Project, Role
from annotator.projects.selectors import project_label_get, role_at_least, user_role
from annotator.reviews import accept_agreed, adjudication, decisions, history, history_actions
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.assigning import (
    assignment_create,
    assignment_reassign,
    assignments_bulk_create,
    user_by_id,
)
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.selectors import (
    LayerView,
    agreement_rows,
    assignments_for_annotator,
    document_comparison,
    progress_by_annotator,
    progress_by_document,
    review_queue,
    reviewer_project_ids,
)
from annotator.reviews.services import assignment_approve, assignment_request_changes
from annotator.reviews.span_history_names import span_history_named
from annotator.sources.models import Source


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def action(view):
    """POST actions: run, then go back to ``next`` with the outcome as a message.

    Asked for JSON (the review page's script), the answer is ``{"message"}`` and,
    when the form names a document in ``refresh``, that document's comparison
    re-rendered as ``html``, so the page updates in place. Errors asked for as JSON,
    and NotFound always, go to ``access_page`` (``{"message", "errors"}`` or a 404).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        as_json = _wants_json(request)
        try:
            done = view(request, *args, **kwargs)
        except ApplicationError as exc:
            if as_json or isinstance(exc, NotFound):
                raise
            messages.error(request, exc.message)
        else:
            if as_json:
                return JsonResponse({"message": done or "", **_refreshed(request)})
            if done:
                messages.success(request, done)
        return redirect(_next(request))

    return access_page(require_POST(wrapped))


def _refreshed(request) -> dict:
    """The review page's body after an action, for the page to swap in."""
    pk = request.POST.get("refresh")
    if not pk:
        return {}
    try:
        doc = access_project_row(Document, request.user, _int(pk, "refresh"), noun="Document")
        context = _document_context(request, doc)
    except ApplicationError:
        return {}  # the action stands; the page reloads what it may see
    return {"html": render_to_string("reviews/_document_body.html", context, request=request)}


def _next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/review/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/review/"
    return target


def _int(value, field):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApplicationError.field(field, f"{field.capitalize()} must be a whole number.") from None


@access_page
def queue(request):
    params = {
        key: _int(request.GET[key], key)
        for key in ("project", "annotator", "source", "label")
        if request.GET.get(key)
    }
    project_ids = reviewer_project_ids(user=request.user)
    if not request.user.is_superuser and not project_ids.exists():
        raise PermissionDenied("The review queue is for reviewers and managers.")
    documents = review_queue(
        user=request.user,
        project_id=params.get("project"),
        annotator_id=params.get("annotator"),
        source_id=params.get("source"),
        label_id=params.get("label"),
    )[:200]
    context = {
        "documents": documents,
        "params": params,
        "projects": Project.objects.filter(pk__in=project_ids),
        # The queue filters by whose work it is: annotators only.
        "annotators": Membership.objects.filter(
            project_id__in=project_ids, role=Role.ANNOTATOR, is_active=True
        )
        .select_related("user")
        .order_by("user__username")
        .distinct("user__username"),
        "sources": Source.objects.filter(documents__project_id__in=project_ids).distinct().order_by("name"),
        "labels": Label.objects.filter(project_id__in=project_ids).select_related("project"),
        "managed": Project.objects.filter(
            memberships__user=request.user, memberships__role=Role.MANAGER, memberships__is_active=True
        ),
    }
    return render(request, "reviews/queue.html", context)


@access_page
def document(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    context = _document_context(request, doc)
    context["queue_position"] = _queue_neighbours(request.user, doc)
    return render(request, "reviews/document.html", context)


def _document_context(request, doc) -> dict:
    project, role = access_project(user=request.user, project_id=doc.project_id, minimum=Role.REVIEWER)
    comparison = document_comparison(document=doc)
    layers = comparison["layers"]
    if not any(v.layer == Layer.GOLD for v in layers):  # one gold layer per document
        text = [{"start": 0, "end": doc.char_count, "text": doc.text, "span": None}]
        layers.append(LayerView(request.user.pk, "", Layer.GOLD, None, segments=text))
    labels = [label for label in comparison["labels"] if label.is_active]
    _item_urls(layers, labels)
    return {
        "document": doc,
        "project": project,
        "role": role,
        "is_manager": role_at_least(role, Role.MANAGER),
        "here": request.get_full_path(),
        "layers": layers,
        "labels": labels,
        "agreement": list(agreement_rows(project=project, document=doc)),
    }


def _path(name: str, *args):
    """reverse() once per URL name, then the id put in: the page lists some 200 actions."""
    marker = "987654321"
    head, tail = reverse(name, args=[int(marker), *args]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _options(choices, selected) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, " selected" if v == selected else "", t) for v, t in choices),
    )


def _item_urls(layers, labels) -> None:
    """Per item: its action paths and its select's options (made once per label or type)."""
    label_choices = [(label.pk, label.code) for label in labels]
    label_options = {pk: _options(label_choices, pk) for pk in [None, *(pk for pk, _ in label_choices)]}
    type_options = {value: _options(RelationType.choices, value) for value, _ in RelationType.choices}
    span_paths = {
        **{
            kind: _path("reviews:annotation-decide", kind) for kind in ("accept", "reject", "correct", "gold")
        },
        "gold_edit": _path("reviews:gold-edit"),
        "history": _path("reviews:span-history"),
    }
    relation_paths = {kind: _path("reviews:relation-decide", kind) for kind in ("reject", "correct", "gold")}
    for layer in layers:
        for item in layer.spans:
            item["urls"] = {kind: path(item["span"].pk) for kind, path in span_paths.items()}
            # A retired label is not offered: nothing selected, as before.
            item["label_options"] = label_options.get(item["span"].label_id, label_options[None])
        for item in layer.relations:
            item["urls"] = {kind: path(item["relation"].pk) for kind, path in relation_paths.items()}
            item["type_options"] = type_options[item["relation"].type]


def _queue_neighbours(user, doc) -> dict:
    ids = list(review_queue(user=user).values_list("pk", flat=True)[:500])
    if doc.pk not in ids:
        return {"next": ids[0] if ids else None}
    index = ids.index(doc.pk)
    return {"next": ids[index + 1] if index + 1 < len(ids) else None, "index": index + 1, "total": len(ids)}


@access_page
def mine(request):
    assignments = assignments_for_annotator(user=request.user)
    decided = (
        Annotation.objects.filter(annotator=request.user, layer="annotator")
        .exclude(status="pending")
        .select_related("document", "label")
        .order_by("-updated_at")[:200]
    )
    return render(request, "reviews/mine.html", {"assignments": assignments, "decided": decided})


@access_page
def assignments(request, project_id):
    project, _ = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
    overall = agreement_rows(project=project).filter(label__isnull=True).first()
    context = {
        "project": project,
        "agreement": overall,
        "by_annotator": progress_by_annotator(project=project),
        "by_document": progress_by_document(project=project),
        # Only annotators are offered: reviewers and managers judge the work, they are not assigned it.
        "annotators": Membership.objects.filter(project=project, is_active=True, role=Role.ANNOTATOR)
        .select_related("user")
        .order_by("user__username"),
        "documents": Document.objects.filter(project=project).order_by("title", "pk"),
        "assignments": Assignment.objects.filter(project=project)
        .select_related("document", "annotator")
        .order_by("document__title", "document_id", "annotator__username"),
        "states": AssignmentState.choices,
    }
    return render(request, "reviews/assignments.html", context)


@access_page
def document_history(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    project, role = access_project(user=request.user, project_id=doc.project_id, minimum=Role.REVIEWER)
    filters = {
        "person": _int(request.GET["person"], "person") if request.GET.get("person") else None,
        "kind": request.GET.get("kind") or None,
        "since": _date(request.GET.get("since"), "since"),
        "until": _date(request.GET.get("until"), "until"),
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


def _date(value, field):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError.field(field, f"{field.capitalize()} must be a date like 2026-12-31.") from None


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


# -- actions --------------------------------------------------------------------------


@action
def approve(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    assignment_approve(assignment=assignment, reviewer=request.user)
    return f"Approved {assignment.annotator.username}'s layer."


@action
def request_changes(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    assignment_request_changes(
        assignment=assignment, reviewer=request.user, reason=request.POST.get("reason", "")
    )
    return f"Sent {assignment.annotator.username}'s layer back with your reason."


@action
def annotation_decide(request, pk, decision):
    span = access_project_row(Annotation, request.user, pk, noun="Span")
    if decision == "gold":
        adjudication.gold_accept_annotation(annotation=span, reviewer=request.user)
        return f"Copied {span.label.code} “{span.quote[:40]}” into the gold layer."
    if decision == "correct":
        changes = {}
        for name in ("start", "end"):
            if request.POST.get(name, "") != "":
                changes[name] = _int(request.POST[name], name)
        if request.POST.get("label"):
            changes["label"] = project_label_get(project_id=span.project_id, label_id=request.POST["label"])
        decisions.annotation_correct(
            annotation=span, reviewer=request.user, reason=request.POST.get("reason", ""), **changes
        )
        return "Correction written to the gold layer; the original is kept."
    decisions.annotation_review(
        annotation=span, reviewer=request.user, decision=decision, reason=request.POST.get("reason", "")
    )
    verb = "Rejected" if decision == "reject" else "Accepted"
    return f"{verb} {span.annotator.username}'s {span.label.code} “{span.quote[:40]}”."


@action
def relation_decide(request, pk, decision):
    relation = access_project_row(Relation, request.user, pk, noun="Relation")
    if decision == "gold":
        adjudication.gold_accept_relation(relation=relation, reviewer=request.user)
        return "Relation copied into the gold layer."
    if decision == "correct":
        decisions.relation_correct(
            relation=relation,
            reviewer=request.user,
            type=request.POST.get("type", ""),
            reason=request.POST.get("reason", ""),
        )
        return "Corrected relation written to the gold layer; the original is kept."
    decisions.relation_review(
        relation=relation, reviewer=request.user, decision=decision, reason=request.POST.get("reason", "")
    )
    return "Relation rejected." if decision == "reject" else "Relation accepted."


@action
def gold_agreed(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    result = accept_agreed.gold_accept_agreed(document=doc, reviewer=request.user)
    message = f"Accepted {result['spans']} agreed span(s) and {result['relations']} relation(s) into gold."
    if result["already_spans"] or result["already_relations"]:
        message += (
            f" {result['already_spans']} span(s) and {result['already_relations']} relation(s)"
            " were accepted before."
        )
    return message


@action
def gold_add(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    label = project_label_get(project_id=doc.project_id, label_id=request.POST.get("label"))
    span = adjudication.gold_add(
        document=doc,
        reviewer=request.user,
        start=_int(request.POST.get("start"), "start"),
        end=_int(request.POST.get("end"), "end"),
        label=label,
    )
    return f"Added {label.code} “{span.quote[:40]}” to the gold layer."


@action
def gold_edit(request, pk):
    span = access_project_row(Annotation, request.user, pk, noun="Span")
    if request.POST.get("delete"):
        adjudication.gold_delete(
            annotation=span, reviewer=request.user, version=_int(request.POST.get("version"), "version")
        )
        return f"Deleted gold {span.label.code} “{span.quote[:40]}”."
    span = adjudication.gold_update(
        annotation=span,
        reviewer=request.user,
        version=_int(request.POST.get("version"), "version"),
        start=_int(request.POST.get("start"), "start"),
        end=_int(request.POST.get("end"), "end"),
    )
    return f"Gold {span.label.code} now reads “{span.quote[:60]}”."


@action
def agreement_compute(request, pk):
    doc = access_project_row(Document, request.user, pk, noun="Document")
    access_project(user=request.user, project_id=doc.project_id, minimum=Role.REVIEWER)
    row = agreement_document_compute(document=doc)
    return f"Agreement recomputed: alpha {row.alpha if row.alpha is not None else '—'}."


@action
def assign(request, project_id):
    project, _ = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
    if request.POST.get("mode") == "bulk":
        annotators = [user_by_id(pk, field="annotators") for pk in request.POST.getlist("annotators")]
        result = assignments_bulk_create(
            project=project,
            manager=request.user,
            annotators=annotators,
            overlap=_int(request.POST.get("overlap"), "overlap"),
        )
        return f"Assigned {result['created']} (skipped {result['skipped']} existing) over {result['documents']} documents."
    doc = access_project_row(
        Document, request.user, _int(request.POST.get("document"), "document"), noun="Document"
    )
    if doc.project_id != project.pk:
        raise NotFound("Document not found.")
    annotator = user_by_id(request.POST.get("annotator"))
    assignment_create(document=doc, annotator=annotator, manager=request.user)
    return f"Assigned “{doc.display_title}” to {annotator.username}."


@action
def reassign(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    annotator = user_by_id(request.POST.get("annotator"))
    new = assignment_reassign(assignment=assignment, annotator=annotator, manager=request.user)
    return f"Reassigned “{new.document.display_title}” from {assignment.annotator.username} to {annotator.username}."


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
        history_id=_int(request.POST.get("history_id"), "history_id"),
        manager=request.user,
    )
    return f"Restored {request.POST.get('model')} {item.pk} (version {item.version})."
