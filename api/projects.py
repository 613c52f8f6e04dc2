"""Projects and their members."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from annotator.core.errors import ApplicationError, NotFound
from annotator.interchange.exports import export_job_start, export_selection_for
from annotator.interchange.services import membership_deactivate
from annotator.projects.models import Membership, Project, Role
from annotator.projects.selectors import project_access, projects_for_user
from annotator.projects.services import membership_set, project_create
from api.access import in_member_projects
from api.exports import (
    EXPORT_PARAMETERS,
    EXPORT_RESPONSES,
    ExportJobInput,
    IgnoreFormatParameter,
    export_response,
)
from api.filters import IdFilter
from api.imports import ImportInput, import_request
from api.jobs import JobSerializer
from api.representations import ErrorSerializer, id_field, parse_id


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, allow_null=True, help_text="Your role in the project")

    class Meta:
        model = Project
        fields = (
            "id", "name", "slug", "description", "score_layer", "score_min_documents", "score_min_claims", "role",
            "created_at",
        )  # fmt: skip
        read_only_fields = fields


class ProjectCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


@extend_schema_view(
    list=extend_schema(summary="Projects you are a member of"),
    retrieve=extend_schema(summary="One project (404 unless you are a member)"),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    queryset = Project.objects.none()

    def get_queryset(self):
        user = self.request.user
        mine = Membership.objects.filter(project=OuterRef("pk"), user=user, is_active=True).values("role")[:1]
        queryset = projects_for_user(user=user).annotate(role=Subquery(mine))
        return queryset.order_by("id")

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        if pk is None:
            raise NotFound("Project not found.")
        _, role = project_access(user=self.request.user, project_id=pk)
        project = Project.objects.get(pk=pk)
        project.role = role
        return project

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={**EXPORT_RESPONSES, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Stream the project's argument maps in one format",
        methods=["GET"],
    )
    @extend_schema(
        request=ExportJobInput,
        responses={202: JobSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Start an export job writing a downloadable file",
        methods=["POST"],
    )
    @action(detail=True, methods=["get", "post"], content_negotiation_class=IgnoreFormatParameter)
    def export(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            return export_response(request, project_id=project.pk)
        payload = ExportJobInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        selection = export_selection_for(user=request.user, project_id=project.pk, status=data["status"],
                                         annotator_id=data.get("annotator"))  # fmt: skip
        job = export_job_start(user=request.user, selection=selection, format=data["format"],
                               base_url=request.build_absolute_uri("/").rstrip("/"))  # fmt: skip
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={202: JobSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                   413: ErrorSerializer, 415: ErrorSerializer},
        summary="Import documents (.txt, JSONL, doccano JSONL, native JSON) as a job (managers)",
    )  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def imports(self, request, pk=None):
        project = self.get_object()
        project_access(user=request.user, project_id=project.pk, minimum=Role.MANAGER)
        job = import_request(request, project=project)
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=ProjectCreateInput, responses={201: ProjectSerializer, 400: ErrorSerializer})
    def create(self, request):
        payload = ProjectCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        project = project_create(**payload.validated_data, created_by=request.user)
        project.role = Role.MANAGER
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class MembershipSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "project", "user", "username", "role", "is_active", "created_at")
        read_only_fields = fields


class MembershipCreateInput(serializers.Serializer):
    project = id_field()
    user = id_field(required=False, help_text="The user's id")
    username = serializers.CharField(required=False, max_length=150, help_text="Or the user's username")
    role = serializers.ChoiceField(choices=Role.choices)

    def validate(self, attrs):
        if ("user" in attrs) == ("username" in attrs):
            raise serializers.ValidationError({"user": ["Give exactly one of user (an id) or username."]})
        return attrs


class MembershipUpdateInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class MembershipFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    user = IdFilter(field_name="user_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Membership
        fields = []


def _membership_for_manager(*, user, pk) -> Membership:
    pk = parse_id(pk)
    membership = (
        in_member_projects(Membership.objects.select_related("user"), user=user).filter(pk=pk).first()
    )
    if pk is None or membership is None:
        raise NotFound("Membership not found.")
    project_access(user=user, project_id=membership.project_id, minimum=Role.MANAGER)
    return membership


@extend_schema_view(list=extend_schema(summary="Members of your projects (filter with ?project=)"))
class MembershipViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    queryset = Membership.objects.none()

    def get_queryset(self):
        return in_member_projects(Membership.objects.select_related("user"), user=self.request.user)

    @extend_schema(
        request=MembershipCreateInput,
        responses={
            201: MembershipSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Add a member or change their role (managers)",
    )
    def create(self, request):
        payload = MembershipCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project, _ = project_access(user=request.user, project_id=data["project"], minimum=Role.MANAGER)
        lookup = {"pk": data["user"]} if "user" in data else {"username": data["username"]}
        user = get_user_model().objects.filter(**lookup).first()
        if user is None:
            field = "user" if "user" in data else "username"
            raise ApplicationError.field(field, f"There is no user {next(iter(lookup.values()))!r}.")
        membership = membership_set(project=project, user=user, role=data["role"])
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MembershipUpdateInput,
        responses={200: MembershipSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Change a member's role or (de)activate them (managers)",
    )
    def partial_update(self, request, pk=None):
        membership = _membership_for_manager(user=request.user, pk=pk)
        payload = MembershipUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data.get("is_active") is False:
            membership_deactivate(membership=membership)
        elif "role" in data or data.get("is_active"):
            membership = membership_set(project=membership.project, user=membership.user,
                                        role=data.get("role", membership.role))  # fmt: skip
        return Response(MembershipSerializer(membership).data)

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
                   summary="Deactivate a member (their work stays)")  # fmt: skip
    def destroy(self, request, pk=None):
        membership_deactivate(membership=_membership_for_manager(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
