"""HTML pages: project list, a project's documents, and the workspace shell.

The pages render server-side from selectors; the workspace itself loads its
data from the REST API (static/annotator/js/workspace.js).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from annotator.core.errors import NotFound, PermissionDenied
from annotator.jobs.selectors import project_jobs_recent
from annotator.projects.models import Role
from annotator.projects.selectors import project_access, role_at_least
from annotator.reviews.models import AssignmentState
from annotator.reviews.selectors import reviewer_landing
from annotator.workspace import selectors

PAGE_SIZE = 50


def _access(fn, **kwargs):
    """Run a permission-checked selector; NotFound becomes a plain 404 page."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404("Not found.") from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from None


@login_required
def project_list(request):
    projects = selectors.project_list_for_user(user=request.user)
    return render(request, "workspace/project_list.html", {"projects": projects})


@login_required
def project_detail(request, project_id: int):
    project, role = _access(project_access, user=request.user, project_id=project_id)
    filters = selectors.DocumentFilters.from_query(request.GET)
    documents = selectors.project_documents(project=project, user=request.user, filters=filters)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = selectors.document_progress(
        document_ids=[d.pk for d in page.object_list], user=request.user, role=role
    )
    rows = [
        {
            "document": d,
            "progress": progress.get(d.pk, []),
            "my_state_label": AssignmentState(d.my_state).label if d.my_state else "",
        }
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/project_detail.html",
        {
            "project": project,
            "role": role,
            "is_reviewer": role_at_least(role, Role.REVIEWER),
            "rows": rows,
            "page": page,
            "filters": filters,
            "states": AssignmentState.choices,
            "outlets": selectors.project_outlets(project=project),
            "query": query.urlencode(),
            "is_manager": role == Role.MANAGER,
            "jobs": project_jobs_recent(project=project, user=request.user, role=role),
        },
    )


@login_required
@ensure_csrf_cookie
def document_workspace(request, document_id: int):
    document, project, role = _access(selectors.document_for_user, user=request.user, document_id=document_id)
    if role_at_least(role, Role.REVIEWER) and not request.GET:
        # Reviewers and managers judge work: never open an empty layer of their own
        # unless they pick "My layer" (which names it in the query).
        landing = reviewer_landing(document=document, user=request.user)
        if landing == "review":
            return redirect("reviews:document", pk=document.pk)
        if landing == "gold":
            return redirect(f"{reverse('workspace:document', args=[document.pk])}?layer=gold")
    return render(
        request,
        "workspace/document.html",
        {
            "document": document,
            "project": project,
            "role": role,
            "is_reviewer": role_at_least(role, Role.REVIEWER),
        },
    )
