"""Reads for reviewing: the queue, progress, lowest agreement, layer comparison."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FloatField, Min, OuterRef, Q, QuerySet, Subquery

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.documents.models import Document
from annotator.projects.models import Label, Membership, Project, Role
from annotator.reviews import compare
from annotator.reviews.models import Agreement, Assignment, AssignmentState

STATES = [s.value for s in AssignmentState]


def reviewer_project_ids(*, user) -> QuerySet:
    if user.is_superuser:
        return Project.objects.values("pk")
    return Membership.objects.filter(
        user=user, is_active=True, role__in=[Role.REVIEWER, Role.MANAGER]
    ).values("project_id")


def _agreement(field_name: str) -> Subquery:
    rows = Agreement.objects.filter(document=OuterRef("pk"), label__isnull=True).values(field_name)[:1]
    return Subquery(rows, output_field=FloatField())


def review_queue(
    *, user, project_id=None, annotator_id=None, source_id=None, label_id=None
) -> QuerySet[Document]:
    """Documents with submitted work in the user's reviewer projects: lowest
    agreement (alpha) first, documents without agreement last, then oldest submission."""
    submitted = Assignment.objects.filter(document=OuterRef("pk"), state=AssignmentState.SUBMITTED)
    if annotator_id:
        submitted = submitted.filter(annotator_id=annotator_id)
    documents = Document.objects.filter(project_id__in=reviewer_project_ids(user=user)).filter(
        Exists(submitted)
    )
    if project_id:
        documents = documents.filter(project_id=project_id)
    if source_id:
        documents = documents.filter(source_id=source_id)
    if label_id:
        labelled = Annotation.objects.filter(
            document=OuterRef("pk"),
            label_id=label_id,
            layer=Layer.ANNOTATOR,
            annotator_id__in=Assignment.objects.filter(
                document=OuterRef(OuterRef("pk")), state=AssignmentState.SUBMITTED
            ).values("annotator_id"),
        )
        documents = documents.filter(Exists(labelled))
    return (
        documents.select_related("project", "source")
        .annotate(
            alpha=_agreement("alpha"),
            exact_f1=_agreement("exact_f1"),
            overlap_f1=_agreement("overlap_f1"),
            submitted_layers=Count("assignments", filter=Q(assignments__state=AssignmentState.SUBMITTED)),
            oldest_submission=Min(
                "assignments__submitted_at", filter=Q(assignments__state=AssignmentState.SUBMITTED)
            ),
        )
        .order_by(F("alpha").asc(nulls_last=True), "oldest_submission", "pk")
    )


# The filters the queue page and the API offer, each an id, and how many documents they show.
QUEUE_FILTERS = ("project", "annotator", "source", "label")
QUEUE_LIMIT = 200


def review_queue_page(*, user, filters: dict) -> QuerySet[Document]:
    """The first QUEUE_LIMIT documents of ``user``'s review queue; ``filters`` maps names of
    QUEUE_FILTERS to ids (a missing or empty one does not filter)."""
    ids = {f"{name}_id": filters.get(name) for name in QUEUE_FILTERS}
    return review_queue(user=user, **ids)[:QUEUE_LIMIT]


def reviewer_landing(*, document: Document, user) -> str | None:
    """Where a reviewer or manager opening a document without naming a layer should land:
    "review" (submitted work, beside gold, on the review page), "gold" (nothing submitted
    yet) or None when the document already holds their own layer (they chose to annotate)."""
    own = Assignment.objects.filter(document=document, annotator=user).exists() or (
        Annotation.objects.filter(document=document, annotator=user, layer=Layer.ANNOTATOR).exists()
    )
    if own:
        return None
    compared = Assignment.objects.filter(
        document=document, state__in=[AssignmentState.SUBMITTED, AssignmentState.APPROVED]
    )
    return "review" if compared.exists() else "gold"


def documents_lowest_agreement(*, project: Project, limit: int = 10) -> QuerySet[Document]:
    """The project's documents with the lowest agreement (alpha), for the project page."""
    return (
        Document.objects.filter(
            project=project, agreements__label__isnull=True, agreements__alpha__isnull=False
        )
        .annotate(
            alpha=F("agreements__alpha"),
            exact_f1=F("agreements__exact_f1"),
            overlap_f1=F("agreements__overlap_f1"),
            compared_layers=F("agreements__annotators"),
        )
        .order_by("alpha", "pk")[:limit]
    )


def agreement_rows(*, project: Project, document: Document | None = None) -> QuerySet[Agreement]:
    rows = Agreement.objects.filter(project=project).select_related("label")
    rows = rows.filter(document=document) if document else rows.filter(document__isnull=True)
    return rows.order_by(F("label__position").asc(nulls_first=True), "label__code")


def _state_counts(prefix: str = "") -> dict:
    return {state: Count("pk", filter=Q(**{f"{prefix}state": state})) for state in STATES}


def progress_by_annotator(*, project: Project) -> list[dict]:
    return list(
        Assignment.objects.filter(project=project)
        .values("annotator_id", username=F("annotator__username"))
        .annotate(total=Count("pk"), **_state_counts())
        .order_by("username")
    )


def progress_by_document(*, project: Project) -> list[dict]:
    return list(
        Assignment.objects.filter(project=project)
        .values("document_id", title=F("document__title"))
        .annotate(total=Count("pk"), **_state_counts())
        .order_by("document_id")
    )


def assignments_for_annotator(*, user) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(annotator=user)
        .select_related("document", "project", "reviewed_by")
        .order_by("-updated_at")
    )


def _relation_key(relation: Relation, spans: dict, labels: dict) -> tuple:
    def span_key(pk):
        span = spans[pk]
        return (span.start, span.end, labels[span.label_id].code)

    target = span_key(relation.target_id) if relation.target_id else ("speaker", relation.speaker_id)
    return (relation.type, span_key(relation.source_id), target)


@dataclass
class LayerView:
    annotator_id: int
    username: str
    layer: str
    assignment: Assignment | None
    spans: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)


def document_comparison(*, document: Document) -> dict:
    """Every layer of the document with each span's difference against the other annotators."""
    labels = {label.pk: label for label in Label.objects.filter(project_id=document.project_id)}
    assignments = {
        a.annotator_id: a
        for a in Assignment.objects.filter(document=document).select_related("annotator", "reviewed_by")
    }
    annotations = list(
        Annotation.objects.filter(document=document)
        .select_related("annotator")
        .order_by("start", "end", "pk")
    )
    relations = list(Relation.objects.filter(document=document).select_related("speaker").order_by("pk"))
    layers: dict[tuple[int, str], LayerView] = {}
    for a in assignments.values():
        layers[(a.annotator_id, Layer.ANNOTATOR)] = LayerView(
            a.annotator_id, a.annotator.username, Layer.ANNOTATOR, a
        )
    for span in annotations:
        key = (span.annotator_id, span.layer)
        if key not in layers:
            layers[key] = LayerView(
                span.annotator_id,
                span.annotator.username,
                span.layer,
                assignments.get(span.annotator_id) if span.layer == Layer.ANNOTATOR else None,
            )
    items = {
        key: [
            compare.Item(s.pk, s.start, s.end, labels[s.label_id].code)
            for s in annotations
            if (s.annotator_id, s.layer) == key
        ]
        for key in layers
    }
    compared = {key[0]: items[key] for key in layers if key[1] == Layer.ANNOTATOR}
    differences = compare.layer_differences(compared)
    by_id = {s.pk: s for s in annotations}
    relation_diff = compare.relation_differences(
        {
            annotator_id: [
                (r.pk, _relation_key(r, by_id, labels))
                for r in relations
                if (r.annotator_id, r.layer) == (annotator_id, Layer.ANNOTATOR)
            ]
            for annotator_id in compared
        }
    )
    for key, view in layers.items():
        diff = differences.get(view.annotator_id, {}) if view.layer == Layer.ANNOTATOR else {}
        for item in items[key]:
            span = by_id[item.id]
            kind, detail = diff.get(item.id, ("gold", {}))
            view.spans.append(
                {
                    "span": span,
                    "label": labels[span.label_id],
                    "difference": kind,
                    "detail": ", ".join(
                        f"{layers[(k, Layer.ANNOTATOR)].username}: {v}" for k, v in detail.items()
                    ),
                }
            )
        view.relations = [
            {
                "relation": r,
                "source": by_id.get(r.source_id),
                "target": by_id.get(r.target_id),
                "difference": relation_diff.get(r.pk, "gold"),
            }
            for r in relations
            if (r.annotator_id, r.layer) == key
        ]
        view.segments = [
            {
                "start": s,
                "end": e,
                "text": document.text[s:e],
                "span": by_id[top.id] if top else None,
                "label": labels[by_id[top.id].label_id] if top else None,
                "difference": diff.get(top.id, ("gold", {}))[0] if top else "",
            }
            for s, e, top in compare.segments(document.text, items[key])
        ]
    ordered = sorted(layers.values(), key=lambda v: (v.layer == Layer.GOLD, v.username))
    return {"layers": ordered, "labels": list(labels.values())}
