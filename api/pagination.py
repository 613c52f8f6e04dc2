from rest_framework import pagination
from rest_framework.exceptions import NotFound

from annotator.core.errors import ApplicationError


class CursorPagination(pagination.CursorPagination):
    """Stable, O(1)-per-page pagination for every list (newest id last)."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        # DRF answers a bad cursor with a bare 404 "Invalid cursor"; name the parameter instead.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ApplicationError.field(
                "cursor", "This cursor was not made by this list; follow the next or previous link as given."
            ) from None
