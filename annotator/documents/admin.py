"""Back office for documents: metadata and boilerplate. The text never changes.

The review actions (round-robin assignment, agreement) are added by reviews/admin_work.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.services import boilerplate_regions_check, document_boilerplate_set
from annotator.projects.admin_scoping import ManagedProjectsMixin


class DocumentAdminForm(forms.ModelForm):
    """Boilerplate regions are checked by the service's rule, with its message."""

    class Meta:
        model = Document
        fields = "__all__"  # noqa: DJ007 - the admin lists its read-only fields itself

    def clean_boilerplate(self):
        try:
            return boilerplate_regions_check(
                text=self.instance.text, regions=self.cleaned_data["boilerplate"]
            )
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None


class DocumentAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    form = DocumentAdminForm
    list_display = ("id", "display_title", "project", "source", "published_on", "char_count")
    list_filter = (
        ("project", admin.RelatedOnlyFieldListFilter),
        ("source", admin.RelatedOnlyFieldListFilter),
        "language",
    )
    search_fields = ("title", "url", "source__name", "authors__name")
    date_hierarchy = "published_on"
    list_select_related = ("project", "source")
    readonly_fields = (
        "project",
        "text",
        "content_hash",
        "char_count",
        "word_count",
        "body_word_count",
        "created_by",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("authors",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "boilerplate" in form.changed_data:
            document_boilerplate_set(document=obj, regions=obj.boilerplate)


admin.site.register(Document, DocumentAdmin)
