"""History (reviewers): a document's (``documents/{id}/history/``), one span's, also once
deleted (``annotations/{id}/history/``); managers restore an entry (``history/restore/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project_row, access_span_record
from annotator.core.errors import NotFound
from annotator.documents.models import Document
from annotator.projects.selectors import user_role
from annotator.reviews import history
from api.assignments import AssignmentSerializer
from api.representations import annotation_data, relation_data
from api.reviews.base import ReviewResource
from api.reviews.serializers import ERRORS, HistoryOutput, RestoreInput, RestoreOutput, history_json, valid

SERIALIZE = {
    "annotation": annotation_data,
    "relation": relation_data,
    "assignment": lambda a: AssignmentSerializer(a).data,
}


# An APIView, not a viewset: it answers one object, which a viewset's list would document as rows.
class DocumentHistoryView(APIView):
    @extend_schema(responses={200: HistoryOutput, **ERRORS}, summary="A document's history, newest first")
    def get(self, request, document_pk):
        document = access_project_row(Document, request.user, document_pk, noun="Document")
        return Response(
            {"results": history_json(history.document_history(document=document, user=request.user))}
        )


class SpanHistoryViewSet(ReviewResource):
    @extend_schema(responses={200: HistoryOutput, **ERRORS}, summary="One span's history (also once deleted)")
    @action(detail=True, methods=["get"], url_path="history")
    def span_history(self, request, pk=None):
        record = access_span_record(request.user, pk)
        entries = history.span_history(annotation_id=record.id, user=request.user)
        return Response({"results": history_json(entries)})


class HistoryRestoreViewSet(ReviewResource):
    @extend_schema(
        request=RestoreInput, responses={200: RestoreOutput, **ERRORS}, summary="Restore (managers)"
    )
    @action(detail=False, methods=["post"])
    def restore(self, request):
        data = valid(RestoreInput, request.data)
        record = history.history_record(model=data["model"], history_id=data["history_id"])
        if user_role(user=request.user, project_id=record.project_id) is None:
            raise NotFound("History entry not found.")
        item = history.history_restore(
            model=data["model"], history_id=data["history_id"], manager=request.user
        )
        return Response({data["model"]: SERIALIZE[data["model"]](item)})
