"""Hedge suggestions: a document's suggestions, your decision on one, accepting a rule's
confident suggestions at once, suggestion jobs, and the per-project rule table.

Routes (all under /api/v1/):
  GET  documents/<id>/hedges/              suggestions with your decision (members)
  POST documents/<id>/hedges/              suggest this document again, as a job (members: annotators,
                                           reviewers, managers)
  POST documents/<id>/hedges/accept-rule/  accept a rule's confident pending suggestions (members)
  PUT  hedges/<id>/decision/               accept or reject (members); DELETE undoes it
  POST projects/<id>/hedge-runs/           suggest the whole project, as a job (managers: it rewrites
                                           every document's pending suggestions)
  GET  projects/<id>/hedge-rules/          each rule's accepted/rejected counts (reviewers, managers)
  PATCH projects/<id>/hedge-rules/<rule>/  switch a rule on or off (managers)
Non-members get 404 for all of them.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_document, access_project
from annotator.core.errors import NotFound
from annotator.hedges.models import HedgeKind, HedgeState, HedgeSuggestion
from annotator.hedges.runs import hedge_job_start
from annotator.hedges.selectors import hedge_rule_stats, hedge_suggestions_for_user
from annotator.hedges.services import hedge_accept_rule, hedge_decide, hedge_rule_set, hedge_undo
from annotator.projects.models import Role
from api.jobs import JobSerializer
from api.representations import AnnotationSerializer, ErrorSerializer, annotation_data, parse_id

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Code points")
    end = serializers.IntegerField(help_text="Code points")
    quote = serializers.CharField()
    kind = serializers.ChoiceField(choices=HedgeKind.choices)
    confidence = serializers.FloatField()
    rule = serializers.CharField()
    state = serializers.ChoiceField(choices=HedgeState.choices, allow_null=True, help_text="null: pending")
    annotation = serializers.IntegerField(allow_null=True, help_text="Your HEDGE span, once accepted")


class SuggestionListOutput(serializers.Serializer):
    document = serializers.IntegerField()
    suggestions = SuggestionSerializer(many=True)


class DecisionInput(serializers.Serializer):
    state = serializers.ChoiceField(choices=HedgeState.choices)


class DecisionOutput(serializers.Serializer):
    suggestion = serializers.IntegerField()
    state = serializers.ChoiceField(choices=HedgeState.choices, allow_null=True)
    annotation = AnnotationSerializer(allow_null=True)


class AcceptRuleInput(serializers.Serializer):
    rule = serializers.CharField(max_length=60)
    min_confidence = serializers.FloatField(required=False, min_value=0, max_value=1)


class AcceptRuleOutput(serializers.Serializer):
    accepted = DecisionOutput(many=True)


class RuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    kind = serializers.ChoiceField(choices=HedgeKind.choices)
    description = serializers.CharField()
    enabled = serializers.BooleanField()
    suggested = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    precision = serializers.FloatField(allow_null=True, help_text="accepted / (accepted + rejected)")


class RuleInput(serializers.Serializer):
    enabled = serializers.BooleanField()


def _suggestion_access(*, user, pk) -> HedgeSuggestion:
    """The suggestion, if the user is a member of its project (404 otherwise, as for documents)."""
    number = parse_id(pk)
    suggestion = HedgeSuggestion.objects.filter(pk=number).first() if number else None
    if suggestion is None:
        raise NotFound("Suggestion not found.")
    try:
        access_document(user=user, document_id=suggestion.document_id)
    except NotFound:
        raise NotFound("Suggestion not found.") from None
    return suggestion


def _decision_data(suggestion_id: int, decision) -> dict:
    if decision is None:
        return {"suggestion": suggestion_id, "state": None, "annotation": None}
    span = annotation_data(decision.annotation) if decision.annotation_id else None
    return {"suggestion": suggestion_id, "state": decision.state, "annotation": span}


def _project(user, pk, minimum):
    number = parse_id(pk)
    if number is None:
        raise NotFound("Project not found.")
    return access_project(user=user, project_id=number, minimum=minimum)[0]


class DocumentHedgesView(APIView):
    @extend_schema(responses={200: SuggestionListOutput, **ERRORS}, summary="Hedge suggestions of a document")
    def get(self, request, pk):
        document, _ = access_document(user=request.user, document_id=pk)
        rows = hedge_suggestions_for_user(document=document, user=request.user)
        return Response({"document": document.pk, "suggestions": rows})

    @extend_schema(
        request=None,
        responses={202: JobSerializer, **ERRORS},
        summary="Suggest hedges in this document again (members)",
        description="Queues a hedges job for this one document; follow its progress at /api/v1/jobs/<id>/. "
        "Rejected and accepted suggestions are not offered again.",
    )
    def post(self, request, pk):
        document, _ = access_document(user=request.user, document_id=pk)
        job = hedge_job_start(project=document.project, user=request.user, document_ids=[document.pk])
        job.refresh_from_db()
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class DocumentHedgeRuleAcceptView(APIView):
    @extend_schema(
        request=AcceptRuleInput,
        responses={200: AcceptRuleOutput, **ERRORS},
        summary="Accept every pending suggestion of one rule in this document (confident ones only)",
    )
    def post(self, request, pk):
        document, _ = access_document(user=request.user, document_id=pk)
        payload = AcceptRuleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        decisions = hedge_accept_rule(
            document=document,
            user=request.user,
            rule=payload.validated_data["rule"],
            min_confidence=payload.validated_data.get("min_confidence"),
        )
        return Response({"accepted": [_decision_data(d.suggestion_id, d) for d in decisions]})


class HedgeDecisionView(APIView):
    @extend_schema(
        request=DecisionInput, responses={200: DecisionOutput, **ERRORS}, summary="Accept or reject"
    )
    def put(self, request, pk):
        suggestion = _suggestion_access(user=request.user, pk=pk)
        payload = DecisionInput(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = hedge_decide(
            suggestion=suggestion, user=request.user, state=payload.validated_data["state"]
        )
        return Response(_decision_data(suggestion.pk, decision))

    @extend_schema(
        responses={204: None, **ERRORS}, summary="Undo your decision (deletes the span it created)"
    )
    def delete(self, request, pk):
        suggestion = _suggestion_access(user=request.user, pk=pk)
        hedge_undo(suggestion=suggestion, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProjectHedgeRunView(APIView):
    @extend_schema(
        request=None,
        responses={202: JobSerializer, **ERRORS},
        summary="Suggest hedges in the whole project (managers)",
        description="Queues a hedges job over every document; follow its progress at /api/v1/jobs/<id>/. "
        "Suggestions someone decided on are kept; pending ones the rules no longer produce are dropped.",
    )
    def post(self, request, pk):
        project = _project(request.user, pk, Role.MANAGER)
        job = hedge_job_start(project=project, user=request.user)
        job.refresh_from_db()
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )


class ProjectHedgeRulesView(APIView):
    @extend_schema(
        responses={200: RuleSerializer(many=True), **ERRORS}, summary="Each rule's decisions so far"
    )
    def get(self, request, pk):
        project = _project(request.user, pk, Role.REVIEWER)
        return Response(hedge_rule_stats(project_id=project.pk))


class ProjectHedgeRuleView(APIView):
    @extend_schema(
        request=RuleInput, responses={200: RuleSerializer, **ERRORS}, summary="Switch a rule on or off"
    )
    def patch(self, request, pk, rule):
        project = _project(request.user, pk, Role.MANAGER)
        payload = RuleInput(data=request.data)
        payload.is_valid(raise_exception=True)
        hedge_rule_set(
            project=project, rule=rule, enabled=payload.validated_data["enabled"], user=request.user
        )
        row = next(r for r in hedge_rule_stats(project_id=project.pk) if r["rule"] == rule)
        return Response(row)
