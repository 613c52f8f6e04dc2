"""A document's gold layer: ``documents/{id}/gold/accept/`` copies one span or relation into
it, ``documents/{id}/gold/accept-agreed/`` every span and relation the annotators agree on."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from annotator.access import access_project_row
from annotator.annotations.models import Annotation, Relation
from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.reviews import accept_agreed, adjudication
from api.representations import annotation_data, relation_data
from api.reviews.base import DOCUMENT_PK, ReviewResource
from api.reviews.serializers import ERRORS, AcceptedAgreedOutput, GoldAcceptInput, GoldAcceptOutput, valid


def _same_document(item, document, field):
    if item.document_id != document.pk:
        raise ApplicationError.field(
            field, f"That {field} is in document {item.document_id}, not {document.pk}."
        )


@extend_schema(parameters=[DOCUMENT_PK])
class DocumentGoldViewSet(ReviewResource):
    @extend_schema(
        request=GoldAcceptInput, responses={201: GoldAcceptOutput, **ERRORS}, summary="Copy into gold"
    )
    @action(detail=False, methods=["post"])
    def accept(self, request, document_pk=None):
        document = access_project_row(Document, request.user, document_pk, noun="Document")
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
    @action(detail=False, methods=["post"], url_path="accept-agreed")
    def accept_agreed(self, request, document_pk=None):
        document = access_project_row(Document, request.user, document_pk, noun="Document")
        return Response(accept_agreed.gold_accept_agreed(document=document, reviewer=request.user))
