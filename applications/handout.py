"""Para 10: handing out the ready documents at the State Corporation, as a declared action.

"The result is handed out on presentation of the identity document (or a notarised power of
attorney of the representative)." The applicant's identity document number is checked against
the applicant's record; a representative brings their own identity document and the notarised
power of attorney (number, date, notary). Each hand-out is one append-only ``HandOut`` row and
one event row on the case, written by the runner (``applications.actions``, ``hand_out``).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from applications.models import Application, HandOut, HandOutRecipient
from housing_aid import roles
from housing_aid.documents import documents_of
from housing_aid.widgets import DATE_INPUT_FORMATS

# The documents a State Corporation desk hands out (para 10): the results of the service.
HANDED_OUT_KINDS = Application.RESULT_DOCUMENT_KINDS
HAND_OUT_ROLES = (roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER)


def may_hand_out(user) -> bool:
    return roles.has_role(user, *HAND_OUT_ROLES)


def _same_number(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"[\s\-№N#]", "", value or "").upper()

    return bool(norm(a)) and norm(a) == norm(b)


class OptionalDate(serializers.DateField):
    """A date typed dd.mm.yyyy on the desk; an empty box is no date."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter the date as dd.mm.yyyy, for example 15.03.1985.")
    }

    def __init__(self, **kwargs):
        super().__init__(
            input_formats=DATE_INPUT_FORMATS, required=False, allow_null=True, default=None, **kwargs
        )

    def to_internal_value(self, value):
        if value in ("", None):
            return None
        return super().to_internal_value(value)


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length)


class HandOutBody(serializers.Serializer):
    """Who receives which ready document; every missing or mismatching detail names its field."""

    document = serializers.CharField()
    recipient_kind = serializers.ChoiceField(
        choices=HandOutRecipient.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Choose who receives the documents."),
            "required": gettext_lazy("Choose who receives the documents."),
        },
    )
    id_number = _text(64)
    full_name = _text(255)
    poa_number = _text(64)
    poa_date = OptionalDate()
    notary = _text(255)

    def validate_document(self, number: str):
        document = documents_of(self.context["case"]).filter(number=number).first()
        if document is None or document.kind not in HANDED_OUT_KINDS:
            raise serializers.ValidationError(_("This document is not handed out at the desk."))
        return document

    def validate(self, attrs):
        attrs = {key: value.strip() if isinstance(value, str) else value for key, value in attrs.items()}
        if attrs["recipient_kind"] == HandOutRecipient.APPLICANT:
            errors = self._applicant_errors(attrs)
        else:
            errors = self._representative_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _applicant_errors(self, attrs) -> dict:
        application = self.context["case"]
        applicant = application.applicant
        attrs.update(full_name=applicant.full_name, poa_number="", poa_date=None, notary="")
        id_number = attrs["id_number"]
        if not id_number:
            return {"id_number": [_("Enter the number of the applicant's identity document.")]}
        if not (
            _same_number(id_number, application.id_document_number) or _same_number(id_number, applicant.iin)
        ):
            message = _(
                "The identity document No. %(entered)s does not match the applicant's record. "
                "Hand the documents out only to the applicant or to a representative with a "
                "notarised power of attorney."
            )
            return {"id_number": [message % {"entered": id_number}]}
        return {}

    def _representative_errors(self, attrs) -> dict:
        errors = {}
        if not attrs["full_name"]:
            errors["full_name"] = [_("Enter the representative's full name.")]
        if not attrs["id_number"]:
            errors["id_number"] = [_("Enter the number of the representative's identity document.")]
        if not attrs["poa_number"]:
            errors["poa_number"] = [_("Enter the number of the notarised power of attorney.")]
        if attrs["poa_date"] is None:
            errors["poa_date"] = [_("Enter the date of the power of attorney.")]
        elif attrs["poa_date"] > timezone.localdate():
            errors["poa_date"] = [_("The power of attorney cannot be dated in the future.")]
        if not attrs["notary"]:
            errors["notary"] = [_("Enter the notary who certified the power of attorney.")]
        return errors


def hand_out(application, user, data, from_state) -> HandOut:
    """The ``HandOut`` row of the locked application (the runner writes the event)."""
    fields = ("recipient_kind", "full_name", "id_number", "poa_number", "poa_date", "notary")
    try:
        with transaction.atomic():
            return HandOut.objects.create(
                application=application,
                document=data["document"],
                handed_out_by=user,
                handed_out_at=timezone.now(),
                **{name: data[name] for name in fields},
            )
    except IntegrityError:
        raise serializers.ValidationError(
            {"document": [_("This document has already been handed out.")]}
        ) from None


def event_data(application, data) -> dict:
    document = data["document"]
    out = {"document": document.number, "kind": document.kind, "recipient_kind": data["recipient_kind"]}
    if data["recipient_kind"] == HandOutRecipient.REPRESENTATIVE:
        out.update(
            {
                "poa_number": data["poa_number"],
                "poa_date": data["poa_date"].isoformat(),
                "notary": data["notary"],
            }
        )
    return out
