"""The reviewers' actions on the back-office pages of lower apps: documents, spans and relations.

documents/admin.py and annotations/admin.py register plain, scoped admins that know
nothing of reviews; reviews/admin.py registers these subclasses in their place, so the
dependency points from reviews down to them (docs/development.md, "Layers").
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import FloatField, OuterRef, Subquery

from annotator.annotations.admin import AnnotationAdmin, RelationAdmin
from annotator.annotations.models import Annotation
from annotator.documents.admin import DocumentAdmin
from annotator.projects.admin_scoping import ReasonForm, intermediate, run_each
from annotator.reviews import adjudication, decisions
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.assigning import assignments_bulk_create
from annotator.reviews.models import Agreement


def alpha_subquery(document_path: str = "document") -> Subquery:
    """The document's all-label alpha, for an agreement column sortable in SQL."""
    rows = Agreement.objects.filter(document=OuterRef(document_path), label__isnull=True).values("alpha")[:1]
    return Subquery(rows, output_field=FloatField())


def members_of_projects(queryset):
    """The active members of the selected items' projects, by username: whom work may go to."""
    projects = queryset.values("project_id") if queryset is not None else []
    return (
        get_user_model()
        .objects.filter(memberships__project_id__in=projects, memberships__is_active=True)
        .distinct()
        .order_by("username")
    )


class RoundRobinForm(forms.Form):
    annotators = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.none())
    overlap = forms.IntegerField(min_value=1, initial=2, help_text="Annotators per document")

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotators"].queryset = members_of_projects(queryset)


@admin.action(description="Assign round-robin (asks for annotators and overlap)")
def assign_round_robin(modeladmin, request, queryset):
    projects = set(queryset.values_list("project_id", flat=True))
    if len(projects) > 1:
        modeladmin.message_user(request, "Pick documents of one project at a time.", level="error")
        return None
    form = RoundRobinForm(request.POST if "apply" in request.POST else None, queryset=queryset)
    if "apply" in request.POST and form.is_valid():
        result = assignments_bulk_create(
            project=queryset.first().project,
            manager=request.user,
            annotators=list(form.cleaned_data["annotators"]),
            overlap=form.cleaned_data["overlap"],
            documents=list(queryset),
        )
        modeladmin.message_user(
            request, f"Assigned {result['created']}, skipped {result['skipped']} existing."
        )
        return None
    return intermediate(
        modeladmin,
        request,
        queryset,
        form_class=RoundRobinForm,
        title="Assign round-robin",
        action="assign_round_robin",
        verb="Assigned",
        call=lambda *_: None,
    )


@admin.action(description="Recompute agreement")
def recompute_agreement(modeladmin, request, queryset):
    for document in queryset.select_related("project"):
        agreement_document_compute(document=document)
    modeladmin.message_user(request, f"Recomputed agreement of {queryset.count()} document(s).")


class ReviewedDocumentAdmin(DocumentAdmin):
    list_display = (*DocumentAdmin.list_display, "alpha")
    actions = [assign_round_robin, recompute_agreement]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_alpha=alpha_subquery("pk"))

    @admin.display(description="agreement (alpha)", ordering="_alpha")
    def alpha(self, obj):
        return "—" if obj._alpha is None else f"{obj._alpha:.3f}"


@admin.action(description="Accept selected")
def accept(modeladmin, request, queryset):
    review = decisions.annotation_review if queryset.model is Annotation else decisions.relation_review
    field = "annotation" if queryset.model is Annotation else "relation"
    run_each(
        modeladmin,
        request,
        queryset,
        "Accepted",
        lambda item: review(**{field: item}, reviewer=request.user, decision="accept"),
    )


@admin.action(description="Reject selected (asks for the reason)")
def reject(modeladmin, request, queryset):
    review = decisions.annotation_review if queryset.model is Annotation else decisions.relation_review
    field = "annotation" if queryset.model is Annotation else "relation"
    return intermediate(
        modeladmin,
        request,
        queryset,
        form_class=ReasonForm,
        title="Reject",
        action="reject",
        verb="Rejected",
        call=lambda item, data: review(
            **{field: item}, reviewer=request.user, decision="reject", reason=data["reason"]
        ),
    )


@admin.action(description="Copy into my gold layer")
def to_gold(modeladmin, request, queryset):
    if queryset.model is Annotation:
        call = lambda item: adjudication.gold_accept_annotation(annotation=item, reviewer=request.user)  # noqa: E731
    else:
        call = lambda item: adjudication.gold_accept_relation(relation=item, reviewer=request.user)  # noqa: E731
    run_each(modeladmin, request, queryset, "Copied", call)


class ReviewedAnnotationAdmin(AnnotationAdmin):
    actions = [accept, reject, to_gold]


class ReviewedRelationAdmin(RelationAdmin):
    actions = [accept, reject, to_gold]
