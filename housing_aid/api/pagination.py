from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    """Cursor pagination: stable under inserts and no COUNT(*) over large tables."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"
