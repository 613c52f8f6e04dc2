from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from annotator.core.errors import ApplicationError

TRUE, FALSE = {"true", "1"}, {"false", "0", ""}


class CursorPagination(pagination.CursorPagination):
    """Stable, O(1)-per-page pagination for every list (by id unless ?ordering= says otherwise).

    ``page_size`` must be a whole number from 1 to 1000 (a 400 otherwise, never silently
    capped); ``count=true`` adds the number of rows matching the filters (one COUNT query).
    """

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    count_query_param = "count"
    query_parameters = ("cursor", "page_size", "count")

    def paginate_queryset(self, queryset, request, view=None):
        self.total = queryset.count() if self._count_requested(request) else None
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() else None
        if size is None or not 1 <= size <= self.max_page_size:
            raise ApplicationError.field(
                "page_size", f"page_size must be a whole number from 1 to {self.max_page_size}, not {raw!r}."
            )
        return size

    def _count_requested(self, request) -> bool:
        raw = request.query_params.get(self.count_query_param, "").lower()
        if raw not in TRUE | FALSE:
            raise ApplicationError.field("count", f"count must be true or false, not {raw!r}.")
        return raw in TRUE

    def decode_cursor(self, request):
        # DRF answers a bad cursor with a bare 404 "Invalid cursor"; name the parameter instead.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ApplicationError.field(
                "cursor", "This cursor was not made by this list; follow the next or previous link as given."
            ) from None

    def get_paginated_response(self, data):
        body = {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        if self.total is not None:
            body["count"] = self.total
        return Response(body)

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count"] = {
            "type": "integer",
            "description": "Rows matching the filters; only with ?count=true",
        }
        return result

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = (
                    f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})"
                )
        parameters.append(
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": "true: add `count`, the number of rows matching the filters",
                "schema": {"type": "boolean"},
            }
        )
        return parameters
