"""Back office for spans and relations: read-only lists with the reviewers' actions.

Changing work goes through the review services (accept, reject with a reason,
copy into gold), never through a form, so history and rules always apply; those
actions are added by reviews/admin_work.py (reviews builds on annotations, not the reverse).
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.annotations.models import Annotation, Relation
from annotator.projects.admin_scoping import ManagedProjectsMixin


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


admin.site.register(Annotation, AnnotationAdmin)
admin.site.register(Relation, RelationAdmin)
