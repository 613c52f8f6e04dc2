"""Projects and their members."""

from __future__ import annotations

import django_filters
from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from annotator.access import access_project, in_member_projects
from annotator.core.errors import NotFound
from annotator.interchange.exports import export_job_start, export_selection_for
from annotator.projects.models import Invitation, Membership, Project, Role
from annotator.projects.selectors import invitations_pending, projects_for_user
from annotator.projects.services import (
    invitation_respond,
    membership_deactivate,
    membership_request,
    membership_set,
    project_create,
    project_delete,
    project_update,
)
from api.exports import (
    EXPORT_PARAMETERS,
    EXPORT_RESPONSES,
    ExportJobInput,
    IgnoreFormatParameter,
    export_response,
)
from api.filters import IdFilter
from api.imports import ImportInput, import_request
from api.jobs import JobSerializer, job_response
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


class ProjectUpdateInput(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ProjectCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


@extend_schema_view(
    list=extend_schema(summary="Projects you are a member of"),
    retrieve=extend_schema(summary="One project (404 unless you are a member)"),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    ordering_fields = ("id", "name", "created_at")
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
        _, role = access_project(user=self.request.user, project_id=pk)
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
                                         annotator_id=data.get("annotator"), bom=data["bom"])  # fmt: skip
        job = export_job_start(user=request.user, selection=selection, format=data["format"],
                               base_url=request.build_absolute_uri("/").rstrip("/"))  # fmt: skip
        return job_response(job, request)

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={201: JobSerializer, 202: JobSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                   404: ErrorSerializer, 413: ErrorSerializer, 415: ErrorSerializer},
        summary="Import documents (.txt, JSONL, doccano JSONL, native JSON): 201 with the finished job "
        "when it ran inside the request (an upload under ASSAY_IMPORT_INLINE_BYTES, or no broker), "
        "else 202 with the queued job (managers)",
    )  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def imports(self, request, pk=None):
        # One access check (404 for non-members, 403 below manager): 2 queries, not get_object's 5.
        project, _ = access_project(user=request.user, project_id=pk, minimum=Role.MANAGER)
        job = import_request(request, project=project)
        # Finished inside the request (a small upload, or no broker): 201 with the finished job.
        return job_response(job, request, finished_status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProjectUpdateInput,
        responses={200: ProjectSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Rename or redescribe a project (managers)",
    )
    def partial_update(self, request, pk=None):
        project = self.get_object()
        access_project(user=request.user, project_id=project.pk, minimum=Role.MANAGER)
        payload = ProjectUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        role = project.role
        project = project_update(project=project, **payload.validated_data)
        project.role = role
        return Response(ProjectSerializer(project).data)

    @extend_schema(
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Delete a project with its documents, spans and relations (managers)",
    )
    def destroy(self, request, pk=None):
        project = self.get_object()
        access_project(user=request.user, project_id=project.pk, minimum=Role.MANAGER)
        project_delete(project=project)
        return Response(status=status.HTTP_204_NO_CONTENT)

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


class InvitationSentSerializer(serializers.Serializer):
    message = serializers.CharField()
    invited = serializers.BooleanField()


class InvitationSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ("id", "project", "project_name", "role", "invited_by", "created_at")
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Your pending invitations to join projects"))
class InvitationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()

    def get_queryset(self):
        return invitations_pending(user=self.request.user)

    def _respond(self, request, pk, accept: bool):
        number = parse_id(pk)
        if number is None:
            raise NotFound("Invitation not found.")
        return invitation_respond(user=request.user, invitation_id=number, accept=accept)

    @extend_schema(request=None, responses={200: MembershipSerializer, 404: ErrorSerializer},
                   summary="Accept: join the project with the invited role")  # fmt: skip
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        membership = self._respond(request, pk, accept=True)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=None, responses={204: None, 404: ErrorSerializer}, summary="Decline")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        self._respond(request, pk, accept=False)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
    access_project(user=user, project_id=membership.project_id, minimum=Role.MANAGER)
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
            202: InvitationSentSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Add a member or change their role (managers; non-staff managers invite)",
        description=(
            "Staff managers add the account at once (201). Other managers: someone already in the "
            "project gets the role (201); anyone else is invited and joins on accepting (202, the "
            "same answer whether or not such an account exists)."
        ),
    )
    def create(self, request):
        payload = MembershipCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project, _ = access_project(user=request.user, project_id=data["project"], minimum=Role.MANAGER)
        membership = membership_request(
            project=project, requested_by=request.user, role=data["role"], user_id=data.get("user"),
            username=data.get("username"),
        )  # fmt: skip
        if membership is not None:
            return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
        who = f"named {data['username']!r}" if "username" in data else f"with id {data['user']}"
        message = (
            f"If an account {who} exists, it has been invited to join as {data['role']}; "
            "it becomes a member once it accepts."
        )
        return Response({"message": message, "invited": True}, status=status.HTTP_202_ACCEPTED)

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
