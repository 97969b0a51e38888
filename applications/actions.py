"""Every action on an application, declared once (para 9 and API.md's transition table).

Adding an action is one :class:`CaseAction` here and its fields in
``templates/applications/_action_fields.html``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from applications import handout
from applications import parameters as ha
from applications.calculation import PAYMENTS, calculate
from applications.models import (
    Application,
    ApplicationStatus,
    Calculation,
    DocumentCode,
    RefusalGround,
    Stage,
    Tenure,
)
from housing_aid import roles, workdays
from housing_aid.actions import Actions, CaseAction
from housing_aid.cases import close_stages, open_stage, reassign_open_stage
from housing_aid.casework.services import EVENT_LABELS as CASEWORK_EVENT_LABELS
from housing_aid.parameters import int_value_on

S = ApplicationStatus

OFFICER_ONLY = gettext_lazy("Only a case officer of the service provider does this.")
HEAD_ONLY = gettext_lazy("Only the head of the service provider signs or sends back.")


# -- bodies ------------------------------------------------------------------------


class AmountField(serializers.Field):
    """An amount in KZT as a clerk types it: ``15 000,50`` or ``15000.50``."""

    default_error_messages = {"invalid": gettext_lazy("Enter an amount in KZT, e.g. 15000.00.")}

    def to_internal_value(self, data) -> Decimal:
        try:
            number = Decimal(str(data).replace(" ", "").replace(",", "."))
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        if not number.is_finite() or number < 0 or number > Decimal("999999999999"):
            self.fail("invalid")
        return number

    def to_representation(self, value) -> str:
        return str(value)


class ReasonBody(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={
            "required": gettext_lazy("This field is required."),
            "blank": gettext_lazy("This field is required."),
        }
    )


class StartReviewBody(serializers.Serializer):
    executor = serializers.CharField(required=False, allow_blank=True)

    def validate_executor(self, username: str):
        if not username:
            return None
        case = self.context["case"]
        user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
        if (
            user is None
            or not roles.has_role(user, roles.Role.CASE_OFFICER)
            or not roles.works_for(user, case.provider_id)
        ):
            raise serializers.ValidationError(
                _("No case officer of this service provider has this username.")
            )
        return user


class DraftReturnBody(ReasonBody):
    missing_documents = serializers.ListField(
        child=serializers.ChoiceField(
            choices=DocumentCode.choices,
            error_messages={"invalid_choice": gettext_lazy("Choose documents from the list of para 6.")},
        ),
        allow_empty=False,
        error_messages={
            "required": gettext_lazy("Name at least one missing document."),
            "empty": gettext_lazy("Name at least one missing document."),
        },
    )


class PaymentsBody(serializers.Serializer):
    maintenance = AmountField(required=False, default=Decimal("0"))
    utilities = AmountField(required=False, default=Decimal("0"))
    telecom = AmountField(required=False, default=Decimal("0"))
    rent = AmountField(required=False, default=Decimal("0"))


class DraftAssignmentBody(serializers.Serializer):
    quarter_income = AmountField()
    payments = PaymentsBody(required=False)

    def validate(self, attrs):
        payments = {key: Decimal("0") for key in PAYMENTS} | dict(attrs.get("payments") or {})
        if payments["rent"] > 0 and self.context["case"].tenure == Tenure.OWNER:
            raise serializers.ValidationError(
                {
                    "payments": {
                        "rent": [_("Rent is covered only for state housing or housing the akimat rents.")]
                    }
                }
            )
        attrs["payments"] = payments
        return attrs


class DraftRefusalBody(ReasonBody):
    ground = serializers.ChoiceField(
        choices=RefusalGround.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Choose one of the grounds of para 12."),
            "required": gettext_lazy("Choose one of the grounds of para 12."),
            "null": gettext_lazy("Choose one of the grounds of para 12."),
        },
    )


class SignBody(serializers.Serializer):
    """The head's EDS signature (API.md): the signing session and the CMS over its bytes.

    Both are checked by ``housing_aid.eds`` against the locked case (400 under ``cms``, 409 for
    a used or expired session), so they are optional here.
    """

    signing_session = serializers.CharField(required=False, allow_blank=True, max_length=64)
    cms = serializers.CharField(required=False, allow_blank=True, max_length=200_000)


def _sign_kwargs(app, user, data) -> dict:
    # Seed 000 para 9.2-9.3: verified and issued in this transaction, before the state moves
    # (the session is bound to the state it was prepared in); any refusal signs nothing.
    from housing_aid.eds import services as eds

    eds.complete_signing(app, data.get("signing_session"), data.get("cms"), user)
    return {"signer": user, "at": timezone.now()}


# -- what each action does to the locked case (para 9) ---------------------------


def _term(app: Application, key: str) -> int:
    return int_value_on(key, app.registered_on, app.provider)


def _set_decision_due(app: Application, due: dt.date) -> None:
    app.decision_due_on = due
    Application.objects.filter(pk=app.pk).update(decision_due_on=due)
    open_stage(app, Stage.DECISION, workdays.today(), due)


def _after_start_review(app, user, data, from_state) -> None:
    reassign_open_stage(app, app.assignee)


def _after_start_verification(app, user, data, from_state) -> None:
    today = workdays.today()
    app.verification_due_on = workdays.add_working_days(today, _term(app, ha.TERM_VERIFICATION))
    Application.objects.filter(pk=app.pk).update(verification_due_on=app.verification_due_on)
    open_stage(app, Stage.VERIFICATION, today, app.verification_due_on)


def _after_draft_return(app, user, data, from_state) -> None:
    # para 9.2: the reasoned refusal is due within the review term; the head signs within it.
    _set_decision_due(app, app.review_due_on)


def _after_draft_assignment(app, user, data, from_state) -> None:
    Calculation.objects.filter(application=app).delete()
    Calculation.objects.create(application=app, **data["calculation"])
    _set_decision_due(app, workdays.add_working_days(workdays.today(), _term(app, ha.TERM_DECISION)))


def _after_draft_refusal(app, user, data, from_state) -> None:
    Calculation.objects.filter(application=app).delete()
    _set_decision_due(app, workdays.add_working_days(workdays.today(), _term(app, ha.TERM_DECISION)))


def _after_send_back(app, user, data, from_state) -> None:
    # The legal term does not move when the head returns a draft for rework.
    if from_state == S.RETURN_DRAFTED:
        open_stage(app, Stage.REVIEW, workdays.today(), app.review_due_on)
    else:
        Calculation.objects.filter(application=app).delete()
        open_stage(app, Stage.VERIFICATION, workdays.today(), app.verification_due_on)


def _after_sign(app, user, data, from_state) -> None:
    close_stages(app, final=True)


def _assignment_kwargs(app, user, data) -> dict:
    data["calculation"] = calculate(app, data["quarter_income"], data["payments"])
    return {}


def _review_kwargs(app, user, data) -> dict:
    data["executor"] = data.get("executor") or user
    return {"executor": data["executor"]}


def _snapshot(calc: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat()
        if isinstance(value, dt.date)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for key, value in calc.items()
    }


def _attach(app, user, data, from_state):
    from applications.services import attach_document

    return attach_document(app, data["file"], user, data.get("document_code") or "")


class AttachBody(serializers.Serializer):
    file = serializers.FileField()
    document_code = serializers.ChoiceField(choices=DocumentCode.choices, required=False, allow_blank=True)


HAND_OUT = CaseAction(
    "hand_out",
    gettext_lazy("Documents handed out"),
    handout.HandOutBody,
    roles=handout.HAND_OUT_ROLES,
    apply=handout.hand_out,
    event_data=handout.event_data,
    event_reason=lambda case, data: data["full_name"],
    denied_reason=gettext_lazy("Only the State Corporation desk or the case officer hands out documents."),
)

ACTIONS = Actions(
    CaseAction(
        "start_review",
        gettext_lazy("Start review"),
        StartReviewBody,
        transition="start_review",
        kwargs=_review_kwargs,
        apply=_after_start_review,
        event_data=lambda case, data: {"body": {"executor": data["executor"].get_username()}},
        denied_reason=OFFICER_ONLY,
    ),
    CaseAction(
        "draft_return",
        gettext_lazy("Draft refusal to consider further"),
        DraftReturnBody,
        transition="draft_return",
        kwargs=lambda app, user, data: {"reason": data["reason"], "missing": data["missing_documents"]},
        apply=_after_draft_return,
        event_data=lambda case, data: {"body": {"missing_documents": data["missing_documents"]}},
        denied_reason=OFFICER_ONLY,
    ),
    CaseAction(
        "start_verification",
        gettext_lazy("Package complete: start verification"),
        transition="start_verification",
        apply=_after_start_verification,
        event_data=lambda case, data: {"body": {}},
        denied_reason=OFFICER_ONLY,
    ),
    CaseAction(
        "draft_assignment",
        gettext_lazy("Draft assignment"),
        DraftAssignmentBody,
        transition="draft_assignment",
        kwargs=_assignment_kwargs,
        apply=_after_draft_assignment,
        event_data=lambda case, data: {"body": _snapshot(data["calculation"])},
        denied_reason=OFFICER_ONLY,
    ),
    CaseAction(
        "draft_refusal",
        gettext_lazy("Draft refusal"),
        DraftRefusalBody,
        transition="draft_refusal",
        kwargs=lambda app, user, data: {"ground": data["ground"], "reason": data["reason"]},
        apply=_after_draft_refusal,
        event_data=lambda case, data: {"body": {"ground": data["ground"]}},
        denied_reason=OFFICER_ONLY,
    ),
    CaseAction(
        "sign",
        gettext_lazy("Sign"),
        SignBody,
        transition="sign",
        kwargs=_sign_kwargs,
        apply=_after_sign,
        event_data=lambda case, data: {"body": {}},
        documents=True,
        confirm=True,
        denied_reason=HEAD_ONLY,
    ),
    CaseAction(
        "send_back",
        gettext_lazy("Send back for rework"),
        ReasonBody,
        transition="send_back",
        apply=_after_send_back,
        event_data=lambda case, data: {"body": {}},
        denied_reason=HEAD_ONLY,
    ),
    CaseAction(
        "attach",
        gettext_lazy("Attach a file"),
        AttachBody,
        roles=(roles.Role.PORTAL, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER),
        apply=_attach,
        event_data=lambda case, data: {"document_code": data.get("document_code") or ""},
    ),
    HAND_OUT,
)

# The event types of the housing-assistance history, with their labels.
EVENT_TYPES = {
    "register": gettext_lazy("Registered"),
    "reject_at_intake": gettext_lazy("Refused at intake"),
    **ACTIONS.labels(),
    **CASEWORK_EVENT_LABELS,
}
TRANSITIONS = tuple((a.name, a.label) for a in ACTIONS if a.transition is not None)
