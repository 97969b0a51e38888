"""Use cases of the housing-assistance service: everything that changes state.

Intake (para 6-7, 9.1), the transitions of para 9 through ``housing_aid.cases.run_transition``,
the calculation of the monthly amount and the documents issued at each step.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
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
    close_stages,
    next_number,
    open_stage,
    reassign_open_stage,
    record_event,
    run_transition,
)
from housing_aid.eds import services as eds
from housing_aid.identifiers import normalise_iban, validate_iban, validate_iin
from housing_aid.models import Person, ServiceProvider, money
from housing_aid.parameters import int_value_on, value_on

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
        raise ValidationError(
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
        transaction.on_commit(lambda: issue_documents_safely(application, user))
    return application


# -- the calculation -------------------------------------------------------------


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    start = quarter_start(day)
    next_start = dt.date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return next_start - dt.timedelta(days=1)


PAYMENTS = ("maintenance", "utilities", "telecom", "rent")


def calculate(
    application: Application, quarter_income: Decimal, payments: dict[str, Decimal]
) -> dict[str, Any]:
    """The monthly amount (DOMAIN.md): covered payments within the norms minus the share of income.

    "Within norms": each covered payment is capped at the provider's monthly norm in force on
    the registration date; consumption above the norm is not covered. Rent is covered only for
    state housing or housing the akimat rents. Income is the quarter before the application's
    quarter; the assistance runs from the month of application to the end of that quarter.
    """
    on = application.registered_on
    provider = application.provider
    share = value_on(ha.SHARE_PERCENT, on, provider)
    monthly_income = (Decimal(quarter_income) / 3).quantize(CENT, rounding=ROUND_HALF_UP)
    lines = []
    covered_total = Decimal("0")
    for name in PAYMENTS:
        claimed = money(payments.get(name) or 0)
        norm = money(value_on(ha.NORM_BY_PAYMENT[name], on, provider))
        covered = min(claimed, norm)
        covered_total += covered
        lines.append({"payment": name, "claimed": str(claimed), "norm": str(norm), "covered": str(covered)})
    share_amount = (share / 100 * monthly_income).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = max(Decimal("0"), covered_total - share_amount).quantize(CENT)
    this_quarter = quarter_start(on)
    income_to = this_quarter - dt.timedelta(days=1)
    return {
        "quarter_income": money(quarter_income),
        "income_from": quarter_start(income_to),
        "income_to": income_to,
        "monthly_income": monthly_income,
        "share_percent": money(share),
        "covered_payments": money(covered_total),
        "monthly_amount": amount,
        "period_from": on.replace(day=1),
        "period_to": quarter_end(on),
        "breakdown": {"payments": lines, "share_amount": str(share_amount), "parameters_on": on.isoformat()},
    }


# -- transitions ---------------------------------------------------------------


def _today() -> dt.date:
    return workdays.today()


def _term(application: Application, key: str) -> int:
    return int_value_on(key, application.registered_on, application.provider)


def _text(value: Any, field_name: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors[field_name] = [_("This field is required.")]
    return text


def _decimal(value: Any, field_name: str, errors: dict) -> Decimal:
    try:
        number = Decimal(str(value).replace(" ", "").replace(",", "."))
    except Exception:  # noqa: BLE001 - any unparsable input is a field error
        errors[field_name] = [_("Enter an amount in KZT, e.g. 15000.00.")]
        return Decimal("0")
    if not number.is_finite() or number < 0 or number > Decimal("999999999999"):
        errors[field_name] = [_("Enter an amount in KZT, e.g. 15000.00.")]
        return Decimal("0")
    return number


def transition(
    application: Application, name: str, user, data: dict | None = None, *, expected_status: str | None = None
) -> Application:
    """Run the transition ``name`` with the request body ``data`` (API.md table).

    The one entry point for the API and the screens. The body is checked in ``prepare``, so a
    role that may never act answers 403 and a wrong state 409 before any 400 about the body;
    ``run_transition`` does the row lock, the optimistic check and the event row.
    """
    data = data or {}
    kwargs: dict[str, Any] = {"__placeholder__": None}
    event_data: dict[str, Any] = {"body": {}}
    reason = ""
    keep: dict[str, Any] = {}

    def check(locked: Application) -> None:
        errors: dict[str, Any] = {}
        kwargs.pop("__placeholder__", None)
        if name == "start_review":
            executor = data.get("executor")
            kwargs["executor"] = _officer_by_username(locked, executor) if executor else user
            event_data["body"] = {"executor": kwargs["executor"].get_username()}
        elif name == "draft_return":
            kwargs["reason"] = _text(data.get("reason"), "reason", errors)
            missing = data.get("missing_documents") or []
            if not isinstance(missing, list) or any(c not in DocumentCode.values for c in missing):
                errors["missing_documents"] = [_("Choose documents from the list of para 6.")]
            elif not missing:
                errors["missing_documents"] = [_("Name at least one missing document.")]
            kwargs["missing"] = missing
            event_data["body"] = {"missing_documents": missing}
        elif name == "draft_assignment":
            payments = data.get("payments") or {}
            if not isinstance(payments, dict):
                payments = {}
                errors["payments"] = [_("Give the monthly payments as an object.")]
            income = _decimal(data.get("quarter_income"), "quarter_income", errors)
            parsed = {}
            payment_errors = {}
            for key in PAYMENTS:
                parsed[key] = _decimal(payments.get(key, 0) or 0, key, payment_errors)
            if payment_errors:
                errors["payments"] = payment_errors
            elif parsed["rent"] > 0 and locked.tenure == Tenure.OWNER:
                errors["payments"] = {
                    "rent": [_("Rent is covered only for state housing or housing the akimat rents.")]
                }
            if not errors:
                keep["calculation"] = calculate(locked, income, parsed)
                event_data["body"] = _calculation_snapshot(keep["calculation"])
        elif name == "draft_refusal":
            ground = data.get("ground")
            if ground not in RefusalGround.values:
                errors["ground"] = [_("Choose one of the grounds of para 12.")]
            kwargs["ground"] = ground
            kwargs["reason"] = _text(data.get("reason"), "reason", errors)
            event_data["body"] = {"ground": ground}
        elif name == "send_back":
            _text(data.get("reason"), "reason", errors)
        elif name == "sign":
            kwargs["signer"] = user
            kwargs["at"] = timezone.now()
            # Seed 000 para 9.2-9.3: the head's EDS; verified and issued in this transaction.
            eds.complete_signing(locked, data.get("signing_session"), data.get("cms"), user)
        if errors:
            raise InvalidInput(errors)

    if name in ("draft_return", "draft_refusal", "send_back"):
        reason = (data.get("reason") or "").strip() if isinstance(data.get("reason"), str) else ""

    def after_save(locked: Application, from_state: str) -> None:
        _after_transition(locked, name, from_state, keep)

    locked = run_transition(
        application,
        name,
        user,
        reason=reason,
        kwargs=kwargs,
        data=event_data,
        prepare=check,
        after_save=after_save,
        expected_status=expected_status,
    )
    transaction.on_commit(lambda: issue_documents_safely(locked, user))
    return locked


def _officer_by_username(application: Application, username: Any):
    user = None
    if isinstance(username, str):
        user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if (
        user is None
        or not roles.has_role(user, roles.Role.CASE_OFFICER)
        or not roles.works_for(user, application.provider_id)
    ):
        raise ValidationError(
            {"executor": [_("No case officer of this service provider has this username.")]}
        )
    return user


def _calculation_snapshot(calc: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (
            value.isoformat()
            if isinstance(value, dt.date)
            else str(value)
            if isinstance(value, Decimal)
            else value
        )
        for key, value in calc.items()
    }


def _after_transition(app: Application, name: str, from_state: str, keep: dict[str, Any]) -> None:
    """Stages (para 9) and the rows that go with a transition; inside the transaction."""
    today = _today()
    if name == "start_review":
        reassign_open_stage(app, app.assignee)
    elif name == "start_verification":
        app.verification_due_on = workdays.add_working_days(today, _term(app, ha.TERM_VERIFICATION))
        Application.objects.filter(pk=app.pk).update(verification_due_on=app.verification_due_on)
        open_stage(app, Stage.VERIFICATION, today, app.verification_due_on)
    elif name == "draft_return":
        # para 9.2: the reasoned refusal is due within the review term; the head signs within it.
        app.decision_due_on = app.review_due_on
        Application.objects.filter(pk=app.pk).update(decision_due_on=app.decision_due_on)
        open_stage(app, Stage.DECISION, today, app.decision_due_on)
    elif name in ("draft_assignment", "draft_refusal"):
        app.decision_due_on = workdays.add_working_days(today, _term(app, ha.TERM_DECISION))
        Application.objects.filter(pk=app.pk).update(decision_due_on=app.decision_due_on)
        Calculation.objects.filter(application=app).delete()
        if name == "draft_assignment":
            Calculation.objects.create(application=app, **keep["calculation"])
        open_stage(app, Stage.DECISION, today, app.decision_due_on)
    elif name == "send_back":
        # The legal term does not move when the head returns a draft for rework.
        if from_state == S.RETURN_DRAFTED:
            open_stage(app, Stage.REVIEW, today, app.review_due_on)
        else:
            Calculation.objects.filter(application=app).delete()
            open_stage(app, Stage.VERIFICATION, today, app.verification_due_on)
    elif name == "sign":
        close_stages(app, final=True)


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
    """Issue what the state calls for and is not issued yet; safe to call again (after commit,
    and once more by a view before it answers, so a failed render is retried)."""
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


def pdf_context(app: Application) -> dict[str, Any]:
    from applications.models import Relationship

    calculation = Calculation.objects.filter(application=app).first()
    labels = dict(DocumentCode.choices)
    payment_lines = []
    if calculation is not None:
        # lazy: the PDF renders in the document's language, not the caller's
        names = {
            "maintenance": gettext_lazy("Building maintenance"),
            "utilities": gettext_lazy("Utilities"),
            "telecom": gettext_lazy("Telecom subscription-fee increment"),
            "rent": gettext_lazy("Rent of state or akimat-rented housing"),
        }
        payment_lines = [
            {**line, "label": names[line["payment"]]} for line in calculation.breakdown.get("payments", [])
        ]
    return {
        "app": app,
        "family": list(app.family_members.all()),
        "relationships": dict(Relationship.choices),
        "calculation": calculation,
        "payment_lines": payment_lines,
        "missing_labels": [labels.get(c, c) for c in app.missing_documents],
        "return_missing_labels": [labels.get(c, c) for c in app.return_missing_documents],
        "presented_labels": [labels.get(c, c) for c in app.documents_presented],
        "registry_labels": [labels.get(c, c) for c in app.documents_from_registries],
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


def issue_documents_safely(app: Application, user=None) -> None:
    """After commit: a failed render must not undo the transition; the next read retries."""
    try:
        issue_due_documents(app, user)
    except Exception:  # noqa: BLE001 - logged; the state change stands and the next view retries
        logger.exception("issuing documents of %s failed", app.number)
