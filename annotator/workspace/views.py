"""HTML pages: project list, a project's documents, and the workspace shell.

The pages render server-side from selectors; the workspace itself loads its
data from the REST API (static/annotator/js/workspace.js).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from annotator.access import access_page, access_project
from annotator.core.errors import ApplicationError
from annotator.documents.services import document_metadata_update
from annotator.jobs.selectors import project_jobs_recent
from annotator.projects.kinds import kinds_data
from annotator.projects.models import Role
from annotator.projects.selectors import invitations_pending, role_at_least
from annotator.projects.services import invitation_respond
from annotator.reviews.models import AssignmentState
from annotator.reviews.selectors import reviewer_landing
from annotator.workspace import selectors

PAGE_SIZE = 50


@access_page
def project_list(request):
    projects = selectors.project_list_for_user(user=request.user)
    invitations = invitations_pending(user=request.user)
    return render(request, "workspace/project_list.html", {"projects": projects, "invitations": invitations})


@access_page
@require_POST
def invitation_answer(request, invitation_id: int, accept: bool):
    """Accept (join the project) or decline one's own invitation; others' are a 404."""
    membership = invitation_respond(user=request.user, invitation_id=invitation_id, accept=accept)
    if membership is None:
        messages.info(request, "Invitation declined.")
        return redirect("workspace:project-list")
    messages.success(request, f"You joined {membership.project.name} as {membership.role}.")
    return redirect("workspace:project-detail", project_id=membership.project_id)


@access_page
def project_detail(request, project_id: int):
    project, role = access_project(user=request.user, project_id=project_id)
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


@access_page
@ensure_csrf_cookie
def document_workspace(request, document_id: int):
    document, project, role = selectors.document_for_user(user=request.user, document_id=document_id)
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
            "label_kinds": kinds_data(),
        },
    )


@access_page
def document_details(request, document_id: int):
    """Managers correct a document's title, outlet, authors, date and address; the page
    lists every earlier version of those details with who changed them."""
    document, project, role = selectors.document_for_user(user=request.user, document_id=document_id)
    if not role_at_least(role, Role.MANAGER):
        raise DjangoPermissionDenied("Only the project's managers edit document details.")
    form = {
        "title": document.title,
        "outlet": document.source.name if document.source else "",
        "authors": "\n".join(a.name for a in document.authors.all()),
        "published_on": document.published_on.isoformat() if document.published_on else "",
        "url": document.url,
    }
    error = None
    if request.method == "POST":
        form = {name: request.POST.get(name, "") for name in form}
        try:
            document_metadata_update(
                document=document,
                editor=request.user,
                title=form["title"],
                outlet=form["outlet"],
                authors=form["authors"].splitlines(),
                published_on=_date(form["published_on"]),
                url=form["url"],
            )
        except ApplicationError as exc:
            error = exc
        else:
            messages.success(request, "Details saved.")
            return redirect("workspace:document-details", document_id=document.pk)
    return render(
        request,
        "workspace/document_details.html",
        {
            "document": document,
            "project": project,
            "form": form,
            "error": error,
            "versions": selectors.document_metadata_history(document=document),
        },
        status=400 if error else 200,
    )


def _date(value: str):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError.field("published_on", "The date must look like 2026-12-31.") from None
