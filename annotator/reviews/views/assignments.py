"""Managers' assignment page and its actions: assign, reassign, approve, request changes."""

from __future__ import annotations

from django.shortcuts import render

from annotator.access import access_page, access_project, access_project_row
from annotator.core.errors import NotFound
from annotator.documents.models import Document
from annotator.projects.models import Membership, Role
from annotator.reviews.assigning import (
    assignment_create,
    assignment_reassign,
    assignments_bulk_create,
    user_by_id,
)
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.selectors import (
    agreement_rows,
    progress_by_annotator,
    progress_by_document,
)
from annotator.reviews.services import assignment_approve, assignment_request_changes
from annotator.reviews.views.params import int_param
from annotator.reviews.views.post_actions import action


@access_page
def assignments(request, project_id):
    project, _ = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
    overall = agreement_rows(project=project).filter(label__isnull=True).first()
    context = {
        "project": project,
        "agreement": overall,
        "by_annotator": progress_by_annotator(project=project),
        "by_document": progress_by_document(project=project),
        # Only annotators are offered: reviewers and managers judge the work, they are not assigned it.
        "annotators": Membership.objects.filter(project=project, is_active=True, role=Role.ANNOTATOR)
        .select_related("user")
        .order_by("user__username"),
        "documents": Document.objects.filter(project=project).order_by("title", "pk"),
        "assignments": Assignment.objects.filter(project=project)
        .select_related("document", "annotator")
        .order_by("document__title", "document_id", "annotator__username"),
        "states": AssignmentState.choices,
    }
    return render(request, "reviews/assignments.html", context)


@action
def assign(request, project_id):
    project, _ = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
    if request.POST.get("mode") == "bulk":
        annotators = [user_by_id(pk, field="annotators") for pk in request.POST.getlist("annotators")]
        result = assignments_bulk_create(
            project=project,
            manager=request.user,
            annotators=annotators,
            overlap=int_param(request.POST.get("overlap"), "overlap"),
        )
        return f"Assigned {result['created']} (skipped {result['skipped']} existing) over {result['documents']} documents."
    doc = access_project_row(
        Document, request.user, int_param(request.POST.get("document"), "document"), noun="Document"
    )
    if doc.project_id != project.pk:
        raise NotFound("Document not found.")
    annotator = user_by_id(request.POST.get("annotator"))
    assignment_create(document=doc, annotator=annotator, manager=request.user)
    return f"Assigned “{doc.display_title}” to {annotator.username}."


@action
def reassign(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    annotator = user_by_id(request.POST.get("annotator"))
    new = assignment_reassign(assignment=assignment, annotator=annotator, manager=request.user)
    return f"Reassigned “{new.document.display_title}” from {assignment.annotator.username} to {annotator.username}."


@action
def approve(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    assignment_approve(assignment=assignment, reviewer=request.user)
    return f"Approved {assignment.annotator.username}'s layer."


@action
def request_changes(request, pk):
    assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
    assignment_request_changes(
        assignment=assignment, reviewer=request.user, reason=request.POST.get("reason", "")
    )
    return f"Sent {assignment.annotator.username}'s layer back with your reason."
