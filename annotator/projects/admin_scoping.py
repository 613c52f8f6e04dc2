"""Pieces shared by the back-office admin pages of every app: project scoping and bulk actions.

The admin is the managers' back office: a staff user sees only the projects
they manage (superusers see all), and every bulk action calls the same
service as the browser and the API, one item at a time so each keeps its
own rules, messages and history.

Scoping covers every admin view, not only the lists: the object-level
permissions check the object's project (change, delete, history), the
history pages and their "Revert" form answer 404 for any object or version
outside the managed projects (django-simple-history's own views fall back
to unscoped lookups), and list filters offer only the managed projects.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.template.response import TemplateResponse

from annotator.core.errors import ApplicationError
from annotator.projects.models import Membership, Role


def managed_project_ids(user):
    return Membership.objects.filter(user=user, is_active=True, role=Role.MANAGER).values("project_id")


def is_manager_somewhere(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or managed_project_ids(user).exists()


def manages_project(user, project_id: int | None) -> bool:
    """Whether this staff user may see and change the back office of that project."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return project_id is not None and managed_project_ids(user).filter(project_id=project_id).exists()


class ManagedProjectsMixin:
    """Scope an admin to the projects the staff user manages: lists, filters, objects and history.

    The model (and its historical model) carries ``project_id``.
    """

    read_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(project_id__in=managed_project_ids(request.user))

    def in_scope(self, request, obj) -> bool:
        """True for no object (list-level checks) or an object (or history row) of a managed project."""
        return obj is None or manages_project(request.user, obj.project_id)

    def has_module_permission(self, request):
        return is_manager_somewhere(request.user)

    def has_view_permission(self, request, obj=None):
        return is_manager_somewhere(request.user) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.read_only and is_manager_somewhere(request.user) and self.in_scope(request, obj)

    def save_model(self, request, obj, form, change):
        if not self.in_scope(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def _history_in_scope(self, request, object_id, version_id=None):
        """The current object (None once deleted) and the version asked for (else the latest);
        Http404 unless both belong to managed projects, so a version from a managed project
        cannot pull back an object that now lives elsewhere."""
        history_model = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        pk_name = self.model._meta.pk.attname
        try:
            current = self.model._default_manager.filter(pk=object_id).first()
            versions = history_model.objects.filter(**{pk_name: object_id})
            if version_id is not None:
                versions = versions.filter(history_id=version_id)
            version = versions.order_by("-history_date", "-history_id").first()
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None
        if version is None and (version_id is not None or current is None):
            raise Http404
        if not all(self.in_scope(request, item) for item in (current, version) if item is not None):
            raise Http404
        return current, version

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            self._history_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current, version = self._history_in_scope(request, object_id, version_id)
        # simple-history saves a POSTed revert after checking only the view permission:
        # read-only pages (work that changes only through the review services) refuse it here.
        if request.method == "POST" and not self.has_change_permission(request, current or version.instance):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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
