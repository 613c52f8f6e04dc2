"""Source credibility scores: current figures, overall roll-up, history, drill-down, CSV, recompute.

Every read is limited to the caller's projects (non-members: 404); the
recompute needs the reviewer role in the project (annotators: 403).
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.credibility import selectors
from annotator.credibility.export import score_row, scores_csv
from annotator.credibility.models import (
    COUNT_FIELDS,
    EntityKind,
    LayerUsed,
    SourceScore,
    SourceScoreSnapshot,
)
from annotator.credibility.scheduling import scores_recompute_request
from api.jobs import JobSerializer, job_response
from api.lists import unknown_parameters_refuse

SCORE_FIELDS = (
    "kind", "entity_id", "entity_name", "layer", "small_sample", "small_sample_reason", *COUNT_FIELDS,
    "evidence_subtypes", "figures", "computed_at",
)  # fmt: skip


class ScoreSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    rank = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Rank within project and kind by the chosen sort; null for small samples (too little data)",
    )
    figures = serializers.JSONField(
        read_only=True,
        help_text="Per metric (see docs/credibility.md): point, low, high (null = unbounded), documents, effective_n",
    )

    class Meta:
        model = SourceScore
        fields = ("id", "project", "rank", *SCORE_FIELDS)
        read_only_fields = fields


class SnapshotSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id", read_only=True)
    period = serializers.DateTimeField(
        read_only=True, help_text="The day (or week) this snapshot stands for: the last one of the period"
    )

    class Meta:
        model = SourceScoreSnapshot
        fields = ("id", "project", "period", *SCORE_FIELDS)
        read_only_fields = fields


class ListQuery(serializers.Serializer):
    project = serializers.IntegerField(required=False, min_value=1)
    kind = serializers.ChoiceField(choices=EntityKind.choices, required=False)
    layer = serializers.ChoiceField(choices=LayerUsed.choices, required=False)
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    min_documents = serializers.IntegerField(required=False, min_value=0, default=0)
    sort = serializers.ChoiceField(
        choices=sorted(selectors.SORTS), required=False, default=selectors.DEFAULT_SORT
    )


class SourceQuery(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=EntityKind.choices)
    entity = serializers.IntegerField(min_value=0, help_text="Source/Author/Speaker id; 0 = unknown")


class HistoryQuery(SourceQuery):
    layer = serializers.ChoiceField(
        choices=LayerUsed.choices, required=False, help_text="Only snapshots scored from this layer tier"
    )


class SpansQuery(SourceQuery):
    span_kind = serializers.ChoiceField(
        choices=sorted(selectors.SPAN_KINDS),
        required=False,
        help_text="Only spans of this kind (default: all)",
    )
    unsupported = serializers.BooleanField(required=False, default=False)


class RecomputeInput(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)


class OverallQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntityKind.choices, required=False)


def valid_query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _query(serializer_class, request) -> dict:
    unknown_parameters_refuse(request, known=set(serializer_class().fields))
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _listed(request):
    q = _query(ListQuery, request)
    return selectors.scores_list(
        user=request.user, project_id=q.get("project"), kind=q.get("kind"), layer=q.get("layer"), q=q["q"],
        min_documents=q["min_documents"], sort=q["sort"],
    )  # fmt: skip


class SourceScoreViewSet(viewsets.GenericViewSet):
    """Current scores per outlet, author and quoted speaker, ranked by interval bounds."""

    serializer_class = ScoreSerializer
    queryset = SourceScore.objects.none()
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[ListQuery], responses=ScoreSerializer(many=True), summary="Current scores")
    def list(self, request):
        return Response(ScoreSerializer(_listed(request), many=True).data)

    @extend_schema(
        parameters=[ListQuery],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        summary="The score table as CSV (same filters as the list)",
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        response = HttpResponse(scores_csv(score_row(s) for s in _listed(request)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="source-scores.csv"'
        return response

    @extend_schema(
        parameters=[OverallQuery],
        responses=OpenApiTypes.OBJECT,
        summary="Each source across all your projects (counts summed, formulas reapplied)",
    )
    @action(detail=False, methods=["get"])
    def overall(self, request):
        unknown_parameters_refuse(request, known={"kind"})
        kind = valid_query(OverallQuery, request).get("kind")
        return Response({"results": selectors.scores_overall(user=request.user, kind=kind)})

    @extend_schema(
        parameters=[HistoryQuery], responses=SnapshotSerializer(many=True), summary="Dated snapshots"
    )
    @action(detail=False, methods=["get"])
    def history(self, request):
        q = _query(HistoryQuery, request)
        snapshots = selectors.score_history(
            user=request.user, project_id=q["project"], kind=q["kind"], entity_id=q["entity"],
            layer=q.get("layer"),
        )  # fmt: skip
        return Response(SnapshotSerializer(snapshots, many=True).data)

    @extend_schema(
        parameters=[SourceQuery], responses=OpenApiTypes.OBJECT, summary="Documents behind a source"
    )
    @action(detail=False, methods=["get"])
    def documents(self, request):
        q = _query(SourceQuery, request)
        rows = selectors.source_documents(
            user=request.user, project_id=q["project"], kind=q["kind"], entity_id=q["entity"]
        )
        return Response({"results": rows})

    @extend_schema(parameters=[SpansQuery], responses=OpenApiTypes.OBJECT, summary="Spans behind a source")
    @action(detail=False, methods=["get"])
    def spans(self, request):
        q = _query(SpansQuery, request)
        rows = selectors.source_spans(
            user=request.user, project_id=q["project"], kind=q["kind"], entity_id=q["entity"],
            span_kind=q.get("span_kind", ""), unsupported_only=q["unsupported"],
        )  # fmt: skip
        return Response({"results": rows})

    @extend_schema(
        request=RecomputeInput,
        responses={202: JobSerializer},
        summary="Recompute a project's scores now (reviewers and managers)",
    )
    @action(detail=False, methods=["post"])
    def recompute(self, request):
        serializer = RecomputeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = scores_recompute_request(user=request.user, project_id=serializer.validated_data["project"])
        return job_response(job, request)
