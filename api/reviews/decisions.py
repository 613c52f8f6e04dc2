"""A reviewer's decision on one span or relation: ``annotations/{id}/accept|reject|correct/``
and ``relations/{id}/accept|reject|correct/``. A correction writes the gold layer and keeps
the original."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.access import access_project_row
from annotator.annotations.models import Annotation, Relation
from annotator.projects.selectors import project_label_get, project_subtype_get
from annotator.reviews import decisions
from api.representations import AnnotationSerializer, RelationSerializer, annotation_data, relation_data
from api.reviews.base import ReviewResource
from api.reviews.serializers import (
    ERRORS,
    CorrectedRelationOutput,
    CorrectedSpanOutput,
    CorrectInput,
    ReasonInput,
    RelationCorrectInput,
    RelationRejectInput,
    SpanRejectInput,
    valid,
)


class SpanReviewViewSet(ReviewResource):
    @extend_schema(
        request=ReasonInput, responses={200: AnnotationSerializer, **ERRORS}, summary="Accept a span"
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, "accept")

    @extend_schema(
        request=SpanRejectInput, responses={200: AnnotationSerializer, **ERRORS}, summary="Reject a span"
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, "reject")

    def _decide(self, request, pk, decision):
        span = access_project_row(Annotation, request.user, pk, noun="Span")
        data = valid(SpanRejectInput if decision == "reject" else ReasonInput, request.data)
        result = decisions.annotation_review(
            annotation=span,
            reviewer=request.user,
            decision=decision,
            reason=data["reason"],
            version=data.get("version"),
        )
        return Response(annotation_data(result))

    @extend_schema(
        request=CorrectInput, responses={200: CorrectedSpanOutput, **ERRORS}, summary="Correct into gold"
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        span = access_project_row(Annotation, request.user, pk, noun="Span")
        data = valid(CorrectInput, request.data)
        changes = {k: data[k] for k in ("start", "end") if k in data}
        if "label" in data:
            changes["label"] = project_label_get(project_id=span.project_id, label_id=data["label"])
        if "subtype" in data:
            changes["subtype"] = project_subtype_get(project_id=span.project_id, subtype_id=data["subtype"])
        gold = decisions.annotation_correct(
            annotation=span, reviewer=request.user, reason=data["reason"], **changes
        )
        span.refresh_from_db()
        return Response({"original": annotation_data(span), "gold": annotation_data(gold)})


class RelationReviewViewSet(ReviewResource):
    @extend_schema(
        request=ReasonInput, responses={200: RelationSerializer, **ERRORS}, summary="Accept a relation"
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, "accept")

    @extend_schema(
        request=RelationRejectInput,
        responses={200: RelationSerializer, **ERRORS},
        summary="Reject a relation",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, pk, "reject")

    def _decide(self, request, pk, decision):
        relation = access_project_row(Relation, request.user, pk, noun="Relation")
        data = valid(RelationRejectInput if decision == "reject" else ReasonInput, request.data)
        result = decisions.relation_review(
            relation=relation,
            reviewer=request.user,
            decision=decision,
            reason=data["reason"],
            version=data.get("version"),
        )
        return Response(relation_data(result))

    @extend_schema(
        request=RelationCorrectInput,
        responses={200: CorrectedRelationOutput, **ERRORS},
        summary="Correct a relation",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        relation = access_project_row(Relation, request.user, pk, noun="Relation")
        data = valid(RelationCorrectInput, request.data)
        gold = decisions.relation_correct(
            relation=relation, reviewer=request.user, type=data["type"], reason=data["reason"]
        )
        relation.refresh_from_db()
        return Response({"original": relation_data(relation), "gold": relation_data(gold)})
