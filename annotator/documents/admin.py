"""Back office for documents: metadata, agreement, round-robin assignment. The text never changes."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.services import boilerplate_regions_check, document_boilerplate_set
from annotator.reviews.admin_support import ManagedProjectsMixin, alpha_subquery, intermediate
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.assigning import assignments_bulk_create


class RoundRobinForm(forms.Form):
    annotators = forms.ModelMultipleChoiceField(queryset=get_user_model().objects.none())
    overlap = forms.IntegerField(min_value=1, initial=2, help_text="Annotators per document")

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = queryset.values("project_id") if queryset is not None else []
        self.fields["annotators"].queryset = (
            get_user_model()
            .objects.filter(memberships__project_id__in=projects, memberships__is_active=True)
            .distinct()
            .order_by("username")
        )


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
    list_display = ("id", "display_title", "project", "source", "published_on", "char_count", "alpha")
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
    actions = [assign_round_robin, recompute_agreement]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_alpha=alpha_subquery("pk"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "boilerplate" in form.changed_data:
            document_boilerplate_set(document=obj, regions=obj.boilerplate)

    @admin.display(description="agreement (alpha)", ordering="_alpha")
    def alpha(self, obj):
        return "—" if obj._alpha is None else f"{obj._alpha:.3f}"


admin.site.register(Document, DocumentAdmin)
