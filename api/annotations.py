"""Spans: list, read, create, change and delete with optimistic concurrency."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from annotator.access import (
    access_annotation,
    access_document_with_label,
    layer_assert_writable,
    layered_visible,
)
from annotator.annotations.models import Annotation, Layer
from annotator.annotations.services import annotation_create, annotation_delete, annotation_update
from annotator.core.errors import ApplicationError, Conflict
from annotator.projects.models import Label, LabelSubtype
from annotator.projects.selectors import project_subtype_get
from api.filters import AnnotationFilter
from api.representations import (
    MAX_OFFSET,
    AnnotationSerializer,
    ConflictSerializer,
    ErrorSerializer,
    FlatInputSerializer,
    annotation_data,
    id_field,
)
from api.versioning import (
    IF_NONE_MATCH,
    NOT_MODIFIED,
    conditional_response,
    etag,
    requested_version,
    with_current,
)

_OFFSET = {"max_value": MAX_OFFSET, "min_value": -MAX_OFFSET}
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description='The version edited, as "3"'
)
VERSION_QUERY = OpenApiParameter("version", OpenApiTypes.INT, description="The version being deleted")


class AnnotationCreateInput(FlatInputSerializer):
    """A new span: offsets are Unicode code points of the document's text, end exclusive."""

    document = id_field()
    start = serializers.IntegerField(**_OFFSET)
    end = serializers.IntegerField(**_OFFSET)
    label = id_field()
    subtype = id_field(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    layer = serializers.ChoiceField(choices=Layer.choices, default=Layer.ANNOTATOR)


class AnnotationUpdateInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET)
    start = serializers.IntegerField(required=False, **_OFFSET)
    end = serializers.IntegerField(required=False, **_OFFSET)
    label = id_field(required=False)
    subtype = id_field(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


def _label_missing(label_id: int) -> ApplicationError:
    return ApplicationError.field("label", f"Label {label_id} is not a label of this document's project.")


def label_resolve(*, project_id: int, label_id: int) -> Label:
    # Parameterised raw read: half the Python cost of the ORM query (span edits change labels).
    found = list(
        Label.objects.raw(
            "SELECT * FROM projects_label WHERE id = %s AND project_id = %s", [label_id, project_id]
        )
    )
    if not found:
        raise _label_missing(label_id)
    return found[0]


def subtype_resolve(*, label: Label, subtype_id: int | None) -> LabelSubtype | None:
    return project_subtype_get(project_id=label.project_id, subtype_id=subtype_id)


def annotation_create_from_input(*, user, data: dict) -> Annotation:
    """Permission checks and id resolution for one span, then the service."""
    document, role, label = access_document_with_label(
        user=user, document_id=data["document"], label_id=data["label"]
    )
    layer_assert_writable(user=user, role=role, annotator_id=user.pk, layer=data["layer"])
    if label is None:
        raise _label_missing(data["label"])
    return annotation_create(
        document=document,
        annotator=user,
        start=data["start"],
        end=data["end"],
        label=label,
        subtype=subtype_resolve(label=label, subtype_id=data.get("subtype")),
        quote=data.get("quote"),
        note=data.get("note", ""),
        layer=data["layer"],
    )


def _conflict_with_current(conflict: Conflict, pk: int) -> Conflict:
    """The 409 with what is stored now (the service's snapshot if it was deleted since)."""
    stored = Annotation.objects.filter(pk=pk).first()
    return with_current(conflict, annotation_data(stored)) if stored is not None else conflict


def _respond(annotation: Annotation, code=status.HTTP_200_OK) -> Response:
    return Response(annotation_data(annotation), status=code, headers={"ETag": etag(annotation.version)})


@extend_schema_view(
    list=extend_schema(summary="Spans visible to you (your own layer; every layer for reviewers)"),
    retrieve=extend_schema(
        summary="One span (If-None-Match: its ETag gives a 304)",
        parameters=[IF_NONE_MATCH],
        responses={200: AnnotationSerializer, 304: NOT_MODIFIED, 403: ErrorSerializer, 404: ErrorSerializer},
    ),
)
class AnnotationViewSet(viewsets.GenericViewSet):
    ordering_fields = ("id", "start", "end", "created_at", "updated_at")
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    queryset = Annotation.objects.none()

    def get_queryset(self):
        return layered_visible(Annotation.objects.all(), user=self.request.user)

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset()).values(*AnnotationSerializer().fields)
        return self.get_paginated_response(self.paginate_queryset(queryset))

    def retrieve(self, request, pk=None):
        annotation = access_annotation(user=request.user, annotation_id=pk)
        return conditional_response(request, annotation_data(annotation), etag(annotation.version))

    @extend_schema(
        request=AnnotationCreateInput,
        responses={
            201: AnnotationSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Create a span in your layer (or the gold layer, for reviewers)",
    )
    def create(self, request):
        payload = AnnotationCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        annotation = annotation_create_from_input(user=request.user, data=payload.validated_data)
        return _respond(annotation, status.HTTP_201_CREATED)

    @extend_schema(
        request=AnnotationUpdateInput,
        parameters=[IF_MATCH],
        responses={200: AnnotationSerializer, 400: ErrorSerializer, 409: ConflictSerializer},
        summary="Change a span; send the version you edited (body or If-Match)",
    )
    def partial_update(self, request, pk=None):
        annotation = access_annotation(user=request.user, annotation_id=pk, write=True)
        payload = AnnotationUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = requested_version(request, data.pop("version", None))
        if "label" in data:
            data["label"] = label_resolve(project_id=annotation.project_id, label_id=data["label"])
        if "subtype" in data:
            owner = data.get("label") or annotation.label
            data["subtype"] = subtype_resolve(label=owner, subtype_id=data["subtype"])
        try:
            annotation = annotation_update(annotation=annotation, version=version, **data)
        except Conflict as conflict:
            raise _conflict_with_current(conflict, annotation.pk) from None
        return _respond(annotation)

    @extend_schema(
        parameters=[VERSION_QUERY, IF_MATCH],
        responses={204: None, 400: ErrorSerializer, 409: ConflictSerializer},
        summary="Delete a span; send the version (?version=N or If-Match)",
    )
    def destroy(self, request, pk=None):
        annotation = access_annotation(user=request.user, annotation_id=pk, write=True)
        version = requested_version(request)
        try:
            annotation_delete(annotation=annotation, version=version)
        except Conflict as conflict:
            raise _conflict_with_current(conflict, annotation.pk) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
