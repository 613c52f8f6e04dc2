"""What every review viewset shares: no pagination or filters (each declares its own
input and output), integer path ids, and the path parameters of nested routes."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets

from annotator.reviews.models import Assignment
from api.reviews.serializers import ReasonInput

_ID = {"type": "integer", "minimum": 0}  # as api/schema.py documents every path id
DOCUMENT_PK = OpenApiParameter("document_pk", _ID, OpenApiParameter.PATH, description="The document's id")
PROJECT_PK = OpenApiParameter("project_pk", _ID, OpenApiParameter.PATH, description="The project's id")


class ReviewResource(viewsets.GenericViewSet):
    serializer_class = ReasonInput  # each action declares its own input and output
    queryset = Assignment.objects.none()  # never listed: views fetch through annotator/access.py
    pagination_class = None
    filter_backends = []
    lookup_value_regex = "[0-9]+"
