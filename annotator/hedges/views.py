"""The hedge rule page (HTML): each rule's accepted and rejected suggestions for reviewers,
and the per-project on/off switch for managers. Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotator.access import access_page, access_project
from annotator.core.errors import ApplicationError
from annotator.hedges.runs import hedge_job_start
from annotator.hedges.selectors import hedge_rule_stats
from annotator.hedges.services import hedge_rule_set
from annotator.projects.models import Role
from annotator.projects.selectors import role_at_least


@access_page
def rules(request, project_id: int):
    project, role = access_project(request.user, project_id, minimum=Role.REVIEWER)
    return render(
        request,
        "hedges/rules.html",
        {
            "project": project,
            "rows": hedge_rule_stats(project_id=project.pk),
            "is_manager": role_at_least(role, Role.MANAGER),
        },
    )


@access_page
@require_POST
def rule_switch(request, project_id: int):
    project, _ = access_project(request.user, project_id, minimum=Role.MANAGER)
    rule = request.POST.get("rule", "")
    enabled = request.POST.get("enabled") == "true"
    try:
        hedge_rule_set(project=project, rule=rule, enabled=enabled, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Rule {rule} is {'on' if enabled else 'off'} in this project.")
    return redirect(reverse("hedges:rules", args=[project.pk]))


@access_page
@require_POST
def run(request, project_id: int):
    """Suggest hedges in every document of the project, as a job (progress on the jobs API); managers."""
    project, _ = access_project(request.user, project_id, minimum=Role.MANAGER)
    job = hedge_job_start(project=project, user=request.user)
    job.refresh_from_db()
    messages.success(
        request, f"Suggestion job {job.pk} queued ({job.get_state_display().lower()}, {job.progress}% done)."
    )
    return redirect(reverse("hedges:rules", args=[project.pk]))
