from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable, O(1)-per-page pagination for every list (newest id last)."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
