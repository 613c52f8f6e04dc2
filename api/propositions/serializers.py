"""Inputs and outputs of the proposition resources (api/propositions/views.py)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from annotator.core.errors import ApplicationError
from annotator.propositions.models import ProvenanceKind
from api.representations import MAX_ID, ErrorSerializer, id_field, parse_id

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
MAX_SPANS = 500


def project_param(request) -> int:
    project_id = parse_id(request.query_params.get("project"))
    if project_id is None:
        raise ApplicationError.field("project", "Give ?project=<id> of a project you are a member of.")
    return project_id


ROW_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
PROJECT = OpenApiParameter("project", ROW_ID, required=True, description="Project id")


# ---- representations -------------------------------------------------------------------------


class PropositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    text = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PropositionListSerializer(PropositionSerializer):
    spans = serializers.IntegerField(source="span_count")
    documents = serializers.IntegerField(source="document_count")
    sources = serializers.IntegerField(source="source_count")


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    proposition = serializers.IntegerField(source="proposition_id")
    span = serializers.IntegerField(source="annotation_id")
    document = serializers.IntegerField(source="document_id")
    annotator = serializers.IntegerField(source="annotator_id")
    layer = serializers.CharField()
    status = serializers.CharField()
    status_reason = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()


class StatementSerializer(LinkSerializer):
    start = serializers.IntegerField(source="annotation.start")
    end = serializers.IntegerField(source="annotation.end")
    quote = serializers.CharField(source="annotation.quote")
    kind = serializers.CharField(source="annotation.label.kind")
    document_title = serializers.CharField(source="document.display_title")
    published_on = serializers.DateField(source="document.published_on", allow_null=True)
    source = serializers.CharField(source="document.source.name", allow_null=True, default=None)


class RelationEndSerializer(serializers.Serializer):
    relation = serializers.IntegerField()
    type = serializers.CharField()
    direction = serializers.CharField()
    document = serializers.IntegerField()
    span = serializers.IntegerField()
    quote = serializers.CharField()
    proposition = serializers.IntegerField(allow_null=True)
    provenance = serializers.CharField(allow_null=True)
    counts_as_support = serializers.BooleanField()


class PropositionDetailSerializer(PropositionSerializer):
    statements = StatementSerializer(many=True)
    relations = RelationEndSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    summary = serializers.CharField()
    propositions = serializers.ListField(child=serializers.IntegerField())
    user = serializers.IntegerField(source="user_id", allow_null=True)
    created_at = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)


class SuggestedPropositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField()
    spans = serializers.IntegerField()


class SimilarSpanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    score = serializers.FloatField()
    proposition = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_null=True)


class SuggestionsSerializer(serializers.Serializer):
    span = serializers.IntegerField()
    linked_to = serializers.IntegerField(allow_null=True)
    link = serializers.IntegerField(allow_null=True)
    link_version = serializers.IntegerField(allow_null=True)
    propositions = SuggestedPropositionSerializer(many=True)
    spans = SimilarSpanSerializer(many=True)


class RepeatGroupSerializer(serializers.Serializer):
    spans = serializers.ListField(child=serializers.IntegerField())
    best = serializers.FloatField()
    quotes = serializers.DictField(child=serializers.CharField())


class ProvenanceSerializer(serializers.Serializer):
    span = serializers.IntegerField()
    kind = serializers.CharField(allow_null=True)
    cited_document = serializers.IntegerField(allow_null=True)
    cited_title = serializers.CharField(allow_blank=True)
    cited_url = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    suggestion = serializers.DictField(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    source_id = serializers.IntegerField()
    name = serializers.CharField()
    documents = serializers.IntegerField()
    # Counts are sums of per-document means over readers where a document has no gold (e.g. 16.5).
    claim_spans = serializers.FloatField()
    propositions = serializers.FloatField()
    repeated_propositions = serializers.IntegerField()
    repetition_rate = serializers.FloatField(allow_null=True)
    supported_propositions = serializers.FloatField()
    supported_share = serializers.FloatField(allow_null=True)
    naive_supported_share = serializers.FloatField(allow_null=True)
    self_citations = serializers.FloatField()


# ---- inputs -------------------------------------------------------------------------------------


class CreateInput(serializers.Serializer):
    project = id_field()
    text = serializers.CharField(max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    spans = serializers.ListField(child=id_field(), required=False, default=list, max_length=MAX_SPANS)


class UpdateInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(required=False, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class LinkInput(serializers.Serializer):
    proposition = id_field()
    spans = serializers.ListField(child=id_field(), min_length=1, max_length=MAX_SPANS)


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class MergeInput(serializers.Serializer):
    into = id_field()
    propositions = serializers.ListField(child=id_field(), min_length=1, max_length=MAX_SPANS)


class SplitInput(serializers.Serializer):
    proposition = id_field()
    links = serializers.ListField(child=id_field(), min_length=1, max_length=MAX_SPANS)
    text = serializers.CharField(max_length=2000)


class UndoInput(serializers.Serializer):
    change = id_field()


class GroupInput(serializers.Serializer):
    spans = serializers.ListField(child=id_field(), min_length=1, max_length=MAX_SPANS)
    proposition = id_field(required=False, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RepeatsInput(serializers.Serializer):
    project = id_field()
    groups = GroupInput(many=True)


class ProvenanceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProvenanceKind.choices)
    cited_document = id_field(required=False, allow_null=True, default=None)
    cited_title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    cited_url = serializers.URLField(required=False, allow_blank=True, default="", max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
