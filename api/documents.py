"""Documents: list, read, create (managers), the workspace payload and submitting a layer.

Text is stored verbatim and never edited (every offset points into it), so
there is no update endpoint.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.access import access_document, access_project, access_role, in_member_projects
from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.services import document_boilerplate_set, document_create, document_delete
from annotator.projects.models import Role
from annotator.reviews.services import assignment_submit
from annotator.sources.models import Source
from annotator.sources.services import author_get_or_create, source_get_or_create
from api.exports import EXPORT_PARAMETERS, EXPORT_RESPONSES, IgnoreFormatParameter, export_response
from api.filters import DocumentFilter
from api.representations import ErrorSerializer, id_field, parse_id
from api.versioning import IF_NONE_MATCH, NOT_MODIFIED, conditional_response, content_etag, not_modified
from api.workspace import AssignmentBriefSerializer, WorkspaceSerializer, workspace_payload

DOCUMENT_FIELDS = (
    "id", "project", "title", "url", "published_on", "source", "language", "content_hash",
    "char_count", "word_count", "body_word_count", "boilerplate", "created_at",
)  # fmt: skip


class DocumentSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    source = serializers.IntegerField(source="source_id", read_only=True, allow_null=True)
    url = serializers.CharField(read_only=True, help_text="The original URL, or empty")
    authors = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = (*DOCUMENT_FIELDS, "authors")
        read_only_fields = fields

    def get_authors(self, document) -> list[int]:
        return [author.pk for author in document.authors.all()]


class DocumentDetailSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = (*DOCUMENT_FIELDS, "authors", "text")
        read_only_fields = fields


class DocumentCreateInput(serializers.Serializer):
    project = id_field()
    text = serializers.CharField(trim_whitespace=False, max_length=5_000_000)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=2000)
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    source = id_field(required=False, allow_null=True, help_text="An existing source id")
    outlet = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                   help_text="Or a source name: found case-insensitively or created")  # fmt: skip
    authors = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=50
    )
    language = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    boilerplate = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        default=list,
        max_length=1000,
        help_text='Regions that are not the body: [{"kind": "comment_form", "start": 10, "end": 42}]',
    )


class BoilerplateInput(serializers.Serializer):
    boilerplate = serializers.ListField(
        child=serializers.DictField(),
        max_length=1000,
        help_text="The document's boilerplate regions (replaced)",
    )


class SubmitOutput(serializers.Serializer):
    assignment = AssignmentBriefSerializer()


WORKSPACE_PARAMS = [
    OpenApiParameter("annotator", OpenApiTypes.INT, description="Whose layer (default: yours)"),
    OpenApiParameter("layer", OpenApiTypes.STR, enum=Layer.values, description="annotator (default) or gold"),
]


@extend_schema_view(
    list=extend_schema(summary="Documents of your projects (without text)"),
    retrieve=extend_schema(
        summary="One document with its text (If-None-Match: its ETag gives a 304)",
        parameters=[IF_NONE_MATCH],
        responses={200: DocumentDetailSerializer, 304: NOT_MODIFIED, 404: ErrorSerializer},
    ),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    ordering_fields = ("id", "title", "published_on", "created_at", "char_count")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    queryset = Document.objects.none()

    def get_queryset(self):
        queryset = Document.objects.defer("text") if self.action == "list" else Document.objects.all()
        return in_member_projects(queryset.prefetch_related("authors"), user=self.request.user)

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def get_object(self):
        document, _ = access_document(user=self.request.user, document_id=self.kwargs["pk"])
        return document

    def retrieve(self, request, pk=None):
        data = DocumentDetailSerializer(self.get_object()).data
        return conditional_response(request, data, content_etag(data))

    @extend_schema(
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Delete a document with its spans, relations and assignments (managers)",
    )
    def destroy(self, request, pk=None):
        document, _ = access_document(user=request.user, document_id=pk)
        access_role(user=request.user, project_id=document.project_id, minimum=Role.MANAGER)
        document_delete(document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=DocumentCreateInput,
        responses={201: DocumentDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
        summary="Add a document (managers)",
    )
    def create(self, request):
        payload = DocumentCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        project, _ = access_project(user=request.user, project_id=data["project"], minimum=Role.MANAGER)
        outlet = None
        if data.get("source"):
            outlet = Source.objects.filter(pk=data["source"]).first()
            if outlet is None:
                raise ApplicationError.field("source", f"There is no source {data['source']}.")
        elif data["outlet"].strip():
            outlet = source_get_or_create(name=data["outlet"])
        document = document_create(
            project=project,
            text=data["text"],
            title=data["title"],
            url=data["url"],
            published_on=data["published_on"],
            outlet=outlet,
            authors=[author_get_or_create(name=name) for name in data["authors"] if name.strip()],
            language=data["language"],
            provenance={"kind": "api"},
            created_by=request.user,
            boilerplate=data["boilerplate"],
        )
        return Response(DocumentDetailSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BoilerplateInput,
        responses={200: DocumentSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Mark the document's boilerplate regions (managers); scores count body words only",
    )
    @action(detail=True, methods=["put"])
    def boilerplate(self, request, pk=None):
        document, _ = access_document(user=request.user, document_id=pk, minimum=Role.MANAGER)
        payload = BoilerplateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        document = document_boilerplate_set(document=document, regions=payload.validated_data["boilerplate"])
        return Response(DocumentSerializer(document).data)

    @extend_schema(
        parameters=WORKSPACE_PARAMS,
        responses={
            200: WorkspaceSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
        summary="Everything the workspace needs for one layer of one document",
    )
    @action(detail=True, methods=["get"])
    def workspace(self, request, pk=None):
        document, role = access_document(user=request.user, document_id=pk)
        layer = request.query_params.get("layer") or Layer.ANNOTATOR
        if layer not in Layer.values:
            raise ApplicationError.field("layer", f"Unknown layer {layer!r}; use annotator or gold.")
        annotator_param = request.query_params.get("annotator")
        annotator_id = parse_id(annotator_param) if annotator_param else None
        if annotator_param and annotator_id is None:
            raise ApplicationError.field(
                "annotator", f"annotator must be a user id, not {annotator_param!r}."
            )
        body = workspace_payload(
            user=request.user, document=document, role=role, annotator_id=annotator_id, layer=layer
        )
        if request.accepted_renderer.format == "json":  # written by PostgreSQL: sent as is
            return HttpResponse(body, content_type="application/json")
        return Response(json.loads(body))

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={**EXPORT_RESPONSES, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Export this document's argument maps in one format",
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParameter)
    def export(self, request, pk=None):
        document, _ = access_document(user=request.user, document_id=pk)
        return export_response(request, project_id=document.project_id, document_ids=[document.pk])

    @extend_schema(
        responses={(200, "text/plain"): OpenApiTypes.STR, 404: ErrorSerializer},
        summary="The document's text as text/plain (what offsets and Web Annotation selectors count over)",
    )
    @action(detail=True, methods=["get"], content_negotiation_class=IgnoreFormatParameter)
    def text(self, request, pk=None):
        document, _ = access_document(user=request.user, document_id=pk)
        tag = f'"{document.content_hash}"'
        if not_modified(request, tag):
            return HttpResponse(status=304, headers={"ETag": tag})
        return HttpResponse(document.text, content_type="text/plain; charset=utf-8", headers={"ETag": tag})

    @extend_schema(
        request=None,
        responses={200: SubmitOutput, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Submit your layer of this document for review",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        document, _ = access_document(user=request.user, document_id=pk)
        assignment = assignment_submit(document=document, annotator=request.user)
        brief = {field: getattr(assignment, field) for field in ("id", "state", "reason", "version")}
        return Response({"assignment": brief})
