"""``review-queue/``: documents waiting for review, lowest agreement first, then oldest."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.reviews.selectors import review_queue_page
from api.lists import unknown_parameters_refuse
from api.representations import id_field
from api.reviews.serializers import ERRORS, QueueOutput, valid


class QueueQuery(serializers.Serializer):
    project = id_field(required=False)
    annotator = id_field(required=False)
    source = id_field(required=False)
    label = id_field(required=False)


# An APIView, not a viewset: it answers one object, which a viewset's list would document as rows.
class ReviewQueueView(APIView):
    @extend_schema(
        parameters=[QueueQuery],
        responses={200: QueueOutput, **ERRORS},
        summary="The review queue: lowest agreement first, then oldest",
    )
    def get(self, request):
        unknown_parameters_refuse(request, known=set(QueueQuery().fields))
        params = valid(QueueQuery, request.query_params)
        documents = review_queue_page(user=request.user, filters=params)
        return Response({"results": QueueOutput.rows(documents)})
