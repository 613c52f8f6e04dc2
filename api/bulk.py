"""Many spans and relations in one request, all or nothing.

Relations may point at spans created by the same request through ``ref``:
give a span ``"ref": "a"`` and a relation ``"source_ref": "a"``.
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from annotator.access import access_annotation
from annotator.annotations.services import annotation_delete, annotation_update
from annotator.core.errors import ApplicationError
from api.annotations import (
    AnnotationCreateInput,
    annotation_create_from_input,
    label_resolve,
    subtype_resolve,
)
from api.relations import RelationCreateInput, relation_create_from_input
from api.representations import (
    AnnotationSerializer,
    ErrorSerializer,
    RelationSerializer,
    annotation_data,
    id_field,
    relation_data,
)

MAX_BULK_ITEMS = 5000


class BulkAnnotationInput(AnnotationCreateInput):
    ref = serializers.CharField(
        required=False, max_length=100, help_text="Your key for this span in this request"
    )


class BulkRelationInput(RelationCreateInput):
    source = id_field(required=False)
    source_ref = serializers.CharField(required=False, max_length=100)
    target_ref = serializers.CharField(required=False, max_length=100)

    def validate(self, attrs):
        if ("source" in attrs) == ("source_ref" in attrs):
            raise serializers.ValidationError(
                {"source": ["Give exactly one of source (a span id) or source_ref."]}
            )
        if attrs.get("target") is not None and "target_ref" in attrs:
            raise serializers.ValidationError({"target": ["Give target or target_ref, not both."]})
        return attrs


class BulkInput(serializers.Serializer):
    annotations = BulkAnnotationInput(many=True, required=False, max_length=MAX_BULK_ITEMS)
    relations = BulkRelationInput(many=True, required=False, max_length=MAX_BULK_ITEMS)


class BulkOutput(serializers.Serializer):
    annotations = AnnotationSerializer(many=True)
    relations = RelationSerializer(many=True)


def _prefixed(exc: ApplicationError, where: str) -> ApplicationError:
    errors = {f"{where}.{field}": messages for field, messages in exc.errors.items()} or {
        where: [exc.message]
    }
    return type(exc)(f"{where}: {exc.message}", errors=errors)


@transaction.atomic
def bulk_create(*, user, annotations: list[dict], relations: list[dict]) -> tuple[list, list]:
    """Create every span, then every relation; the first failure undoes the whole request."""
    created, by_ref = [], {}
    for index, item in enumerate(annotations):
        try:
            annotation = annotation_create_from_input(user=user, data=item)
        except ApplicationError as exc:
            raise _prefixed(exc, f"annotations[{index}]") from None
        created.append(annotation)
        if item.get("ref"):
            by_ref[item["ref"]] = annotation
    linked = []
    for index, item in enumerate(relations):
        where = f"relations[{index}]"
        try:
            source = _by_ref(by_ref, item.get("source_ref"), "source_ref")
            target = _by_ref(by_ref, item.get("target_ref"), "target_ref")
            linked.append(relation_create_from_input(user=user, data=item, source=source, target=target))
        except ApplicationError as exc:
            raise _prefixed(exc, where) from None
    return created, linked


def _by_ref(by_ref: dict, ref: str | None, field: str):
    if ref is None:
        return None
    if ref not in by_ref:
        raise ApplicationError.field(field, f"No span in this request has ref {ref!r}.")
    return by_ref[ref]


class SpanVersion(serializers.Serializer):
    id = id_field()
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The version you saw")


class BulkDeleteInput(serializers.Serializer):
    annotations = SpanVersion(many=True, max_length=MAX_BULK_ITEMS)


class BulkRelabelInput(BulkDeleteInput):
    label = id_field()
    subtype = id_field(required=False, allow_null=True, help_text="Default: none")


class BulkDeleteOutput(serializers.Serializer):
    deleted = serializers.IntegerField()


class BulkRelabelOutput(serializers.Serializer):
    annotations = AnnotationSerializer(many=True)


def _each_span(user, items: list[dict], change) -> list:
    """Apply ``change(span, version)`` to every listed span, naming the failing one (annotations[i])."""
    results = []
    for index, item in enumerate(items):
        try:
            span = access_annotation(user=user, annotation_id=item["id"], write=True)
            results.append(change(span, item["version"]))
        except ApplicationError as exc:
            raise _prefixed(exc, f"annotations[{index}]") from None
    return results


@transaction.atomic
def bulk_delete(*, user, items: list[dict]) -> int:
    """Delete every listed span at the version given, or none of them."""
    return len(
        _each_span(user, items, lambda span, version: annotation_delete(annotation=span, version=version))
    )


@transaction.atomic
def bulk_relabel(*, user, items: list[dict], label_id: int, subtype_id: int | None) -> list:
    """Give every listed span one label (and subtype), or change none of them."""
    labels = {}

    def relabel(span, version):
        if span.project_id not in labels:
            label = label_resolve(project_id=span.project_id, label_id=label_id)
            labels[span.project_id] = (label, subtype_resolve(label=label, subtype_id=subtype_id))
        label, subtype = labels[span.project_id]
        return annotation_update(annotation=span, version=version, label=label, subtype=subtype)

    return _each_span(user, items, relabel)


class AnnotationBulkViewSet(viewsets.ViewSet):
    parser_classes = [JSONParser]  # nested lists of objects have no form encoding

    @extend_schema(
        request=BulkInput,
        responses={201: BulkOutput, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Create many spans and relations at once, all or nothing",
    )
    def create(self, request):
        payload = BulkInput(data=request.data)
        payload.is_valid(raise_exception=True)
        created, linked = bulk_create(
            user=request.user,
            annotations=payload.validated_data.get("annotations", []),
            relations=payload.validated_data.get("relations", []),
        )
        body = {
            "annotations": [annotation_data(a) for a in created],
            "relations": [relation_data(r) for r in linked],
        }
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkDeleteInput,
        responses={200: BulkDeleteOutput, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                   409: ErrorSerializer},
        summary="Delete many spans (each at the version you saw), all or nothing",
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="delete")
    def delete(self, request):
        payload = BulkDeleteInput(data=request.data)
        payload.is_valid(raise_exception=True)
        deleted = bulk_delete(user=request.user, items=payload.validated_data["annotations"])
        return Response({"deleted": deleted})

    @extend_schema(
        request=BulkRelabelInput,
        responses={200: BulkRelabelOutput, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                   409: ErrorSerializer},
        summary="Give many spans one label (and subtype), all or nothing",
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="relabel")
    def relabel(self, request):
        payload = BulkRelabelInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        spans = bulk_relabel(user=request.user, items=data["annotations"], label_id=data["label"],
                             subtype_id=data.get("subtype"))  # fmt: skip
        return Response({"annotations": [annotation_data(span) for span in spans]})
