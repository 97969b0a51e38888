from __future__ import annotations

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    """Cursor pagination: stable under inserts and no COUNT(*) over large tables.

    Its parameters are validated like any other (issue 10): ``page_size`` must be a whole
    number from 1 to ``max_page_size`` and a ``cursor`` one this API handed out; anything
    else is a 400 naming the parameter (DRF would quietly use the default page size, and
    answer a malformed cursor with 404)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            return field.run_validation(raw)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.page_size_query_param: exc.detail}) from exc

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise serializers.ValidationError({self.cursor_query_param: [exc.detail]}) from exc
        # Every list here orders by a number first (id, year): a cursor whose position is not
        # one would reach the database as a malformed comparison (500).
        if cursor is not None and cursor.position is not None and not cursor.position.lstrip("-").isdigit():
            raise serializers.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
