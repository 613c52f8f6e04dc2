"""Relations between spans (supports, attacks, qualifies) and attributions to speakers."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from annotator.access import (
    access_project,
    access_relation,
    in_member_projects,
    layer_assert_writable,
    layered_visible,
)
from annotator.annotations.models import Annotation, Relation, RelationType
from annotator.annotations.relation_services import (
    relation_create,
    relation_create_checked,
    relation_delete,
    relation_update,
)
from annotator.core.errors import ApplicationError, Conflict, NotFound
from annotator.sources.models import Speaker
from api.annotations import IF_MATCH, VERSION_QUERY
from api.filters import RelationFilter
from api.representations import (
    MAX_OFFSET,
    ConflictSerializer,
    ErrorSerializer,
    FlatInputSerializer,
    RelationSerializer,
    id_field,
    relation_data,
)
from api.versioning import etag, requested_version, with_current


class RelationCreateInput(FlatInputSerializer):
    source = id_field()
    type = serializers.ChoiceField(choices=RelationType.choices)
    target = id_field(required=False, allow_null=True)
    speaker = id_field(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class RelationUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET)
    type = serializers.ChoiceField(choices=RelationType.choices, required=False)
    target = id_field(required=False, allow_null=True)
    speaker = id_field(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)


def span_for_field(*, user, span_id: int | None, field: str) -> Annotation | None:
    """A span named by an input field: 404 naming the field when it does not exist or is in a
    project the caller is not a member of (as for any other object of a project)."""
    if span_id is None:
        return None
    span = in_member_projects(Annotation.objects.all(), user=user).filter(pk=span_id).first()
    if span is None:
        raise NotFound.field(field, f"There is no span {span_id} in your projects.")
    return span


def speaker_for_field(speaker_id: int | None) -> Speaker | None:
    if speaker_id is None:
        return None
    speaker = Speaker.objects.filter(pk=speaker_id).first()
    if speaker is None:
        raise ApplicationError.field("speaker", f"There is no speaker {speaker_id}.")
    return speaker


def relation_create_from_input(*, user, data: dict, source: Annotation | None = None,
                               target: Annotation | None = None) -> Relation:  # fmt: skip
    """Permission checks and id resolution for one relation, then the service.

    Given ids only (a single POST), one statement checks and writes (relation_create_checked);
    when it refuses, the checks below run one by one and the first that fails names the rule.
    """
    if source is None and target is None:
        relation = relation_create_checked(
            user=user, source_id=data["source"], type=data["type"], target_id=data.get("target"),
            speaker_id=data.get("speaker"), note=data.get("note", ""),
        )  # fmt: skip
        if relation is not None:
            return relation
    source = source or span_for_field(user=user, span_id=data["source"], field="source")
    _, role = access_project(user=user, project_id=source.project_id)
    layer_assert_writable(user=user, role=role, annotator_id=source.annotator_id, layer=source.layer)
    if target is None:
        target = span_for_field(user=user, span_id=data.get("target"), field="target")
    return relation_create(
        source=source,
        type=data["type"],
        target=target,
        speaker=speaker_for_field(data.get("speaker")),
        note=data.get("note", ""),
    )


def _conflict_with_current(conflict: Conflict, pk: int) -> Conflict:
    """The 409 with what is stored now (the service's snapshot if it was deleted since)."""
    stored = Relation.objects.filter(pk=pk).first()
    return with_current(conflict, relation_data(stored)) if stored is not None else conflict


def _respond(relation: Relation, code=status.HTTP_200_OK) -> Response:
    return Response(relation_data(relation), status=code, headers={"ETag": etag(relation.version)})


@extend_schema_view(
    list=extend_schema(summary="Relations visible to you"),
    retrieve=extend_schema(summary="One relation", responses={200: RelationSerializer, 403: ErrorSerializer}),
)
class RelationViewSet(viewsets.GenericViewSet):
    parser_classes = [JSONParser]  # target and speaker may be null, which forms cannot say
    ordering_fields = ("id", "created_at", "updated_at")
    serializer_class = RelationSerializer
    filterset_class = RelationFilter
    queryset = Relation.objects.none()

    def get_queryset(self):
        return layered_visible(Relation.objects.all(), user=self.request.user)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset()).values(*RelationSerializer().fields)
        return self.get_paginated_response(self.paginate_queryset(queryset))

    def retrieve(self, request, pk=None):
        return _respond(access_relation(user=request.user, relation_id=pk))

    @extend_schema(
        request=RelationCreateInput,
        responses={201: RelationSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Link two spans of one layer, or attribute a span to a speaker",
    )
    def create(self, request):
        payload = RelationCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        relation = relation_create_from_input(user=request.user, data=payload.validated_data)
        return _respond(relation, status.HTTP_201_CREATED)

    @extend_schema(
        request=RelationUpdateInput,
        parameters=[IF_MATCH],
        responses={
            200: RelationSerializer,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ConflictSerializer,
        },
        summary="Change a relation; send the version you edited (body or If-Match)",
    )
    def partial_update(self, request, pk=None):
        relation = access_relation(user=request.user, relation_id=pk, write=True)
        payload = RelationUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = requested_version(request, data.pop("version", None))
        if "target" in data:
            data["target"] = span_for_field(user=request.user, span_id=data["target"], field="target")
        if "speaker" in data:
            data["speaker"] = speaker_for_field(data["speaker"])
        try:
            relation = relation_update(relation=relation, version=version, **data)
        except Conflict as conflict:
            raise _conflict_with_current(conflict, relation.pk) from None
        return _respond(relation)

    @extend_schema(
        parameters=[VERSION_QUERY, IF_MATCH],
        responses={204: None, 400: ErrorSerializer, 409: ConflictSerializer},
        summary="Delete a relation; send the version (?version=N or If-Match)",
    )
    def destroy(self, request, pk=None):
        relation = access_relation(user=request.user, relation_id=pk, write=True)
        version = requested_version(request)
        try:
            relation_delete(relation=relation, version=version)
        except Conflict as conflict:
            raise _conflict_with_current(conflict, relation.pk) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
