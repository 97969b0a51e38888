"""Query parameters of the list APIs are validated like bodies (issue 10): an unknown
``stage`` or ``status``, an ``overdue`` that is not a yes or no, a ``year`` that is not a
number -> 400 naming the parameter, in the caller's language; never silently ignored.

One serializer per list declares its parameters once: the view validates the query with it
(:class:`ValidatedQuery`) and the schema lists them with their enums and types
(``extend_schema(parameters=[TheQuery])``), so clients and the fuzzer see what is allowed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class Flag(serializers.BooleanField):
    """``true``/``false`` (also ``1``/``0``); absent means false."""

    default_error_messages = {"invalid": _("Enter true or false.")}


class Choices(serializers.MultipleChoiceField):
    """One value or several, comma-separated (``?status=a,b``) or repeated (``?status=a&status=b``)."""

    def to_internal_value(self, data):
        values = [part.strip() for item in data for part in str(item).split(",") if part.strip()]
        return sorted(super().to_internal_value(values))


class QueryParameters(serializers.Serializer):
    """The base of a list's query: validates ``request.query_params``; parameters it does not
    declare (``cursor``, ``page_size``: the paginator's) pass through untouched."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ValidatedQuery:
    """For a generic API view: ``self.query`` is its ``query_parameters`` serializer's
    validated data (400 on the first read when invalid)."""

    query_parameters: type[QueryParameters]

    @property
    def query(self) -> dict:
        if not hasattr(self, "_query"):
            parameters = self.query_parameters(data=self.request.query_params)
            parameters.is_valid(raise_exception=True)
            self._query = parameters.validated_data
        return self._query


class Scope(serializers.ChoiceField):
    """``scope`` of a case list (API.md "Working the cases"): ``mine`` is assigned to the
    caller or to a colleague the caller substitutes for today; ``unassigned``: open cases
    without an executor; ``all`` (or absent): every case the caller may read."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "mine | unassigned | all")
        super().__init__(choices=["mine", "unassigned", "all"], allow_blank=True, **kwargs)
