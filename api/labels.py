"""Labels and their subtypes. Managers add and edit them; codes never change."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from annotator.access import access_project, in_member_projects
from annotator.core.errors import NotFound
from annotator.projects.models import Label, LabelKind, LabelSubtype, Role
from annotator.projects.services import label_create, label_update, subtype_create, subtype_update
from api.filters import IdFilter
from api.representations import ErrorSerializer, id_field, parse_id

COLOR = r"^#[0-9a-fA-F]{6}$"


class LabelSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)

    class Meta:
        model = Label
        fields = (
            "id",
            "project",
            "code",
            "name",
            "kind",
            "description",
            "color",
            "shortcut",
            "position",
            "is_active",
        )
        read_only_fields = fields


class LabelCreateInput(serializers.Serializer):
    project = id_field()
    code = serializers.RegexField(
        r"^[A-Z][A-Z0-9_]*$", max_length=40, help_text="Upper case, fixed once created"
    )
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=LabelKind.choices, default=LabelKind.OTHER)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    color = serializers.RegexField(COLOR, required=False, default="#777777")
    shortcut = serializers.CharField(required=False, allow_blank=True, default="", max_length=1)
    position = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32767)


class LabelUpdateInput(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=40, help_text="Must equal the current code")
    name = serializers.CharField(required=False, max_length=80)
    kind = serializers.ChoiceField(choices=LabelKind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    color = serializers.RegexField(COLOR, required=False)
    shortcut = serializers.CharField(required=False, allow_blank=True, max_length=1)
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False)


class LabelFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    kind = django_filters.ChoiceFilter(choices=LabelKind.choices)
    code = django_filters.CharFilter()
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Label
        fields = []


def _managed(queryset, *, user, pk, project_field="project_id", what="Label"):
    pk = parse_id(pk)
    item = in_member_projects(queryset, user=user, field=project_field).filter(pk=pk).first() if pk else None
    if item is None:
        raise NotFound(f"{what} not found.")
    project_id = item.project_id if hasattr(item, "project_id") else item.label.project_id
    access_project(user=user, project_id=project_id, minimum=Role.MANAGER)
    return item


def _readable(queryset, *, user, pk, project_field="project_id", what="Label"):
    pk = parse_id(pk)
    item = in_member_projects(queryset, user=user, field=project_field).filter(pk=pk).first() if pk else None
    if item is None:
        raise NotFound(f"{what} not found.")
    return item


@extend_schema_view(
    list=extend_schema(summary="Labels of your projects"), retrieve=extend_schema(summary="One label")
)
class LabelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = LabelSerializer
    filterset_class = LabelFilter
    queryset = Label.objects.none()

    def get_queryset(self):
        return in_member_projects(Label.objects.all(), user=self.request.user)

    def get_object(self):
        return _readable(Label.objects.all(), user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=LabelCreateInput, responses={201: LabelSerializer, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def create(self, request):
        payload = LabelCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        project, _ = access_project(user=request.user, project_id=data.pop("project"), minimum=Role.MANAGER)
        label = label_create(project=project, **data)
        return Response(LabelSerializer(label).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=LabelUpdateInput, responses={200: LabelSerializer, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def partial_update(self, request, pk=None):
        label = _managed(Label.objects.all(), user=request.user, pk=pk)
        payload = LabelUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(LabelSerializer(label_update(label=label, **payload.validated_data)).data)


class SubtypeSerializer(serializers.ModelSerializer):
    label = serializers.IntegerField(source="label_id", read_only=True)

    class Meta:
        model = LabelSubtype
        fields = ("id", "label", "code", "name", "description", "position", "is_active")
        read_only_fields = fields


class SubtypeCreateInput(serializers.Serializer):
    label = id_field()
    code = serializers.RegexField(
        r"^[a-z][a-z0-9_]*$", max_length=40, help_text="Lower case, fixed once created"
    )
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    position = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32767)


class SubtypeUpdateInput(serializers.Serializer):
    code = serializers.CharField(required=False, max_length=40, help_text="Must equal the current code")
    name = serializers.CharField(required=False, max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False)


class SubtypeFilter(django_filters.FilterSet):
    label = IdFilter(field_name="label_id")
    project = IdFilter(field_name="label__project_id")

    class Meta:
        model = LabelSubtype
        fields = []


@extend_schema_view(list=extend_schema(summary="Subtypes of your projects' labels"))
class SubtypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SubtypeSerializer
    filterset_class = SubtypeFilter
    queryset = LabelSubtype.objects.none()

    def get_queryset(self):
        return in_member_projects(
            LabelSubtype.objects.all(), user=self.request.user, field="label__project_id"
        )

    def get_object(self):
        return _readable(LabelSubtype.objects.all(), user=self.request.user, pk=self.kwargs["pk"],
                         project_field="label__project_id", what="Subtype")  # fmt: skip

    @extend_schema(request=SubtypeCreateInput, responses={201: SubtypeSerializer, 400: ErrorSerializer})
    def create(self, request):
        payload = SubtypeCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        label = _readable(Label.objects.all(), user=request.user, pk=data.pop("label"))
        access_project(user=request.user, project_id=label.project_id, minimum=Role.MANAGER)
        return Response(
            SubtypeSerializer(subtype_create(label=label, **data)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SubtypeUpdateInput, responses={200: SubtypeSerializer, 400: ErrorSerializer})
    def partial_update(self, request, pk=None):
        subtype = _managed(LabelSubtype.objects.select_related("label"), user=request.user, pk=pk,
                           project_field="label__project_id", what="Subtype")  # fmt: skip
        payload = SubtypeUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(SubtypeSerializer(subtype_update(subtype=subtype, **payload.validated_data)).data)
