from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from housing_aid import workdays
from housing_aid.middleware import outside_calendar_message


class MoneyField(serializers.DecimalField):
    """KZT as a decimal string with two places: ``"134561.70"``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("coerce_to_string", True)
        super().__init__(**kwargs)


class ReceivedAtField(serializers.DateTimeField):
    """When a case was received: a date-time the working-day calendar covers. Outside it -> 400
    under the field; at its far ends (the year 1, the year 9999) the conversion to UTC overflowed
    (500) before the calendar was ever asked."""

    default_error_messages = {"overflow": lazy(outside_calendar_message, str)()}

    def to_internal_value(self, value):
        try:
            received = super().to_internal_value(value)
            year = timezone.localtime(received).year
            received.astimezone(dt.UTC)
        except OverflowError:
            raise serializers.ValidationError(outside_calendar_message()) from None
        if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
            raise serializers.ValidationError(outside_calendar_message())
        return received


@extend_schema_field({"type": "string"})
class UsernameField(serializers.SlugRelatedField):
    """A staff member on a case (its executor, the official complained about) as the API names
    them: their login, or null when there is none."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, allow_null=True, **kwargs)


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

        from housing_aid.eds.services import signature_of

        request = self.context.get("request")
        url = reverse("api_document_pdf", args=[document.number])
        return {
            "kind": document.kind,
            "number": document.number,
            "url": request.build_absolute_uri(url) if request else url,
            "sha256": document.sha256,
            "issued_at": serializers.DateTimeField().to_representation(document.issued_at),
            **({"signature": signature_of(document)} if document.signed_at else {}),
        }


class CaseDetailMixin(serializers.Serializer):
    """What every case's detail answer carries (API.md): the caller's allowed transitions,
    the history from the event log (oldest first) and the issued documents."""

    available_transitions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    def get_available_transitions(self, obj) -> list[str]:
        request = self.context.get("request")
        return obj.available_transitions_for(request.user) if request else []

    def get_history(self, obj) -> list[dict]:
        from housing_aid import roles
        from housing_aid.casework.services import INTERNAL_EVENT_TYPES

        events = obj.events()
        request = self.context.get("request")
        if request is None or roles.role_of(request.user) == roles.Role.PORTAL:
            # Internal work (notes, who is the executor) is for the provider's staff only.
            events = events.exclude(transition__in=INTERNAL_EVENT_TYPES)
        return HistorySerializer(events, many=True).data

    def get_documents(self, obj) -> list[dict]:
        from housing_aid.documents import documents_of

        return DocumentRefSerializer(documents_of(obj), many=True, context=self.context).data


class WarningSerializer(serializers.Serializer):
    """A create answer's warning (API.md "Working the cases"): it registers the case anyway."""

    code = serializers.CharField(
        help_text="open_case_elsewhere, funds_exhausted, birth_date_differs_from_iin, ..."
    )
    message = serializers.CharField(help_text="in the caller's language")
    number = serializers.CharField(required=False, help_text="open_case_elsewhere: the open case's number")


def created(serializer_class):
    """The 201 answer of a create: the case as its detail shows it, plus ``warnings`` (always
    present, empty when there are none), so the schema names what every answer carries."""
    return type(
        serializer_class.__name__.replace("Serializer", "") + "CreatedSerializer",
        (serializer_class,),
        {
            "warnings": WarningSerializer(many=True, read_only=True),
            "Meta": type(
                "Meta", (serializer_class.Meta,), {"fields": [*serializer_class.Meta.fields, "warnings"]}
            ),
        },
    )
