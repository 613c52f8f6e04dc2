"""Review endpoints under /api/v1/reviews/: lifecycle decisions, span and relation
review, adjudication (gold layer), agreement, history and restore.

Each action resolves its object, hides it from non-members (404), and calls one
service; the services enforce roles (403) and rules (400) with their messages.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.annotations.models import Annotation, Relation
from annotator.core.errors import ApplicationError, NotFound
from annotator.documents.models import Document
from annotator.projects.models import Label, LabelSubtype, Project, Role
from annotator.projects.selectors import project_access, user_role
from annotator.reviews import adjudication, decisions, history
from annotator.reviews.agreement_services import agreement_document_compute, agreement_project_request
from annotator.reviews.assigning import assignment_reassign, assignments_bulk_create
from annotator.reviews.models import Agreement, Assignment
from annotator.reviews.selectors import progress_by_annotator, progress_by_document, review_queue
from annotator.reviews.services import assignment_approve, assignment_request_changes
from api.assignments import AssignmentSerializer
from api.jobs import JobSerializer
from api.representations import ErrorSerializer, annotation_data, id_field, parse_id, relation_data

ERRORS = dict.fromkeys((400, 403, 404, 409), ErrorSerializer)


def _get(model, pk, user, noun: str):
    """The row, or NotFound when it does not exist or the caller is not a project member."""
    number = parse_id(pk)
    item = model.objects.filter(pk=number).first() if number else None
    if item is None or user_role(user=user, project_id=item.project_id) is None:
        raise NotFound(f"{noun} not found.")
    return item


def _valid(serializer_class, data) -> dict:
    payload = serializer_class(data=data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    version = serializers.IntegerField(required=False, min_value=1)


class ReassignInput(serializers.Serializer):
    annotator = id_field()


class BulkAssignInput(serializers.Serializer):
    project = id_field()
    annotators = serializers.ListField(child=id_field(), allow_empty=False, max_length=1000)
    overlap = serializers.IntegerField(min_value=1, max_value=100)
    documents = serializers.ListField(child=id_field(), required=False, max_length=100000)


class CorrectInput(serializers.Serializer):
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=0)
    label = id_field(required=False)
    subtype = id_field(required=False, allow_null=True)
    type = serializers.CharField(required=False, max_length=20)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class GoldAcceptInput(serializers.Serializer):
    annotation = id_field(required=False)
    relation = id_field(required=False)


class RestoreInput(serializers.Serializer):
    model = serializers.ChoiceField(choices=["annotation", "relation"])
    history_id = id_field()


class AgreementSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = (
            "project", "document", "label", "annotators", "pair_spans", "exact_matches", "overlap_matches",
            "exact_f1", "overlap_f1", "alpha", "units", "pairs", "computed_at",
        )  # fmt: skip

    def get_label(self, row) -> str | None:
        return row.label.code if row.label_id else None


def _history_json(entries) -> list[dict]:
    out = []
    for entry in entries:
        data = asdict(entry)
        data["changes"] = [{"field": f, "before": b, "after": a} for f, b, a in entry.changes]
        out.append(data)
    return out


class ReviewViewSet(viewsets.ViewSet):
    """Reviewing, adjudicating and auditing annotators' work."""

    # -- assignment lifecycle ------------------------------------------------
    @extend_schema(
        request=ReasonInput,
        responses={200: AssignmentSerializer, **ERRORS},
        summary="Approve a submitted layer",
    )
    @action(detail=False, methods=["post"], url_path=r"assignments/(?P<pk>[^/.]+)/approve")
    def approve(self, request, pk=None):
        assignment = _get(Assignment, pk, request.user, "Assignment")
        return Response(
            AssignmentSerializer(assignment_approve(assignment=assignment, reviewer=request.user)).data
        )

    @extend_schema(
        request=ReasonInput,
        responses={200: AssignmentSerializer, **ERRORS},
        summary="Send a layer back with a reason",
    )
    @action(detail=False, methods=["post"], url_path=r"assignments/(?P<pk>[^/.]+)/request-changes")
    def request_changes(self, request, pk=None):
        assignment = _get(Assignment, pk, request.user, "Assignment")
        data = _valid(ReasonInput, request.data)
        result = assignment_request_changes(
            assignment=assignment, reviewer=request.user, reason=data["reason"]
        )
        return Response(AssignmentSerializer(result).data)

    @extend_schema(
        request=ReassignInput, responses={201: AssignmentSerializer, **ERRORS}, summary="Reassign (managers)"
    )
    @action(detail=False, methods=["post"], url_path=r"assignments/(?P<pk>[^/.]+)/reassign")
    def reassign(self, request, pk=None):
        assignment = _get(Assignment, pk, request.user, "Assignment")
        annotator = _user(_valid(ReassignInput, request.data)["annotator"], "annotator")
        new = assignment_reassign(assignment=assignment, annotator=annotator, manager=request.user)
        return Response(AssignmentSerializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkAssignInput, responses={201: dict, **ERRORS}, summary="Round-robin assignment (managers)"
    )
    @action(detail=False, methods=["post"], url_path="assignments/bulk")
    def bulk_assign(self, request):
        data = _valid(BulkAssignInput, request.data)
        project, _ = project_access(user=request.user, project_id=data["project"], minimum=Role.MANAGER)
        annotators = [_user(pk, "annotators") for pk in data["annotators"]]
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

    @extend_schema(responses={200: dict, **ERRORS}, summary="Progress per annotator and per document")
    @action(detail=False, methods=["get"], url_path=r"projects/(?P<project_id>[^/.]+)/progress")
    def progress(self, request, project_id=None):
        project, _ = _project(request.user, project_id, Role.MANAGER)
        return Response(
            {
                "annotators": progress_by_annotator(project=project),
                "documents": progress_by_document(project=project),
            }
        )

    @extend_schema(
        responses={200: dict, **ERRORS}, summary="The review queue: lowest agreement first, then oldest"
    )
    @action(detail=False, methods=["get"], url_path="queue")
    def queue(self, request):
        params = {
            k: parse_id(request.query_params.get(k)) for k in ("project", "annotator", "source", "label")
        }
        documents = review_queue(
            user=request.user,
            project_id=params["project"],
            annotator_id=params["annotator"],
            source_id=params["source"],
            label_id=params["label"],
        )[:200]
        return Response(
            {
                "results": [
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
            }
        )

    # -- span and relation review -------------------------------------------
    @extend_schema(
        request=CorrectInput, responses={200: dict, **ERRORS}, summary="accept | reject | correct a span"
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=r"annotations/(?P<pk>[^/.]+)/(?P<decision>accept|reject|correct)",
    )
    def annotation_decision(self, request, pk=None, decision=None):
        span = _get(Annotation, pk, request.user, "Span")
        data = _valid(CorrectInput, request.data)
        if decision != "correct":
            version = (
                parse_id(request.data.get("version")) if request.data.get("version") is not None else None
            )
            result = decisions.annotation_review(
                annotation=span,
                reviewer=request.user,
                decision=decision,
                reason=data["reason"],
                version=version,
            )
            return Response(annotation_data(result))
        changes = {k: data[k] for k in ("start", "end") if k in data}
        if "label" in data:
            changes["label"] = _label(span.project_id, data["label"])
        if "subtype" in data:
            changes["subtype"] = _subtype(span.project_id, data["subtype"])
        gold = decisions.annotation_correct(
            annotation=span, reviewer=request.user, reason=data["reason"], **changes
        )
        span.refresh_from_db()
        return Response({"original": annotation_data(span), "gold": annotation_data(gold)})

    @extend_schema(
        request=CorrectInput, responses={200: dict, **ERRORS}, summary="accept | reject | correct a relation"
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=r"relations/(?P<pk>[^/.]+)/(?P<decision>accept|reject|correct)",
    )
    def relation_decision(self, request, pk=None, decision=None):
        relation = _get(Relation, pk, request.user, "Relation")
        data = _valid(CorrectInput, request.data)
        if decision != "correct":
            result = decisions.relation_review(
                relation=relation, reviewer=request.user, decision=decision, reason=data["reason"]
            )
            return Response(relation_data(result))
        if not data.get("type"):
            raise ApplicationError.field("type", "Say which relation type the correction has.")
        gold = decisions.relation_correct(
            relation=relation, reviewer=request.user, type=data["type"], reason=data["reason"]
        )
        relation.refresh_from_db()
        return Response({"original": relation_data(relation), "gold": relation_data(gold)})

    # -- adjudication -------------------------------------------------------
    @extend_schema(
        request=GoldAcceptInput, responses={201: dict, **ERRORS}, summary="Copy a span or relation into gold"
    )
    @action(detail=False, methods=["post"], url_path=r"documents/(?P<document_id>[^/.]+)/gold/accept")
    def gold_accept(self, request, document_id=None):
        document = _get(Document, document_id, request.user, "Document")
        data = _valid(GoldAcceptInput, request.data)
        if "annotation" in data:
            span = _get(Annotation, data["annotation"], request.user, "Span")
            _same_document(span, document, "annotation")
            gold = adjudication.gold_accept_annotation(annotation=span, reviewer=request.user)
            return Response({"annotation": annotation_data(gold)}, status=status.HTTP_201_CREATED)
        if "relation" in data:
            relation = _get(Relation, data["relation"], request.user, "Relation")
            _same_document(relation, document, "relation")
            gold = adjudication.gold_accept_relation(relation=relation, reviewer=request.user)
            return Response({"relation": relation_data(gold)}, status=status.HTTP_201_CREATED)
        raise ApplicationError.field("annotation", "Name the annotation or the relation to accept.")

    @extend_schema(
        request=None, responses={200: dict, **ERRORS}, summary="Accept everything all layers agree on"
    )
    @action(detail=False, methods=["post"], url_path=r"documents/(?P<document_id>[^/.]+)/gold/accept-agreed")
    def gold_accept_agreed(self, request, document_id=None):
        document = _get(Document, document_id, request.user, "Document")
        return Response(adjudication.gold_accept_agreed(document=document, reviewer=request.user))

    # -- agreement ----------------------------------------------------------
    @extend_schema(
        responses={200: AgreementSerializer(many=True), **ERRORS}, summary="A document's agreement"
    )
    @action(detail=False, methods=["get", "post"], url_path=r"documents/(?P<document_id>[^/.]+)/agreement")
    def document_agreement(self, request, document_id=None):
        document = _get(Document, document_id, request.user, "Document")
        project_access(user=request.user, project_id=document.project_id, minimum=Role.REVIEWER)
        if request.method == "POST":
            agreement_document_compute(document=document)
        rows = Agreement.objects.filter(document=document).select_related("label").order_by("label__code")
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(responses={200: AgreementSerializer(many=True), **ERRORS}, summary="A project's agreement")
    @action(detail=False, methods=["get"], url_path=r"projects/(?P<project_id>[^/.]+)/agreement")
    def project_agreement(self, request, project_id=None):
        project, _ = _project(request.user, project_id, Role.REVIEWER)
        rows = (
            Agreement.objects.filter(project=project, document=None)
            .select_related("label")
            .order_by("label__code")
        )
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(
        request=None,
        responses={202: JobSerializer, **ERRORS},
        summary="Recompute a project's agreement (job)",
    )
    @action(detail=False, methods=["post"], url_path=r"projects/(?P<project_id>[^/.]+)/agreement/compute")
    def project_agreement_compute(self, request, project_id=None):
        project, _ = _project(request.user, project_id, Role.REVIEWER)
        job = agreement_project_request(project=project, user=request.user)
        return Response(
            JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    # -- history ------------------------------------------------------------
    @extend_schema(responses={200: dict, **ERRORS}, summary="Who changed what on a document, newest first")
    @action(detail=False, methods=["get"], url_path=r"documents/(?P<document_id>[^/.]+)/history")
    def document_history(self, request, document_id=None):
        document = _get(Document, document_id, request.user, "Document")
        return Response(
            {"results": _history_json(history.document_history(document=document, user=request.user))}
        )

    @extend_schema(responses={200: dict, **ERRORS}, summary="One span's history (also once deleted)")
    @action(detail=False, methods=["get"], url_path=r"annotations/(?P<pk>[^/.]+)/history")
    def span_history(self, request, pk=None):
        number = parse_id(pk)
        record = Annotation.history.filter(id=number).order_by("-history_date").first() if number else None
        if record is None or user_role(user=request.user, project_id=record.project_id) is None:
            raise NotFound("Span not found.")
        return Response(
            {"results": _history_json(history.span_history(annotation_id=number, user=request.user))}
        )

    @extend_schema(
        request=RestoreInput, responses={200: dict, **ERRORS}, summary="Restore a span or relation (managers)"
    )
    @action(detail=False, methods=["post"], url_path="history/restore")
    def restore(self, request):
        data = _valid(RestoreInput, request.data)
        record = history.history_record(model=data["model"], history_id=data["history_id"])
        if user_role(user=request.user, project_id=record.project_id) is None:
            raise NotFound("History entry not found.")
        item = history.history_restore(
            model=data["model"], history_id=data["history_id"], manager=request.user
        )
        body = annotation_data(item) if data["model"] == "annotation" else relation_data(item)
        return Response({data["model"]: body})


def _user(pk, field):
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise ApplicationError.field(field, f"There is no user {pk}.")
    return user


def _project(user, project_id, minimum) -> tuple[Project, str]:
    number = parse_id(project_id)
    if number is None:
        raise NotFound("Project not found.")
    return project_access(user=user, project_id=number, minimum=minimum)


def _label(project_id, pk) -> Label:
    label = Label.objects.filter(pk=pk, project_id=project_id).first()
    if label is None:
        raise ApplicationError.field("label", f"Label {pk} is not a label of this project.")
    return label


def _subtype(project_id, pk) -> LabelSubtype | None:
    if pk is None:
        return None
    subtype = LabelSubtype.objects.filter(pk=pk, label__project_id=project_id).first()
    if subtype is None:
        raise ApplicationError.field("subtype", f"Subtype {pk} is not a subtype in this project.")
    return subtype


def _same_document(item, document, field):
    if item.document_id != document.pk:
        raise ApplicationError.field(
            field, f"That {field} is in document {item.document_id}, not {document.pk}."
        )
