"""The review queue, the side-by-side comparison of a document's layers, and the
annotator's own decisions (GET pages)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join

from annotator.access import access_page, access_project, access_project_row
from annotator.annotations.models import Annotation, Layer, RelationType
from annotator.core.errors import PermissionDenied
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Project, Role
from annotator.projects.selectors import role_at_least
from annotator.reviews.selectors import (
    QUEUE_FILTERS,
    LayerView,
    agreement_rows,
    assignments_for_annotator,
    document_comparison,
    review_queue,
    review_queue_page,
    reviewer_project_ids,
)
from annotator.reviews.views.params import int_param
from annotator.sources.models import Source


@access_page
def queue(request):
    params = {key: int_param(request.GET[key], key) for key in QUEUE_FILTERS if request.GET.get(key)}
    project_ids = reviewer_project_ids(user=request.user)
    if not request.user.is_superuser and not project_ids.exists():
        raise PermissionDenied("The review queue is for reviewers and managers.")
    documents = review_queue_page(user=request.user, filters=params)
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
    context = document_context(request, doc)
    context["queue_position"] = _queue_neighbours(request.user, doc)
    return render(request, "reviews/document.html", context)


def document_context(request, doc) -> dict:
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
