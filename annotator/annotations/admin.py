"""Back office for spans and relations: read-only lists with the reviewers' actions.

Changing work goes through the review services (accept, reject with a reason,
copy into gold), never through a form, so history and rules always apply.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.annotations.models import Annotation, Relation
from annotator.reviews import adjudication, decisions
from annotator.reviews.admin_support import ManagedProjectsMixin, ReasonForm, intermediate, run_each


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


class AnnotationAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = (
        "id",
        "document",
        "annotator",
        "layer",
        "label",
        "quote_short",
        "start",
        "end",
        "status",
        "version",
        "created_at",
    )
    list_filter = (
        "layer",
        "status",
        ("label", admin.RelatedOnlyFieldListFilter),
        ("project", admin.RelatedOnlyFieldListFilter),
        ("annotator", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("quote", "note", "status_reason", "annotator__username", "document__title")
    date_hierarchy = "created_at"
    list_select_related = ("document", "annotator", "label")
    actions = [accept, reject, to_gold]

    @admin.display(description="quote")
    def quote_short(self, obj):
        return obj.quote if len(obj.quote) <= 60 else f"{obj.quote[:57]}…"


class RelationAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    read_only = True
    list_display = (
        "id",
        "document",
        "annotator",
        "layer",
        "source",
        "type",
        "target",
        "speaker",
        "status",
        "created_at",
    )
    list_filter = (
        "type",
        "layer",
        "status",
        ("project", admin.RelatedOnlyFieldListFilter),
        ("annotator", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("note", "status_reason", "annotator__username", "document__title", "speaker__name")
    date_hierarchy = "created_at"
    list_select_related = ("document", "annotator", "source", "target", "speaker")
    actions = [accept, reject, to_gold]


admin.site.register(Annotation, AnnotationAdmin)
admin.site.register(Relation, RelationAdmin)
