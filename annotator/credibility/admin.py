"""Back office for scores: read-only tables, and on-demand recomputes that create Jobs."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from annotator.credibility.models import SourceScore, SourceScoreSnapshot
from annotator.credibility.scheduling import scores_recompute_request, scores_recompute_request_many
from annotator.projects.admin_scoping import ManagedProjectsMixin, managed_project_ids, run_each
from annotator.projects.models import Project

LIST = ("entity_name", "kind", "project", "layer", "scored_documents", "claims", "evidence", "small_sample",
        "computed_at")  # fmt: skip


class ScoreAdminBase(ManagedProjectsMixin, admin.ModelAdmin):
    read_only = True
    list_display = LIST
    # RelatedOnly: the "By project" filter names only projects with rows in the scoped list.
    list_filter = ("kind", "layer", ("project", admin.RelatedOnlyFieldListFilter))
    search_fields = ("entity_name",)
    list_select_related = ("project",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.action(description="Recompute the projects of the selected rows now (creates a Job each)")
def recompute_projects(modeladmin, request, queryset):
    projects = Project.objects.filter(pk__in=queryset.values("project_id"))
    run_each(
        modeladmin, request, projects, "Queued a recompute for",
        lambda project: scores_recompute_request(user=request.user, project_id=project.pk),
    )  # fmt: skip


@admin.register(SourceScore)
class SourceScoreAdmin(ScoreAdminBase):
    actions = [recompute_projects]
    change_list_template = "admin/credibility/sourcescore/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.recompute_all_view))
        return [
            path("recompute-all/", view, name="credibility_sourcescore_recompute_all"),
            *super().get_urls(),
        ]

    def recompute_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        projects = (
            Project.objects.all()
            if request.user.is_superuser
            else Project.objects.filter(pk__in=managed_project_ids(request.user))
        )
        job = scores_recompute_request_many(
            user=request.user, project_ids=list(projects.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            f"Recompute job {job.pk} queued for {len(job.params['project_ids'])} project(s).",
            messages.SUCCESS,
        )
        return redirect("admin:credibility_sourcescore_changelist")


@admin.register(SourceScoreSnapshot)
class SourceScoreSnapshotAdmin(ScoreAdminBase):
    list_filter = ("kind", "layer", ("project", admin.RelatedOnlyFieldListFilter), "computed_at")
    date_hierarchy = "computed_at"
