"""Use cases of the housing-assistance service: everything that changes state.

Intake (para 6-7, 9.1), the transitions of para 9 through ``housing_aid.cases.run_transition``,
the calculation of the monthly amount and the documents issued at each step.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import parameters as ha
from applications.models import (
    FROM_REGISTRIES_ALLOWED,
    Application,
    ApplicationStatus,
    Calculation,
    Channel,
    DocumentCode,
    DocumentKind,
    DraftDecision,
    FamilyMember,
    RefusalGround,
    Stage,
    Tenure,
)
from housing_aid import documents, roles, workdays
from housing_aid.cases import (
    next_number,
    open_stage,
    record_event,
)
from housing_aid.eds import services as eds
from housing_aid.identifiers import iin_birth_date, normalise_iban, validate_iban, validate_iin
from housing_aid.models import Person, ServiceProvider
from housing_aid.parameters import int_value_on
from housing_aid.persons import open_cases_elsewhere

S = ApplicationStatus
logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


class InvalidInput(ValidationError):
    """A ValidationError that keeps the nested shape of API.md's 400 body in ``nested``.

    Django's ValidationError cannot nest dicts; screens read the flat messages, the API
    answers with ``nested``.
    """

    def __init__(self, errors: dict[str, Any]):
        self.nested = errors
        super().__init__({key: _flatten(value) for key, value in errors.items()})


def _flatten(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(m) for v in value.values() for m in _flatten(v)]
    if isinstance(value, list | tuple):
        return [str(m) for v in value for m in _flatten(v)]
    return [str(value)]


# -- the checklist of para 6 -----------------------------------------------------


def required_documents(channel: str, tenure: str, is_reapplication: bool) -> list[str]:
    """The documents para 6 asks for, in the order of the Rules."""
    if is_reapplication:
        # para 6: a family re-applying presents only income documents and utility bills.
        return [DocumentCode.FAMILY_INCOME, DocumentCode.UTILITY_BILLS]
    codes = [code for code, _label in DocumentCode.choices if code != DocumentCode.RENT_INVOICE]
    if channel == Channel.PORTAL:
        # para 6.2: on the portal the identity comes from the information systems (EDS request).
        codes.remove(DocumentCode.IDENTITY)
    if tenure == Tenure.LEB_PRIVATE_RENTAL:
        codes.append(DocumentCode.RENT_INVOICE)
    return [str(c) for c in codes]


def find_missing_documents(
    presented: list[str], from_registries: list[str], channel: str, tenure: str, is_reapplication: bool
) -> list[str]:
    have = set(presented) | (set(from_registries) & set(FROM_REGISTRIES_ALLOWED))
    return [code for code in required_documents(channel, tenure, is_reapplication) if code not in have]


def document_labels(codes: list[str]) -> list[str]:
    labels = dict(DocumentCode.choices)
    return [str(labels.get(code, code)) for code in codes]


# -- intake --------------------------------------------------------------------


@dataclass
class IntakeData:
    """What the desk form and the API hand to :func:`submit_application` (already parsed)."""

    provider: ServiceProvider
    channel: str
    applicant: dict[str, Any]
    tenure: str
    address: str
    received_at: dt.datetime | None = None
    is_reapplication: bool = False
    family_members: list[dict[str, Any]] = field(default_factory=list)
    iban: str = ""
    bank_name: str = ""
    consent: bool = False
    documents: list[str] = field(default_factory=list)
    documents_from_registries: list[str] = field(default_factory=list)
    language: str = "ru"


def _check_intake_permission(user, data: IntakeData) -> None:
    role = roles.role_of(user)
    if role == roles.Role.INTAKE_CLERK:
        if data.channel != Channel.STATE_CORPORATION:
            raise ValidationError(
                {"channel": [_("An intake clerk registers applications of the State Corporation.")]}
            )
        if not roles.works_for(user, data.provider.pk):
            raise ValidationError(
                {"provider": [_("You do not take applications for this service provider.")]}
            )
    elif role == roles.Role.PORTAL:
        if data.channel != Channel.PORTAL:
            raise ValidationError({"channel": [_("The portal account submits on the portal channel only.")]})
    else:
        raise PermissionDenied(_("Only an intake clerk or the portal submits applications."))


def _validate_intake(data: IntakeData, now: dt.datetime) -> dict[str, list[str]]:
    errors: dict[str, Any] = {}
    if data.received_at is not None and data.received_at > now:
        errors["received_at"] = [_("The date of receipt cannot be in the future.")]
    if not data.consent:
        errors["consent"] = [_("The applicant's consent to the use of protected information is required.")]
    applicant_errors = {}
    try:
        validate_iin(data.applicant.get("iin", ""))
    except ValidationError as exc:
        applicant_errors["iin"] = list(exc.messages)
    for name in ("last_name", "first_name"):
        if not (data.applicant.get(name) or "").strip():
            applicant_errors[name] = [_("This field is required.")]
    today = timezone.localdate(now)
    birth_date = data.applicant.get("birth_date")
    if birth_date and birth_date > today:
        applicant_errors["birth_date"] = [_("The date of birth cannot be in the future.")]
    if not data.address.strip():
        applicant_errors["address"] = [_("This field is required.")]
    if applicant_errors:
        errors["applicant"] = applicant_errors
    if data.iban:
        try:
            validate_iban(data.iban)
        except ValidationError as exc:
            errors["bank_account"] = {"iban": list(exc.messages)}
    unknown = [c for c in data.documents + data.documents_from_registries if c not in DocumentCode.values]
    if unknown:
        errors["documents"] = [_("Unknown document codes: %(codes)s") % {"codes": ", ".join(unknown)}]
    family_errors = []
    for member in data.family_members:
        member_errors = {}
        if member.get("birth_date") and member["birth_date"] > today:
            member_errors["birth_date"] = [_("The date of birth cannot be in the future.")]
        if member.get("iin"):
            try:
                validate_iin(member["iin"])
            except ValidationError as exc:
                member_errors["iin"] = list(exc.messages)
        family_errors.append(member_errors)
    if any(family_errors):
        errors["family_members"] = family_errors
    return errors


def _upsert_person(applicant: dict[str, Any]) -> Person:
    """One record per IIN across applications; the latest intake refreshes the contact data."""
    defaults = {
        "last_name": applicant["last_name"].strip(),
        "first_name": applicant["first_name"].strip(),
        "patronymic": (applicant.get("patronymic") or "").strip(),
        "address": (applicant.get("address") or "").strip(),
        "phone": applicant.get("phone") or "",
        "email": applicant.get("email") or "",
    }
    if applicant.get("birth_date"):
        defaults["birth_date"] = applicant["birth_date"]
    person, _created = Person.objects.update_or_create(iin=applicant["iin"], defaults=defaults)
    return person


def submit_application(data: IntakeData, user) -> Application:
    """Take an application at the desk or from the portal (para 6, 7, 9.1).

    Complete package: registered, with its term (Appendix 2) and the review stage.
    Incomplete at the State Corporation: kept as ``rejected_at_intake`` with the
    refusal receipt (Appendix 3). Incomplete on the portal: a ``ValidationError``
    naming the missing documents, nothing saved.
    """
    _check_intake_permission(user, data)
    now = timezone.now()
    errors = _validate_intake(data, now)
    if errors:
        raise InvalidInput(errors)
    received_at = data.received_at or now
    missing = find_missing_documents(
        data.documents, data.documents_from_registries, data.channel, data.tenure, data.is_reapplication
    )
    if missing and data.channel == Channel.PORTAL:
        raise ValidationError(
            {
                "documents": [
                    _("The package is incomplete. Missing: %(names)s.")
                    % {"names": "; ".join(document_labels(missing))}
                ]
            }
        )
    if not missing and not data.iban:
        # InvalidInput: a plain ValidationError cannot nest dicts (it raised AttributeError, a 500)
        raise InvalidInput(
            {"bank_account": {"iban": [_("The IBAN of the account for the payments is required.")]}}
        )

    with transaction.atomic():
        person = _upsert_person({**data.applicant, "address": data.address})
        if missing:
            status = S.REJECTED_AT_INTAKE
            registered_on = None
            year = timezone.localdate(received_at).year
        else:
            status = S.REGISTERED
            registered_on = workdays.registration_date(received_at, data.provider)
            year = registered_on.year
        application = Application(
            status=status,
            number=next_number(data.provider, Application.NUMBER_SERIES, year),
            provider=data.provider,
            received_at=received_at,
            registered_on=registered_on,
            channel=data.channel,
            is_reapplication=data.is_reapplication,
            applicant=person,
            address=data.address.strip(),
            tenure=data.tenure,
            id_document_number=data.applicant.get("id_document_number", ""),
            id_document_issuer=data.applicant.get("id_document_issuer", ""),
            phone=data.applicant.get("phone") or "",
            email=data.applicant.get("email") or "",
            bank_iban=normalise_iban(data.iban),
            bank_name=data.bank_name,
            consent=data.consent,
            documents_presented=sorted(set(data.documents)),
            documents_from_registries=sorted(
                set(data.documents_from_registries) & set(FROM_REGISTRIES_ALLOWED)
            ),
            missing_documents=missing,
            language=data.language if data.language in ("ru", "kk") else "ru",
            created_by=user,
        )
        if registered_on is not None:
            # Appendix 2 and para 9: the terms in force on the registration date.
            application.due_date = workdays.add_working_days(
                registered_on, int_value_on(ha.TERM_TOTAL, registered_on, data.provider)
            )
            application.review_due_on = workdays.add_working_days(
                registered_on, int_value_on(ha.TERM_REVIEW, registered_on, data.provider)
            )
        else:
            application.closed_at = now
        application.save()
        FamilyMember.objects.bulk_create(
            FamilyMember(
                application=application,
                full_name=m["full_name"].strip(),
                iin=m.get("iin") or "",
                birth_date=m.get("birth_date"),
                relationship=m["relationship"],
                social_status=m.get("social_status") or "",
            )
            for m in data.family_members
        )
        if registered_on is not None:
            record_event(application, "register", "", status, user, data={"channel": data.channel})
            open_stage(application, Stage.REVIEW, registered_on, application.review_due_on)
        else:
            record_event(
                application,
                "reject_at_intake",
                "",
                status,
                user,
                reason="; ".join(document_labels(missing)),
                data={"missing_documents": missing},
            )
        transaction.on_commit(lambda: documents.enqueue_documents(application, user))
    return application


def intake_warnings(application: Application) -> list[dict[str, str]]:
    """API.md "Working the cases": an open case of the same service for the same IIN elsewhere;
    and a birth date the IIN does not encode (since 2013 that can be right: a warning, never a refusal)."""
    warnings = []
    person = application.applicant
    suggested = iin_birth_date(person.iin)
    if person.birth_date and suggested and person.birth_date != suggested:
        warnings.append(
            {
                "code": "birth_date_differs_from_iin",
                "message": _("The IIN suggests the date of birth %(date)s: check the identity document.")
                % {"date": suggested.strftime("%d.%m.%Y")},
            }
        )
    return warnings + [
        {
            "code": "open_case_elsewhere",
            "message": _("This IIN already has an open application %(number)s at %(provider)s.")
            % {"number": other.number, "provider": other.provider.name},
            "number": other.number,
        }
        for other in open_cases_elsewhere(Application, application.applicant.iin, exclude=application)
    ]


# -- actions -------------------------------------------------------------------


def transition(
    application: Application, name: str, user, data: dict | None = None, *, expected_status: str | None = None
) -> Application:
    """Run the declared action ``name`` (``applications.actions``) with the body ``data``."""
    from applications.actions import ACTIONS
    from housing_aid.actions import run_action

    return run_action(ACTIONS, application, name, user, data, expected_status=expected_status).case


# -- documents -----------------------------------------------------------------


def due_document_kinds(app: Application) -> list[str]:
    """The documents the case's state calls for, in the order they are issued."""
    if app.status == S.REJECTED_AT_INTAKE:
        return [DocumentKind.INTAKE_REFUSAL_RECEIPT]
    kinds = [DocumentKind.APPLICATION_FORM]
    if app.channel == Channel.STATE_CORPORATION:
        kinds.append(DocumentKind.ACCEPTANCE_RECEIPT)
    final = {
        S.RETURNED_INCOMPLETE: DocumentKind.RETURN_NOTICE,
        S.ASSIGNED: DocumentKind.ASSIGNMENT_NOTICE,
        S.REFUSED: DocumentKind.REFUSAL_NOTICE,
    }.get(app.status)
    if final is not None:
        kinds.append(final)
    return [str(k) for k in kinds]


def _full_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def issue_due_documents(app: Application, user=None) -> list:
    """Issue what the state calls for and is not issued yet; safe to run twice (the document
    job ``housing_aid.tasks.issue_case_documents`` calls it after commit)."""
    app = Application.objects.select_related("provider", "applicant", "signed_by", "created_by").get(
        pk=app.pk
    )
    issued = set(documents.documents_of(app).values_list("kind", flat=True))
    out = []
    for kind in due_document_kinds(app):
        if kind in issued:
            continue
        signer = ""
        if kind in (DocumentKind.RETURN_NOTICE, DocumentKind.ASSIGNMENT_NOTICE, DocumentKind.REFUSAL_NOTICE):
            signer = _full_name(app.signed_by)
        elif kind in (DocumentKind.ACCEPTANCE_RECEIPT, DocumentKind.INTAKE_REFUSAL_RECEIPT):
            signer = _full_name(app.created_by)
        context = pdf_context(app)
        if kind == DocumentKind.INTAKE_REFUSAL_RECEIPT:
            # Appendix 3: "made in 2 copies, one for each party".
            context["copies"] = [
                gettext_lazy("Copy 1: for the service recipient"),
                gettext_lazy("Copy 2: for the State Corporation"),
            ]
        out.append(
            documents.issue_document(
                app,
                kind,
                f"applications/pdf/{kind}.html",
                context,
                language=app.language,
                user=user,
                title=str(dict(DocumentKind.choices)[kind]),
                signed_by_name=signer,
            )
        )
    return out


def in_para6_order(codes) -> list:
    """Document labels in the order para 6 lists them, whatever order they were stored in."""
    labels = dict(DocumentCode.choices)
    order = {code: i for i, code in enumerate(DocumentCode.values)}
    return [labels.get(c, c) for c in sorted(codes or [], key=lambda c: (order.get(c, len(order)), c))]


SIGNED_KINDS = {
    S.RETURN_DRAFTED: DocumentKind.RETURN_NOTICE,
    DraftDecision.ASSIGNMENT: DocumentKind.ASSIGNMENT_NOTICE,
    DraftDecision.REFUSAL: DocumentKind.REFUSAL_NOTICE,
}


def signed_document_spec(app: Application) -> eds.SignedDocumentSpec:
    """The notice the head's ``sign`` issues in the case's current state (para 9.2-9.3)."""
    kind = SIGNED_KINDS[S.RETURN_DRAFTED if app.status == S.RETURN_DRAFTED else app.draft_decision]
    return eds.SignedDocumentSpec(
        kind=str(kind),
        template_name=f"applications/pdf/{kind}.html",
        context=pdf_context(app),
        title=str(dict(DocumentKind.choices)[kind]),
        language=app.language,
    )


eds.register(Application, signed_document_spec)


def _calculation_of(app: Application) -> Calculation | None:
    """The case's calculation: the one read with the case (``select_related``), else a query."""
    if Application.calculation.is_cached(app):
        return getattr(app, "calculation", None)
    return Calculation.objects.filter(application=app).first()


def calculation_lines(app: Application) -> tuple[Calculation | None, list[dict]]:
    """The case's calculation and its payment lines with their names (the case page and the
    notices show them)."""
    calculation = _calculation_of(app)
    if calculation is None:
        return None, []
    # lazy: the PDF renders in the document's language, not the caller's
    names = {
        "maintenance": gettext_lazy("Building maintenance"),
        "utilities": gettext_lazy("Utilities"),
        "telecom": gettext_lazy("Telecom subscription-fee increment"),
        "rent": gettext_lazy("Rent of state or akimat-rented housing"),
    }
    return calculation, [
        {**line, "label": names[line["payment"]]} for line in calculation.breakdown.get("payments", [])
    ]


def pdf_context(app: Application) -> dict[str, Any]:
    from applications.models import Relationship

    calculation, payment_lines = calculation_lines(app)
    return {
        "app": app,
        "family": list(app.family_members.all()),
        "relationships": dict(Relationship.choices),
        "calculation": calculation,
        "payment_lines": payment_lines,
        "missing_labels": in_para6_order(app.missing_documents),
        "return_missing_labels": in_para6_order(app.return_missing_documents),
        "presented_labels": in_para6_order(app.documents_presented),
        "registry_labels": in_para6_order(app.documents_from_registries),
        # Appendix 3 and the acceptance receipt are issued by the State Corporation's employee.
        "clerk": app.created_by,
        "clerk_profile": getattr(app.created_by, "staff", None) if app.created_by_id else None,
        "ground_label": dict(RefusalGround.choices).get(app.refusal_ground, ""),
        "tenure_label": dict(Tenure.choices).get(app.tenure, app.tenure),
        "family_size": 1 + len(app.family_members.all()),
        # Appendix 2: the term in force on the registration date, as stored on the case.
        "term_days": workdays.working_days_between(app.registered_on, app.due_date)
        if app.registered_on and app.due_date
        else 0,
    }


# -- attachments ---------------------------------------------------------------


def attach_document(app: Application, upload, user, document_code: str = ""):
    """A scanned document for the case (PDF, JPEG or PNG by content, size-limited)."""
    from housing_aid.uploads import attach

    if document_code and document_code not in DocumentCode.values:
        raise ValidationError({"document_code": [_("Choose documents from the list of para 6.")]})
    if app.is_closed and app.status != S.REJECTED_AT_INTAKE:
        raise ValidationError({"file": [_("The case is closed: nothing can be attached.")]})
    try:
        return attach(app, upload, user, document_code)
    except ValidationError as exc:
        raise ValidationError({"file": list(exc.messages)}) from exc
