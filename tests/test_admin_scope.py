"""Issue 10: the Django admin keeps to provider scope. An administrator of Astana opens every
changelist and change page: Almaty's objects answer 404 and are absent from the lists; Astana's
answer 200; foreign-key choices offer only Astana."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from applications.models import Application
from certificates import programs
from certificates.models import CertificateProgram, CertificateRequest, Loan, ProgramEvent
from complaints.models import Complaint
from housing_aid.models import (
    Attachment,
    CaseEvent,
    CaseStage,
    IssuedDocument,
    Parameter,
    Person,
    ServiceProvider,
)
from housing_aid.sla.models import Notification
from tests.factories import staff_user
from tests.test_cross_scoping import ALMATY_CODE, ASTANA_CODE, SERVICES, _create, _program, frozen, staff  # noqa: F401

MODELS = {"applications": Application, "certificates": CertificateRequest, "complaints": Complaint}


def _loan(request: CertificateRequest) -> Loan:
    return Loan.objects.create(
        request=request,
        provider_id=request.provider_id,
        number=f"L-{request.pk}",
        concluded_on=dt.date(2025, 4, 14),
        principal="1000000.00",
        annual_rate="0.0100",
        term_months=120,
        first_due_on=dt.date(2025, 5, 14),
        security_kind="pledge",
        total_repayable="1000500.00",
    )


def _world(api, staff, code: str, offset: int, user):  # noqa: F811
    """One case of each service at ``code`` and a row of every kind that hangs on them."""
    cases = {}
    for n, service in enumerate(SERVICES, start=offset):
        creator = staff[service][0] if code == ASTANA_CODE else staff[service][2]
        created = _create(api, creator, service, code, n)
        cases[service] = MODELS[service].objects.get(pk=created["id"])
    application = cases["applications"]
    request = cases["certificates"]
    ct = ContentType.objects.get_for_model(Application)
    rows = {
        **{MODELS[s]: c for s, c in cases.items()},
        Loan: _loan(request),
        CertificateProgram: request.program,
        ProgramEvent: programs.record_program_event(request.program, "created", user),
        CaseEvent: CaseEvent.objects.filter(provider_id=application.provider_id).first(),
        CaseStage: CaseStage.objects.filter(provider_id=application.provider_id).first(),
        IssuedDocument: IssuedDocument.objects.filter(provider_id=application.provider_id).first(),
        Attachment: Attachment.objects.create(
            content_type=ct,
            object_id=application.pk,
            file="attachments/x.pdf",
            original_name="x.pdf",
            media_type="application/pdf",
            size=10,
            sha256="0" * 64,
        ),
        Notification: Notification.objects.create(
            recipient=user,
            kind="overdue",
            provider_id=application.provider_id,
            case_number=application.number,
            due_date=dt.date(2025, 4, 20),
        ),
        Person: application.applicant,
        ServiceProvider: application.provider,
        Parameter: Parameter.objects.create(
            key="ha_share_percent",
            provider_id=application.provider_id,
            valid_from=dt.date(2025, 1, 1),
            value="7",
            legal_basis="Maslikhat decision",
        ),
        get_user_model(): user,
    }
    assert all(v is not None for v in rows.values()), [k for k, v in rows.items() if v is None]
    return rows


@pytest.fixture
def worlds(api, staff, provider, other_provider, frozen):  # noqa: F811
    _program(provider)
    _program(other_provider)
    astana_staff = staff_user("clerk_astana_2", "case_officer", provider)
    almaty_staff = staff_user("officer_almaty_2", "case_officer", other_provider)
    return _world(api, staff, ASTANA_CODE, 1, astana_staff), _world(api, staff, ALMATY_CODE, 20, almaty_staff)


@pytest.fixture
def astana_admin(provider):
    user = staff_user("admin_astana", "administrator", provider)
    client = Client()
    client.force_login(user)
    return client


def _url(model, name, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def test_a_scoped_administrator_sees_only_its_providers_objects(astana_admin, worlds):
    own, foreign = worlds
    for model in own:
        # the change page (and its history): 404 outside scope, exactly like a missing row
        assert astana_admin.get(_url(model, "change", foreign[model].pk)).status_code == 404, model
        assert astana_admin.get(_url(model, "history", foreign[model].pk)).status_code == 404, model
        assert astana_admin.get(_url(model, "change", own[model].pk)).status_code == 200, model

        # the changelist lists the own row and not the foreign one
        listed = astana_admin.get(_url(model, "changelist"))
        assert listed.status_code == 200, model
        pks = {obj.pk for obj in listed.context["cl"].result_list}
        assert own[model].pk in pks, model
        assert foreign[model].pk not in pks, model


def test_foreign_key_choices_offer_only_the_administrators_providers(astana_admin, worlds, provider):
    own, foreign = worlds
    for model, field in (
        (CertificateProgram, "provider"),
        (Parameter, "provider"),
        (get_user_model(), "providers"),
    ):
        form = astana_admin.get(_url(model, "add")).context["adminform"].form
        choices = {str(value) for value, _label in form.fields[field].choices if value != ""}
        assert choices == {str(provider.pk)}, model


def test_a_scoped_administrator_cannot_delete_another_providers_rows_by_an_action(astana_admin, worlds):
    own, foreign = worlds
    response = astana_admin.post(
        _url(Parameter, "changelist"),
        {"action": "delete_selected", "_selected_action": [foreign[Parameter].pk]},
    )
    assert response.status_code in (200, 302)
    assert Parameter.objects.filter(pk=foreign[Parameter].pk).exists()
