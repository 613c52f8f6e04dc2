"""An assignment's review lifecycle (approve, send back, reassign) and a project's
assignments (round-robin in bulk, progress). Reading and creating single assignments
is api/assignments.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project, access_project_row
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.projects.selectors import project_member_get
from annotator.reviews.assigning import assignment_reassign, assignments_bulk_create
from annotator.reviews.models import Assignment
from annotator.reviews.selectors import progress_by_annotator, progress_by_document
from annotator.reviews.services import assignment_approve, assignment_request_changes
from api.assignments import AssignmentSerializer
from api.reviews.base import PROJECT_PK, ReviewResource
from api.reviews.serializers import (
    ERRORS,
    BulkAssignInput,
    BulkAssignOutput,
    ChangesRequestInput,
    ProgressOutput,
    ReasonInput,
    ReassignInput,
    valid,
)


def _assignment(request, pk) -> Assignment:
    return access_project_row(Assignment, request.user, pk, noun="Assignment")


class AssignmentReviewViewSet(ReviewResource):
    """``assignments/{id}/...``: a reviewer's verdict on a submitted layer; a manager's reassignment."""

    @extend_schema(
        request=ReasonInput, responses={200: AssignmentSerializer, **ERRORS}, summary="Approve a layer"
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        assignment = assignment_approve(assignment=_assignment(request, pk), reviewer=request.user)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(
        request=ChangesRequestInput,
        responses={200: AssignmentSerializer, **ERRORS},
        summary="Send a layer back",
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        assignment = _assignment(request, pk)
        data = valid(ChangesRequestInput, request.data)
        result = assignment_request_changes(
            assignment=assignment, reviewer=request.user, reason=data["reason"]
        )
        return Response(AssignmentSerializer(result).data)

    @extend_schema(request=ReassignInput, responses={201: AssignmentSerializer, **ERRORS}, summary="Reassign")
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        assignment = _assignment(request, pk)
        annotator_id = valid(ReassignInput, request.data)["annotator"]
        annotator = project_member_get(
            project_id=assignment.project_id, user_id=annotator_id, field="annotator"
        )
        new = assignment_reassign(assignment=assignment, annotator=annotator, manager=request.user)
        return Response(AssignmentSerializer(new).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[PROJECT_PK])
class ProjectAssignmentsViewSet(ReviewResource):
    """``projects/{id}/assignments/bulk/``: round-robin assignment (managers)."""

    @extend_schema(
        request=BulkAssignInput, responses={201: BulkAssignOutput, **ERRORS}, summary="Round-robin"
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request, project_pk=None):
        project, _ = access_project(request.user, project_pk, minimum=Role.MANAGER)
        data = valid(BulkAssignInput, request.data)
        annotators = [
            project_member_get(project_id=project.pk, user_id=pk, field="annotators")
            for pk in data["annotators"]
        ]
        documents = None
        if "documents" in data:
            documents = list(Document.objects.filter(pk__in=data["documents"], project=project))
            missing = sorted(set(data["documents"]) - {d.pk for d in documents})
            if missing:
                raise ApplicationError.field("documents", f"Documents {missing} are not in this project.")
        result = assignments_bulk_create(
            project=project,
            manager=request.user,
            annotators=annotators,
            overlap=data["overlap"],
            documents=documents,
        )
        return Response(result, status=status.HTTP_201_CREATED)


# An APIView, not a viewset: it answers one object, which a viewset's list would document as rows.
class ProjectProgressView(APIView):
    """``projects/{id}/progress/``: how far each annotator and each document is (managers)."""

    @extend_schema(
        responses={200: ProgressOutput, **ERRORS}, summary="Progress per annotator and per document"
    )
    def get(self, request, project_pk):
        project, _ = access_project(request.user, project_pk, minimum=Role.MANAGER)
        return Response(
            {
                "annotators": progress_by_annotator(project=project),
                "documents": progress_by_document(project=project),
            }
        )
