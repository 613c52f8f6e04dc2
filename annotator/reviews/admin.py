"""Back office: the review queue, assignments (approve, request changes, reassign) and agreement.

Also puts the reviewers' actions on the document, span and relation pages (admin_work.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from annotator.annotations.models import Annotation, Relation
from annotator.documents.models import Document
from annotator.projects.admin_scoping import ManagedProjectsMixin, ReasonForm, intermediate, run_each
from annotator.reviews.admin_work import (
    ReviewedAnnotationAdmin,
    ReviewedDocumentAdmin,
    ReviewedRelationAdmin,
    alpha_subquery,
    members_of_projects,
)
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.assigning import assignment_reassign
from annotator.reviews.models import Agreement, Assignment, AssignmentState, ReviewQueueItem
from annotator.reviews.services import assignment_approve, assignment_request_changes


class ReassignForm(forms.Form):
    annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), help_text="A member of the project."
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annotator"].queryset = members_of_projects(queryset)


@admin.action(description="Approve selected submitted work")
def approve(modeladmin, request, queryset):
    run_each(
        modeladmin,
        request,
        queryset,
        "Approved",
        lambda a: assignment_approve(assignment=a, reviewer=request.user),
    )


@admin.action(description="Request changes (asks for the reason)")
def request_changes(modeladmin, request, queryset):
    return intermediate(
        modeladmin,
        request,
        queryset,
        form_class=ReasonForm,
        title="Request changes",
        action="request_changes",
        verb="Sent back",
        call=lambda a, data: assignment_request_changes(
            assignment=a, reviewer=request.user, reason=data["reason"]
        ),
    )


@admin.action(description="Reassign to another annotator (keeps the earlier layer)")
def reassign(modeladmin, request, queryset):
    return intermediate(
        modeladmin,
        request,
        queryset,
        form_class=ReassignForm,
        title="Reassign",
        action="reassign",
        verb="Reassigned",
        call=lambda a, data: assignment_reassign(
            assignment=a, annotator=data["annotator"], manager=request.user
        ),
    )


@admin.action(description="Recompute agreement of the documents")
def recompute_agreement(modeladmin, request, queryset):
    documents = {item.document for item in queryset.select_related("document__project")}
    for document in documents:
        agreement_document_compute(document=document)
    modeladmin.message_user(request, f"Recomputed agreement of {len(documents)} document(s).")


class AssignmentAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = ("id", "document", "annotator", "state", "alpha", "submitted_at", "reviewed_by", "reason")
    list_filter = (
        "state",
        ("project", admin.RelatedOnlyFieldListFilter),
        ("annotator", admin.RelatedOnlyFieldListFilter),
        ("document__source", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("document__title", "annotator__username", "reason")
    date_hierarchy = "submitted_at"
    list_select_related = ("document", "annotator", "reviewed_by")
    actions = [approve, request_changes, reassign, recompute_agreement]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_alpha=alpha_subquery())

    @admin.display(description="agreement (alpha)", ordering="_alpha")
    def alpha(self, obj):
        return "—" if obj._alpha is None else f"{obj._alpha:.3f}"


class ReviewQueueAdmin(AssignmentAdmin):
    """Submitted work only, lowest agreement first, then the oldest."""

    list_filter = AssignmentAdmin.list_filter[1:]  # every row is submitted: no state filter

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(state=AssignmentState.SUBMITTED)
            .order_by(F("_alpha").asc(nulls_last=True), "submitted_at")
        )

    def get_ordering(self, request):
        return []  # keep the queue order above unless a column is clicked


class AgreementAdmin(ManagedProjectsMixin, admin.ModelAdmin):
    read_only = True
    list_display = (
        "project",
        "document",
        "label",
        "annotators",
        "alpha",
        "exact_f1",
        "overlap_f1",
        "computed_at",
    )
    list_filter = (("project", admin.RelatedOnlyFieldListFilter), ("label", admin.RelatedOnlyFieldListFilter))
    search_fields = ("document__title",)
    date_hierarchy = "computed_at"
    list_select_related = ("project", "document", "label")


admin.site.register(Assignment, AssignmentAdmin)
admin.site.register(ReviewQueueItem, ReviewQueueAdmin)
admin.site.register(Agreement, AgreementAdmin)

# The lower apps registered plain admins (they do not import reviews); these add the review actions.
for model, model_admin in [
    (Document, ReviewedDocumentAdmin),
    (Annotation, ReviewedAnnotationAdmin),
    (Relation, ReviewedRelationAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
