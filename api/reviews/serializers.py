"""Inputs and outputs of the review API (api/reviews/), named for the schema."""

from __future__ import annotations

from dataclasses import asdict

from django.core.validators import RegexValidator
from rest_framework import serializers

from annotator.annotations.models import RelationType
from annotator.reviews.decisions import REJECT_REASON_REQUIRED
from annotator.reviews.models import Agreement
from annotator.reviews.services import CHANGES_REASON_REQUIRED
from api.assignments import AssignmentSerializer
from api.representations import AnnotationSerializer, ErrorSerializer, RelationSerializer, id_field

ERRORS = dict.fromkeys((400, 403, 404, 409), ErrorSerializer)


def valid(serializer_class, data) -> dict:
    payload = serializer_class(data=data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


def _reason_required(message: str) -> serializers.CharField:
    """A reason that must say something: the schema states it (a non-space character), and the
    refusal names the field with the service's own words."""
    return serializers.CharField(
        max_length=5000,
        validators=[RegexValidator(r"\S", message=message)],
        error_messages={"required": message, "blank": message, "null": message},
    )


class SpanRejectInput(ReasonInput):
    reason = _reason_required(REJECT_REASON_REQUIRED.format(noun="span"))


class RelationRejectInput(ReasonInput):
    reason = _reason_required(REJECT_REASON_REQUIRED.format(noun="relation"))


class ChangesRequestInput(serializers.Serializer):
    reason = _reason_required(CHANGES_REASON_REQUIRED)


class ReassignInput(serializers.Serializer):
    annotator = id_field()


class BulkAssignInput(serializers.Serializer):
    annotators = serializers.ListField(child=id_field(), allow_empty=False, min_length=1, max_length=1000)
    overlap = serializers.IntegerField(min_value=1, max_value=100)
    documents = serializers.ListField(child=id_field(), required=False, max_length=100000)


class BulkAssignOutput(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    documents = serializers.IntegerField()


class CorrectInput(serializers.Serializer):
    start = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    label = id_field(required=False)
    subtype = id_field(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class RelationCorrectInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=RelationType.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CorrectedSpanOutput(serializers.Serializer):
    original = AnnotationSerializer()
    gold = AnnotationSerializer()


class CorrectedRelationOutput(serializers.Serializer):
    original = RelationSerializer()
    gold = RelationSerializer()


class GoldAcceptInput(serializers.Serializer):
    annotation = id_field(required=False)
    relation = id_field(required=False)


class GoldAcceptOutput(serializers.Serializer):
    annotation = AnnotationSerializer(required=False)
    relation = RelationSerializer(required=False)


class AcceptedAgreedOutput(serializers.Serializer):
    spans = serializers.IntegerField(
        help_text="Agreed spans this call accepted (copied into gold, or marked accepted where gold had them)"
    )
    relations = serializers.IntegerField(help_text="Agreed relations this call accepted")
    already_spans = serializers.IntegerField(help_text="Agreed spans an earlier decision had fully accepted")
    already_relations = serializers.IntegerField(
        help_text="Agreed relations an earlier decision had fully accepted"
    )
    layers = serializers.IntegerField(help_text="Submitted layers compared")


class RestoreInput(serializers.Serializer):
    model = serializers.ChoiceField(choices=["annotation", "relation", "assignment"])
    history_id = id_field()


class RestoreOutput(serializers.Serializer):
    annotation = AnnotationSerializer(required=False)
    relation = RelationSerializer(required=False)
    assignment = AssignmentSerializer(required=False)


class AgreementSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    document = serializers.IntegerField(source="document_id", allow_null=True)
    project = serializers.IntegerField(source="project_id")

    class Meta:
        model = Agreement
        fields = (
            "project", "document", "label", "annotators", "pair_spans", "exact_matches", "overlap_matches",
            "exact_f1", "overlap_f1", "alpha", "units", "pairs", "computed_at",
        )  # fmt: skip

    def get_label(self, row) -> str | None:
        return row.label.code if row.label_id else None


class StateCounts(serializers.Serializer):
    total = serializers.IntegerField()
    assigned = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    changes_requested = serializers.IntegerField()


class AnnotatorProgress(StateCounts):
    annotator_id = serializers.IntegerField()
    username = serializers.CharField()


class DocumentProgress(StateCounts):
    document_id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)


class ProgressOutput(serializers.Serializer):
    annotators = AnnotatorProgress(many=True)
    documents = DocumentProgress(many=True)


class QueueItem(serializers.Serializer):
    document = serializers.IntegerField()
    project = serializers.IntegerField()
    title = serializers.CharField()
    alpha = serializers.FloatField(allow_null=True)
    exact_f1 = serializers.FloatField(allow_null=True)
    overlap_f1 = serializers.FloatField(allow_null=True)
    submitted_layers = serializers.IntegerField()
    oldest_submission = serializers.DateTimeField(allow_null=True)


class QueueOutput(serializers.Serializer):
    results = QueueItem(many=True)

    @staticmethod
    def rows(documents) -> list[dict]:
        return [
            {
                "document": d.pk,
                "project": d.project_id,
                "title": d.display_title,
                "alpha": d.alpha,
                "exact_f1": d.exact_f1,
                "overlap_f1": d.overlap_f1,
                "submitted_layers": d.submitted_layers,
                "oldest_submission": d.oldest_submission,
            }  # fmt: skip
            for d in documents
        ]


class HistoryChange(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class HistoryEntry(serializers.Serializer):
    model = serializers.ChoiceField(choices=["annotation", "relation", "assignment"])
    object_id = serializers.IntegerField()
    history_id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = serializers.CharField()
    date = serializers.DateTimeField()
    version = serializers.IntegerField(allow_null=True)
    changes = HistoryChange(many=True)
    summary = serializers.CharField()
    restorable = serializers.BooleanField()


class HistoryOutput(serializers.Serializer):
    results = HistoryEntry(many=True)


def history_json(entries) -> list[dict]:
    out = []
    for entry in entries:
        data = asdict(entry)
        data["changes"] = [{"field": f, "before": b, "after": a} for f, b, a in entry.changes]
        out.append(data)
    return out
