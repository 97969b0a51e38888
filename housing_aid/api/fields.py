from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers


class MoneyField(serializers.DecimalField):
    """KZT as a decimal string with two places: ``"134561.70"``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)


class HistorySerializer(serializers.Serializer):
    """A case event as API.md's history item."""

    def to_representation(self, event):
        return {
            "from": event.from_state or None,
            "to": event.to_state,
            "transition": event.transition,
            "at": serializers.DateTimeField().to_representation(event.at),
            "by": event.actor_name,
            "reason": event.reason,
        }


class DocumentRefSerializer(serializers.Serializer):
    def to_representation(self, document):
        from django.urls import reverse

        request = self.context.get("request")
        url = reverse("api_document_pdf", args=[document.number])
        return {
            "kind": document.kind,
            "number": document.number,
            "url": request.build_absolute_uri(url) if request else url,
            "sha256": document.sha256,
            "issued_at": serializers.DateTimeField().to_representation(document.issued_at),
        }
