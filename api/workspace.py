"""Everything the browser workspace needs to open one document, in one request.

A fixed number of queries however many spans the layer has (the benchmark
opens a document with 500 spans and 250 relations in well under 30 ms).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch
from rest_framework import serializers

from annotator.annotations.models import Annotation, Layer, Relation
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelKind, LabelSubtype, Project
from annotator.reviews.models import Assignment, AssignmentState
from annotator.reviews.services import EDITABLE_STATES
from annotator.sources.models import Speaker, SpeakerKind
from api.access import layer_assert_readable
from api.representations import AnnotationSerializer, RelationSerializer, annotation_rows, relation_rows

ASSIGNMENT_FIELDS = ("id", "state", "reason", "version")


def _assignment_row(document_id: int, annotator_id: int) -> dict | None:
    return (
        Assignment.objects.filter(document_id=document_id, annotator_id=annotator_id)
        .values(*ASSIGNMENT_FIELDS)
        .first()
    )


def _labels(project_id: int) -> list[dict]:
    labels = Label.objects.filter(project_id=project_id).prefetch_related(
        Prefetch("subtypes", queryset=LabelSubtype.objects.order_by("position", "code"))
    )
    return [
        {
            "id": label.pk,
            "code": label.code,
            "name": label.name,
            "kind": label.kind,
            "color": label.color,
            "shortcut": label.shortcut,
            "is_active": label.is_active,
            "subtypes": [
                {"id": s.pk, "code": s.code, "name": s.name, "is_active": s.is_active}
                for s in label.subtypes.all()
            ],
        }  # fmt: skip
        for label in labels
    ]


def _annotators(document_id: int, *, only=None) -> list[dict]:
    rows = Assignment.objects.filter(document_id=document_id)
    if only is not None:
        rows = rows.filter(annotator=only)
    listed = [
        {"id": r["annotator_id"], "username": r["annotator__username"], "state": r["state"]}
        for r in rows.order_by("annotator__username").values("annotator_id", "annotator__username", "state")
    ]
    if only is not None and not listed:
        listed = [{"id": only.pk, "username": only.get_username(), "state": None}]
    return listed


def workspace_payload(*, user, document: Document, role: str, annotator_id: int | None, layer: str) -> dict:
    """The document, its project's labels and one layer of spans and relations.

    ``annotator_id`` defaults to the caller; annotators may only open their own layer.
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

    spans = Annotation.objects.filter(document_id=document.pk, layer=layer)
    links = Relation.objects.filter(document_id=document.pk, layer=layer)
    assignment = None
    if annotator is not None:
        spans, links = spans.filter(annotator_id=annotator.pk), links.filter(annotator_id=annotator.pk)
        assignment = _assignment_row(document.pk, annotator.pk)
        state = assignment["state"] if assignment else None
        read_only = annotator.pk != user.pk or (state is not None and state not in EDITABLE_STATES)
    else:
        read_only = False  # layer_assert_readable let only reviewers and managers this far
    project = Project.objects.only("id", "name").get(pk=document.project_id)
    # Speakers already used in the project, for reuse in the picker (Exists: one index probe per speaker).
    used_speakers = Relation.objects.filter(project_id=document.project_id, speaker_id=OuterRef("pk"))
    return {
        "document": {
            "id": document.pk,
            "project": document.project_id,
            "title": document.title,
            "text": document.text,
            "char_count": document.char_count,
            "word_count": document.word_count,
            "url": document.url,
            "published_on": document.published_on,
            "source": {"id": document.source_id, "name": document.source.name}
            if document.source_id
            else None,
            "authors": list(document.authors.order_by("name").values("id", "name")),
            "language": document.language,
        },  # fmt: skip
        "project": {"id": project.pk, "name": project.name, "role": role},
        "labels": _labels(document.project_id),
        "layer": {
            "annotator": {"id": annotator.pk, "username": annotator.get_username()} if annotator else None,
            "layer": layer,
            "read_only": read_only,
            "assignment": assignment,
        },
        "annotators": _annotators(document.pk, only=None if role != "annotator" else user),
        "annotations": annotation_rows(spans.order_by("start", "end", "id")),
        "relations": relation_rows(links.order_by("id")),
        "speakers": list(
            Speaker.objects.filter(pk__in=used_speakers.values("speaker_id"))
            .order_by("name")
            .values("id", "name", "kind")
        ),
    }


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
