"""Pieces shared by the back-office admin pages.

The admin is the managers' back office: a staff user sees only the projects
they manage (superusers see all), and every bulk action calls the same
service as the browser and the API, one item at a time so each keeps its
own rules, messages and history.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import FloatField, OuterRef, Subquery
from django.template.response import TemplateResponse

from annotator.core.errors import ApplicationError
from annotator.projects.models import Membership, Role


def managed_project_ids(user):
    return Membership.objects.filter(user=user, is_active=True, role=Role.MANAGER).values("project_id")


def is_manager_somewhere(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or managed_project_ids(user).exists()


class ManagedProjectsMixin:
    """Scope an admin to the projects the staff user manages."""

    project_path = "project"
    read_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.project_path}__in": managed_project_ids(request.user)})

    def has_module_permission(self, request):
        return is_manager_somewhere(request.user)

    def has_view_permission(self, request, obj=None):
        return is_manager_somewhere(request.user)

    def has_change_permission(self, request, obj=None):
        return not self.read_only and is_manager_somewhere(request.user)

    def has_add_permission(self, request, obj=None):
        return not self.read_only and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # work is never deleted from the back office; the services decide

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def run_each(modeladmin, request, queryset, verb: str, call) -> None:
    """Apply ``call(item)`` to each selected item; report successes and each failure's message."""
    done, failed = 0, []
    for item in queryset:
        try:
            call(item)
        except ApplicationError as exc:
            failed.append(f"#{item.pk}: {exc.message}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{verb} {done} item(s).", messages.SUCCESS)
    for failure in failed:
        modeladmin.message_user(request, f"Not {verb.lower()} {failure}", messages.ERROR)


def intermediate(modeladmin, request, queryset, *, form_class, title: str, action: str, call, verb: str):
    """A bulk action that first asks for input (a reason, an annotator) on its own page."""
    form = form_class(request.POST if "apply" in request.POST else None, queryset=queryset)
    if "apply" in request.POST and form.is_valid():
        run_each(modeladmin, request, queryset, verb, lambda item: call(item, form.cleaned_data))
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reviews/action_form.html", context)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown to the annotator.")

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)


def alpha_subquery(document_path: str = "document") -> Subquery:
    from annotator.reviews.models import Agreement

    rows = Agreement.objects.filter(document=OuterRef(document_path), label__isnull=True).values("alpha")[:1]
    return Subquery(rows, output_field=FloatField())
