"""Assignments: who works on which document. Reading and creating here; the review
lifecycle (approve, request changes, reassign) belongs to the review endpoints."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from annotator.access import REVIEW_ROLES, access_document, member_project_ids
from annotator.core.errors import NotFound
from annotator.projects.models import Role
from annotator.projects.selectors import project_member_get
from annotator.reviews.assigning import assignment_create
from annotator.reviews.models import Assignment, AssignmentState
from api.filters import AssignmentFilter
from api.representations import ErrorSerializer, id_field, parse_id


class AssignmentSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    annotator = serializers.IntegerField(source="annotator_id", read_only=True)
    state = serializers.ChoiceField(choices=AssignmentState.choices, read_only=True)

    class Meta:
        model = Assignment
        fields = (
            "id", "project", "document", "annotator", "state", "reason", "version",
            "submitted_at", "reviewed_at", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields


class AssignmentCreateInput(serializers.Serializer):
    document = id_field()
    annotator = id_field()


def assignments_visible(*, user):
    """Every assignment of projects you review or manage; your own elsewhere."""
    if user.is_superuser:
        return Assignment.objects.all()
    return Assignment.objects.filter(
        Q(project_id__in=member_project_ids(user=user, roles=REVIEW_ROLES))
        | Q(project_id__in=member_project_ids(user=user), annotator=user)
    )


@extend_schema_view(
    list=extend_schema(summary="Assignments (yours; every one for reviewers and managers)"),
    retrieve=extend_schema(summary="One assignment"),
)
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    ordering_fields = ("id", "created_at", "updated_at")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()

    def get_queryset(self):
        return assignments_visible(user=self.request.user)

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        assignment = self.get_queryset().filter(pk=pk).first() if pk else None
        if assignment is None:
            raise NotFound("Assignment not found.")
        return assignment

    @extend_schema(
        request=AssignmentCreateInput,
        responses={
            201: AssignmentSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Assign a document to an annotator (managers)",
    )
    def create(self, request):
        payload = AssignmentCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        document, _ = access_document(user=request.user, document_id=data["document"], minimum=Role.MANAGER)
        annotator = project_member_get(
            project_id=document.project_id, user_id=data["annotator"], field="annotator"
        )
        assignment = assignment_create(document=document, annotator=annotator, manager=request.user)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
