"""Back office for projects, memberships and labels (managers see their own projects)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.projects.admin_scoping import (
    ManagedProjectsMixin,
    is_manager_somewhere,
    managed_project_ids,
    manages_project,
)
from annotator.projects.models import Label, LabelSubtype, Membership, Project


def _manages_parent(request, obj) -> bool:
    """The parent page's object (a project, or a label of one) is in a managed project."""
    if obj is None:
        return is_manager_somewhere(request.user)
    return manages_project(request.user, obj.pk if isinstance(obj, Project) else obj.project_id)


class ManagerInline(admin.TabularInline):
    """Inlines follow the parent page's rule (managers of its project), not Django's model permissions."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return _manages_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return _manages_parent(request, obj)

    def has_add_permission(self, request, obj=None):
        return _manages_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate or retire instead: work refers to these rows


class MembershipInline(ManagerInline):
    model = Membership
    fields = ("user", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)


class LabelInline(ManagerInline):
    model = Label
    fields = ("code", "name", "kind", "color", "shortcut", "position", "is_active")


class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "score_layer", "created_at")
    search_fields = ("name", "slug", "description")
    date_hierarchy = "created_at"
    inlines = [MembershipInline, LabelInline]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return (
            queryset
            if request.user.is_superuser
            else queryset.filter(pk__in=managed_project_ids(request.user))
        )

    def has_module_permission(self, request):
        return is_manager_somewhere(request.user)

    def has_view_permission(self, request, obj=None):
        return _manages_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return _manages_parent(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    list_display = ("user", "project", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__email", "project__name")
    date_hierarchy = "created_at"
    list_select_related = ("user", "project")

    def has_add_permission(self, request, obj=None):
        return is_manager_somewhere(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project" and not request.user.is_superuser:
            kwargs["queryset"] = Project.objects.filter(pk__in=managed_project_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SubtypeInline(ManagerInline):
    model = LabelSubtype
    fields = ("code", "name", "description", "position", "is_active")


class LabelAdmin(ManagedProjectsMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "project", "kind", "color", "shortcut", "is_active")
    list_filter = ("kind", "is_active", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "description")
    inlines = [SubtypeInline]

    def get_readonly_fields(self, request, obj=None):
        return ("project", "code") if obj else ()  # codes are fixed once annotations use them


admin.site.register(Project, ProjectAdmin)
admin.site.register(Membership, MembershipAdmin)
admin.site.register(Label, LabelAdmin)
