"""Para 10: handing out the ready documents at the State Corporation.

"The result is handed out on presentation of the identity document (or a notarised power of
attorney of the representative)." The applicant's identity document number is checked against
the applicant's record; a representative brings their own identity document and the notarised
power of attorney (number, date, notary). Each hand-out is one append-only ``HandOut`` row and
one event row on the case.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, DocumentKind, HandOut, HandOutRecipient
from housing_aid import roles
from housing_aid.cases import record_event
from housing_aid.models import IssuedDocument

# The documents a State Corporation desk hands out (para 10): the results of the service.
HANDED_OUT_KINDS = (
    DocumentKind.ASSIGNMENT_NOTICE,
    DocumentKind.REFUSAL_NOTICE,
    DocumentKind.RETURN_NOTICE,
)


def may_hand_out(user) -> bool:
    return roles.has_role(user, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER)


def _same_number(a: str, b: str) -> bool:
    def norm(value: str) -> str:
        return re.sub(r"[\s\-№N#]", "", value or "").upper()

    return bool(norm(a)) and norm(a) == norm(b)


def hand_out(
    document: IssuedDocument,
    application: Application,
    user,
    *,
    recipient_kind: str,
    id_number: str,
    full_name: str = "",
    poa_number: str = "",
    poa_date: dt.date | None = None,
    notary: str = "",
) -> HandOut:
    """Record that ``document`` of ``application`` was handed out; ValidationError names the field.

    The caller has found ``application`` through the user (``selectors.application_for_detail``)
    and ``document`` among its documents.
    """
    if not may_hand_out(user):
        raise PermissionDenied(_("Only the State Corporation desk or the case officer hands out documents."))
    if document.object_id != application.pk or document.kind not in HANDED_OUT_KINDS:
        raise ValidationError({"__all__": [_("This document is not handed out at the desk.")]})
    errors: dict[str, list[str]] = {}
    id_number = (id_number or "").strip()
    applicant = application.applicant
    if recipient_kind == HandOutRecipient.APPLICANT:
        full_name = applicant.full_name
        if not id_number:
            errors["id_number"] = [_("Enter the number of the applicant's identity document.")]
        elif not (
            _same_number(id_number, application.id_document_number) or _same_number(id_number, applicant.iin)
        ):
            errors["id_number"] = [
                _(
                    "The identity document No. %(entered)s does not match the applicant's record. "
                    "Hand the documents out only to the applicant or to a representative with a "
                    "notarised power of attorney."
                )
                % {"entered": id_number}
            ]
    elif recipient_kind == HandOutRecipient.REPRESENTATIVE:
        full_name = (full_name or "").strip()
        if not full_name:
            errors["full_name"] = [_("Enter the representative's full name.")]
        if not id_number:
            errors["id_number"] = [_("Enter the number of the representative's identity document.")]
        if not (poa_number or "").strip():
            errors["poa_number"] = [_("Enter the number of the notarised power of attorney.")]
        if poa_date is None:
            errors["poa_date"] = [_("Enter the date of the power of attorney.")]
        elif poa_date > timezone.localdate():
            errors["poa_date"] = [_("The power of attorney cannot be dated in the future.")]
        if not (notary or "").strip():
            errors["notary"] = [_("Enter the notary who certified the power of attorney.")]
    else:
        errors["recipient_kind"] = [_("Choose who receives the documents.")]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        try:
            with transaction.atomic():
                row = HandOut.objects.create(
                    application=locked,
                    document=document,
                    recipient_kind=recipient_kind,
                    full_name=full_name,
                    id_number=id_number,
                    poa_number=(poa_number or "").strip()
                    if recipient_kind == HandOutRecipient.REPRESENTATIVE
                    else "",
                    poa_date=poa_date if recipient_kind == HandOutRecipient.REPRESENTATIVE else None,
                    notary=(notary or "").strip()
                    if recipient_kind == HandOutRecipient.REPRESENTATIVE
                    else "",
                    handed_out_by=user,
                    handed_out_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError({"__all__": [_("This document has already been handed out.")]}) from None
        data = {"document": document.number, "kind": document.kind, "recipient_kind": recipient_kind}
        if recipient_kind == HandOutRecipient.REPRESENTATIVE:
            data.update(
                {"poa_number": row.poa_number, "poa_date": row.poa_date.isoformat(), "notary": row.notary}
            )
        record_event(
            locked,
            "hand_out",
            locked.status,
            locked.status,
            user,
            reason=full_name,
            data=data,
        )
    return row
