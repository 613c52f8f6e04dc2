"""Export endpoints: stream a document's or a project's argument maps, or start an export job.

``?format=`` names the export format here, so these views opt out of DRF's
``format`` content-negotiation override (which would read it as a renderer).
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation

from annotator.core.errors import ApplicationError
from annotator.interchange.exporters import EXPORTERS
from annotator.interchange.exports import export_selection_for, export_stream
from annotator.interchange.selection import STATUSES
from api.representations import id_field, parse_id


class IgnoreFormatParameter(DefaultContentNegotiation):
    """Always JSON for errors; the ``format`` query parameter belongs to the export."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


EXPORT_PARAMETERS = [
    OpenApiParameter(
        "format", OpenApiTypes.STR, enum=list(EXPORTERS), description="Export format (default native)"
    ),
    OpenApiParameter(
        "status", OpenApiTypes.STR, enum=list(STATUSES), description="Which layers (default all)"
    ),
    OpenApiParameter("annotator", OpenApiTypes.INT, description="Only this annotator's layer"),
    OpenApiParameter(
        "bom",
        OpenApiTypes.BOOL,
        description="CSV: start each file with a UTF-8 byte order mark (spreadsheets)",
    ),
]
EXPORT_RESPONSES = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, "application/ld+json"): OpenApiTypes.OBJECT,
    (200, "application/zip"): OpenApiTypes.BINARY,
}


class ExportJobInput(serializers.Serializer):
    format = serializers.ChoiceField(choices=list(EXPORTERS), default="native")
    status = serializers.ChoiceField(choices=list(STATUSES), default="all")
    annotator = id_field(required=False, allow_null=True)
    bom = serializers.BooleanField(
        required=False, default=False, help_text="CSV: start each file with a UTF-8 byte order mark"
    )


def export_params(request) -> dict:
    params = request.query_params
    annotator = params.get("annotator")
    annotator_id = parse_id(annotator) if annotator else None
    if annotator and annotator_id is None:
        raise ApplicationError.field("annotator", f"annotator must be a user id, not {annotator!r}.")
    bom = params.get("bom", "false").lower()
    if bom not in ("true", "false", "1", "0"):
        raise ApplicationError.field("bom", f"bom must be true or false, not {params.get('bom')!r}.")
    return {"format": params.get("format") or "native", "status": params.get("status") or "all",
            "annotator_id": annotator_id, "bom": bom in ("true", "1")}  # fmt: skip


def export_response(
    request, *, project_id: int, document_ids: list[int] | None = None
) -> StreamingHttpResponse:
    params = export_params(request)
    selection = export_selection_for(
        user=request.user, project_id=project_id, status=params["status"], annotator_id=params["annotator_id"],
        document_ids=document_ids, bom=params["bom"],
    )  # fmt: skip
    chunks, media_type, filename = export_stream(
        selection=selection, format=params["format"], base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = StreamingHttpResponse(chunks, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
