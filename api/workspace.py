"""Everything the browser workspace needs to open one document, in one request.

A fixed number of queries however many spans the layer has: the token, the document with
the caller's role, and one statement that writes the whole JSON body (workspace_sql.py).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from annotator.access import layer_assert_readable
from annotator.annotations.models import Layer
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.models import LabelKind, Role
from annotator.reviews.models import AssignmentState
from annotator.sources.models import SpeakerKind
from api.representations import AnnotationSerializer, RelationSerializer
from api.workspace_sql import workspace_json


def workspace_payload(*, user, document: Document, role: str, annotator_id: int | None, layer: str) -> str:
    """The document, its project's labels and one layer of spans and relations, as JSON text.

    ``annotator_id`` defaults to the caller; annotators may only open their own layer. The
    whole body is built by one PostgreSQL statement (workspace_sql.py).
    """
    if layer == Layer.GOLD:
        annotator = None
        layer_assert_readable(user=user, role=role, annotator_id=None, layer=layer)
    else:
        annotator_id = annotator_id or user.pk
        layer_assert_readable(user=user, role=role, annotator_id=annotator_id, layer=layer)
        annotator = user if annotator_id == user.pk else (
            get_user_model().objects.filter(pk=annotator_id, memberships__project_id=document.project_id).first()
        )  # fmt: skip
        if annotator is None:
            raise ApplicationError.field("annotator", f"User {annotator_id} is not a member of this project.")
    return workspace_json(
        document_id=document.pk, user_id=user.pk, caller=user.get_username(), role=role, layer=layer,
        annotator=(annotator.pk, annotator.get_username()) if annotator else None,
        only_caller=role == Role.ANNOTATOR,
    )  # fmt: skip


# Shapes for the OpenAPI schema.
class WorkspaceNamed(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class WorkspaceSubtype(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    is_active = serializers.BooleanField()


class WorkspaceLabelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=LabelKind.choices)
    color = serializers.CharField()
    shortcut = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()
    subtypes = WorkspaceSubtype(many=True)


class _WorkspaceDocument(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    char_count = serializers.IntegerField()
    word_count = serializers.IntegerField()
    url = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    source = WorkspaceNamed(allow_null=True)
    authors = WorkspaceNamed(many=True)
    language = serializers.CharField(allow_blank=True)


class _WorkspaceProject(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()


class WorkspaceUser(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class AssignmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=AssignmentState.choices)
    reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class _WorkspaceLayer(serializers.Serializer):
    annotator = WorkspaceUser(allow_null=True)
    layer = serializers.ChoiceField(choices=Layer.choices)
    read_only = serializers.BooleanField()
    assignment = AssignmentBriefSerializer(allow_null=True)


class _WorkspaceAnnotator(WorkspaceUser):
    state = serializers.ChoiceField(choices=AssignmentState.choices, allow_null=True)


class WorkspaceSpeaker(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SpeakerKind.choices)


class WorkspaceSerializer(serializers.Serializer):
    document = _WorkspaceDocument()
    project = _WorkspaceProject()
    labels = WorkspaceLabelSerializer(many=True)
    layer = _WorkspaceLayer()
    annotators = _WorkspaceAnnotator(many=True)
    annotations = AnnotationSerializer(many=True)
    relations = RelationSerializer(many=True)
    speakers = WorkspaceSpeaker(many=True)
