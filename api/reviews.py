"""Review endpoints under /api/v1/reviews/: lifecycle decisions, span and relation
review, adjudication (gold layer), agreement, history and restore.

Each action resolves its object, hides it from non-members (404), and calls one
service; the services enforce roles (403) and rules (400) with their messages.
Inputs and outputs are in api/review_serializers.py.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.access import access_project, access_project_row, access_span_record
from annotator.annotations.models import Annotation, Relation
from annotator.core.errors import ApplicationError, NotFound
from annotator.documents.models import Document
from annotator.projects.models import Role
from annotator.projects.selectors import project_label_get, project_member_get, project_subtype_get, user_role
from annotator.reviews import adjudication, decisions, history
from annotator.reviews.agreement_services import agreement_document_compute, agreement_project_request
from annotator.reviews.assigning import assignment_reassign, assignments_bulk_create
from annotator.reviews.models import Agreement, Assignment
from annotator.reviews.selectors import progress_by_annotator, progress_by_document, review_queue
from annotator.reviews.services import assignment_approve, assignment_request_changes
from api.assignments import AssignmentSerializer
from api.jobs import JobSerializer, job_response
from api.lists import unknown_parameters_refuse
from api.representations import (
    AnnotationSerializer,
    RelationSerializer,
    annotation_data,
    id_field,
    relation_data,
)
from api.review_serializers import (
    ERRORS,
    AcceptedAgreedOutput,
    AgreementSerializer,
    BulkAssignInput,
    BulkAssignOutput,
    CorrectedRelationOutput,
    CorrectedSpanOutput,
    CorrectInput,
    GoldAcceptInput,
    GoldAcceptOutput,
    HistoryOutput,
    ProgressOutput,
    QueueOutput,
    ReasonInput,
    ReassignInput,
    RelationCorrectInput,
    RestoreInput,
    RestoreOutput,
    history_json,
    valid,
)

ID = r"(?P<pk>[0-9]+)"


class QueueQuery(serializers.Serializer):
    project = id_field(required=False)
    annotator = id_field(required=False)
    source = id_field(required=False)
    label = id_field(required=False)


DOCUMENT = r"documents/(?P<document_id>[0-9]+)"
PROJECT = r"projects/(?P<project_id>[0-9]+)"


class ReviewViewSet(viewsets.GenericViewSet):
    """Reviewing, adjudicating and auditing annotators' work."""

    serializer_class = ReasonInput  # each action declares its own input and output below
    queryset = Assignment.objects.none()
    pagination_class = None
    filter_backends = []

    # -- assignment lifecycle ---------------------------------------------------------
    @extend_schema(
        request=ReasonInput, responses={200: AssignmentSerializer, **ERRORS}, summary="Approve a layer"
    )
    @action(detail=False, methods=["post"], url_path=rf"assignments/{ID}/approve")
    def approve(self, request, pk=None):
        assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
        return Response(
            AssignmentSerializer(assignment_approve(assignment=assignment, reviewer=request.user)).data
        )

    @extend_schema(
        request=ReasonInput, responses={200: AssignmentSerializer, **ERRORS}, summary="Send a layer back"
    )
    @action(detail=False, methods=["post"], url_path=rf"assignments/{ID}/request-changes")
    def request_changes(self, request, pk=None):
        assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
        data = valid(ReasonInput, request.data)
        result = assignment_request_changes(
            assignment=assignment, reviewer=request.user, reason=data["reason"]
        )
        return Response(AssignmentSerializer(result).data)

    @extend_schema(request=ReassignInput, responses={201: AssignmentSerializer, **ERRORS}, summary="Reassign")
    @action(detail=False, methods=["post"], url_path=rf"assignments/{ID}/reassign")
    def reassign(self, request, pk=None):
        assignment = access_project_row(Assignment, request.user, pk, noun="Assignment")
        annotator_id = valid(ReassignInput, request.data)["annotator"]
        annotator = project_member_get(
            project_id=assignment.project_id, user_id=annotator_id, field="annotator"
        )
        new = assignment_reassign(assignment=assignment, annotator=annotator, manager=request.user)
        return Response(AssignmentSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkAssignInput, responses={201: BulkAssignOutput, **ERRORS}, summary="Round-robin"
    )
    @action(detail=False, methods=["post"], url_path="assignments/bulk")
    def bulk_assign(self, request):
        data = valid(BulkAssignInput, request.data)
        project, _ = access_project(user=request.user, project_id=data["project"], minimum=Role.MANAGER)
        annotators = [
            project_member_get(project_id=project.pk, user_id=pk, field="annotators")
            for pk in data["annotators"]
        ]
        documents = None
        if "documents" in data:
            documents = list(Document.objects.filter(pk__in=data["documents"], project=project))
            missing = sorted(set(data["documents"]) - {d.pk for d in documents})
            if missing:
                raise ApplicationError.field("documents", f"Documents {missing} are not in this project.")
        result = assignments_bulk_create(
            project=project,
            manager=request.user,
            annotators=annotators,
            overlap=data["overlap"],
            documents=documents,
        )
        return Response(result, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: ProgressOutput, **ERRORS}, summary="Progress per annotator and per document"
    )
    @action(detail=False, methods=["get"], url_path=rf"{PROJECT}/progress")
    def progress(self, request, project_id=None):
        project, _ = access_project(request.user, project_id, minimum=Role.MANAGER)
        body = {
            "annotators": progress_by_annotator(project=project),
            "documents": progress_by_document(project=project),
        }
        return Response(body)

    @extend_schema(
        parameters=[QueueQuery], responses={200: QueueOutput, **ERRORS},
        summary="The review queue: lowest agreement first, then oldest",
    )  # fmt: skip
    @action(detail=False, methods=["get"], url_path="queue")
    def queue(self, request):
        unknown_parameters_refuse(request, known=set(QueueQuery().fields))
        params = valid(QueueQuery, request.query_params)
        params = {k: params.get(k) for k in ("project", "annotator", "source", "label")}
        documents = review_queue(
            user=request.user,
            project_id=params["project"],
            annotator_id=params["annotator"],
            source_id=params["source"],
            label_id=params["label"],
        )[:200]
        return Response({"results": QueueOutput.rows(documents)})

    # -- span and relation review -----------------------------------------------------
    @extend_schema(
        request=ReasonInput, responses={200: AnnotationSerializer, **ERRORS}, summary="Accept a span"
    )
    @action(detail=False, methods=["post"], url_path=rf"annotations/{ID}/accept")
    def annotation_accept(self, request, pk=None):
        return self._span_decision(request, pk, "accept")

    @extend_schema(
        request=ReasonInput, responses={200: AnnotationSerializer, **ERRORS}, summary="Reject a span"
    )
    @action(detail=False, methods=["post"], url_path=rf"annotations/{ID}/reject")
    def annotation_reject(self, request, pk=None):
        return self._span_decision(request, pk, "reject")

    def _span_decision(self, request, pk, decision):
        span = access_project_row(Annotation, request.user, pk, noun="Span")
        data = valid(ReasonInput, request.data)
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
    @action(detail=False, methods=["post"], url_path=rf"annotations/{ID}/correct")
    def annotation_correct(self, request, pk=None):
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

    @extend_schema(
        request=ReasonInput, responses={200: RelationSerializer, **ERRORS}, summary="Accept a relation"
    )
    @action(detail=False, methods=["post"], url_path=rf"relations/{ID}/accept")
    def relation_accept(self, request, pk=None):
        return self._relation_decision(request, pk, "accept")

    @extend_schema(
        request=ReasonInput, responses={200: RelationSerializer, **ERRORS}, summary="Reject a relation"
    )
    @action(detail=False, methods=["post"], url_path=rf"relations/{ID}/reject")
    def relation_reject(self, request, pk=None):
        return self._relation_decision(request, pk, "reject")

    def _relation_decision(self, request, pk, decision):
        relation = access_project_row(Relation, request.user, pk, noun="Relation")
        data = valid(ReasonInput, request.data)
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
    @action(detail=False, methods=["post"], url_path=rf"relations/{ID}/correct")
    def relation_correct(self, request, pk=None):
        relation = access_project_row(Relation, request.user, pk, noun="Relation")
        data = valid(RelationCorrectInput, request.data)
        gold = decisions.relation_correct(
            relation=relation, reviewer=request.user, type=data["type"], reason=data["reason"]
        )
        relation.refresh_from_db()
        return Response({"original": relation_data(relation), "gold": relation_data(gold)})

    # -- adjudication -----------------------------------------------------------------
    @extend_schema(
        request=GoldAcceptInput, responses={201: GoldAcceptOutput, **ERRORS}, summary="Copy into gold"
    )
    @action(detail=False, methods=["post"], url_path=rf"{DOCUMENT}/gold/accept")
    def gold_accept(self, request, document_id=None):
        document = access_project_row(Document, request.user, document_id, noun="Document")
        data = valid(GoldAcceptInput, request.data)
        if "annotation" in data:
            span = access_project_row(Annotation, request.user, data["annotation"], noun="Span")
            _same_document(span, document, "annotation")
            gold = adjudication.gold_accept_annotation(annotation=span, reviewer=request.user)
            return Response({"annotation": annotation_data(gold)}, status=status.HTTP_201_CREATED)
        if "relation" in data:
            relation = access_project_row(Relation, request.user, data["relation"], noun="Relation")
            _same_document(relation, document, "relation")
            gold = adjudication.gold_accept_relation(relation=relation, reviewer=request.user)
            return Response({"relation": relation_data(gold)}, status=status.HTTP_201_CREATED)
        raise ApplicationError.field("annotation", "Name the annotation or the relation to accept.")

    @extend_schema(request=None, responses={200: AcceptedAgreedOutput, **ERRORS}, summary="Accept all agreed")
    @action(detail=False, methods=["post"], url_path=rf"{DOCUMENT}/gold/accept-agreed")
    def gold_accept_agreed(self, request, document_id=None):
        document = access_project_row(Document, request.user, document_id, noun="Document")
        return Response(adjudication.gold_accept_agreed(document=document, reviewer=request.user))

    # -- agreement --------------------------------------------------------------------
    @extend_schema(
        request=None,
        responses={200: AgreementSerializer(many=True), **ERRORS},
        summary="A document's agreement",
    )
    @action(detail=False, methods=["get", "post"], url_path=rf"{DOCUMENT}/agreement")
    def document_agreement(self, request, document_id=None):
        document = access_project_row(Document, request.user, document_id, noun="Document")
        access_project(user=request.user, project_id=document.project_id, minimum=Role.REVIEWER)
        if request.method == "POST":
            agreement_document_compute(document=document)
        rows = Agreement.objects.filter(document=document).select_related("label").order_by("label__code")
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(responses={200: AgreementSerializer(many=True), **ERRORS}, summary="A project's agreement")
    @action(detail=False, methods=["get"], url_path=rf"{PROJECT}/agreement")
    def project_agreement(self, request, project_id=None):
        project, _ = access_project(request.user, project_id, minimum=Role.REVIEWER)
        rows = (
            Agreement.objects.filter(project=project, document=None)
            .select_related("label")
            .order_by("label__code")
        )
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(
        request=None, responses={202: JobSerializer, **ERRORS}, summary="Recompute agreement (job)"
    )
    @action(detail=False, methods=["post"], url_path=rf"{PROJECT}/agreement/compute")
    def project_agreement_compute(self, request, project_id=None):
        project, _ = access_project(request.user, project_id, minimum=Role.REVIEWER)
        job = agreement_project_request(project=project, user=request.user)
        return job_response(job, request)

    # -- history ----------------------------------------------------------------------
    @extend_schema(responses={200: HistoryOutput, **ERRORS}, summary="A document's history, newest first")
    @action(detail=False, methods=["get"], url_path=rf"{DOCUMENT}/history")
    def document_history(self, request, document_id=None):
        document = access_project_row(Document, request.user, document_id, noun="Document")
        return Response(
            {"results": history_json(history.document_history(document=document, user=request.user))}
        )

    @extend_schema(responses={200: HistoryOutput, **ERRORS}, summary="One span's history (also once deleted)")
    @action(detail=False, methods=["get"], url_path=rf"annotations/{ID}/history")
    def span_history(self, request, pk=None):
        record = access_span_record(request.user, pk)
        return Response(
            {"results": history_json(history.span_history(annotation_id=record.id, user=request.user))}
        )

    @extend_schema(
        request=RestoreInput, responses={200: RestoreOutput, **ERRORS}, summary="Restore (managers)"
    )
    @action(detail=False, methods=["post"], url_path="history/restore")
    def restore(self, request):
        data = valid(RestoreInput, request.data)
        record = history.history_record(model=data["model"], history_id=data["history_id"])
        if user_role(user=request.user, project_id=record.project_id) is None:
            raise NotFound("History entry not found.")
        item = history.history_restore(
            model=data["model"], history_id=data["history_id"], manager=request.user
        )
        serialize = {
            "annotation": annotation_data,
            "relation": relation_data,
            "assignment": lambda a: AssignmentSerializer(a).data,
        }[data["model"]]
        return Response({data["model"]: serialize(item)})


def _same_document(item, document, field):
    if item.document_id != document.pk:
        raise ApplicationError.field(
            field, f"That {field} is in document {item.document_id}, not {document.pk}."
        )
