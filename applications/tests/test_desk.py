"""The desk prevents mistakes: the refusal receipt is asked for, dates are sane, an open case
elsewhere is shown, the hand-out checks the recipient (para 6-7, 10; issue 12)."""

from __future__ import annotations

import pytest
from django.test import Client

from applications.models import Application, HandOut
from housing_aid.models import CaseEvent
from tests.factories import staff_user

from .conftest import advance, package
from .test_screens import desk_post

INTAKE = "/applications/intake/"
MISSING = "employment_status,alimony,bank_account,maintenance_invoice,utility_bills,telecom_bill"


@pytest.fixture
def desk(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def test_incomplete_package_asks_first_and_keeps_everything_typed(desk, provider, at_intake_day):
    post = desk_post(provider, documents=["identity", "family_income"], phone="+77015550011")

    response = desk.post(INTAKE, post)

    html = response.content.decode()
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert 'id="refusal-confirm"' in html
    assert f'name="confirm_refusal" value="{MISSING}"' in html
    assert "Жақсыбекова" in html and "+77015550011" in html and "Жақсыбеков Ерлан" in html
    # the presented documents stay ticked; the clerk may tick more and check again
    assert 'id="doc-identity" checked' in html


def test_the_clerk_ticks_what_the_applicant_has_and_registers(desk, provider, at_intake_day):
    from .conftest import FULL_PACKAGE

    desk.post(INTAKE, desk_post(provider, documents=["identity"]))
    response = desk.post(INTAKE, desk_post(provider, documents=FULL_PACKAGE), follow=True)

    assert Application.objects.get().status == "registered"
    assert response.redirect_chain


def test_a_confirmation_of_another_list_asks_again(desk, provider, at_intake_day):
    # confirmed for one list, then a box unticked: the receipt would name other documents
    post = desk_post(provider, documents=["identity", "family_income"], confirm_refusal="alimony")

    response = desk.post(INTAKE, post)

    assert response.status_code == 200
    assert not Application.objects.exists()


def test_the_explicit_confirmation_issues_the_refusal_receipt(desk, provider, at_intake_day):
    post = desk_post(provider, documents=["identity", "family_income"], confirm_refusal=MISSING)

    desk.post(INTAKE, post)

    application = Application.objects.get()
    assert application.status == "rejected_at_intake"
    assert application.missing_documents == MISSING.split(",")


def test_a_complete_package_without_an_iban_names_the_field(desk, api, clerk, provider, at_intake_day):
    response = desk.post(INTAKE, desk_post(provider, iban=""))
    via_api = api.as_user(clerk).post(
        "/api/v1/applications/", package(bank_account={"iban": "", "bank_name": ""}), format="json"
    )

    assert response.status_code == 400
    assert '<a href="#id_iban">' in response.content.decode()
    assert via_api.status_code == 400 and via_api.json()["bank_account"]["iban"]
    assert not Application.objects.exists()


def test_birth_date_in_the_future_is_refused(desk, provider, at_intake_day):
    response = desk.post(INTAKE, desk_post(provider, birth_date="01.01.2030"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "The date of birth cannot be in the future." in html or "не может быть в будущем" in html
    assert not Application.objects.exists()


def test_birth_date_differing_from_the_iin_needs_the_clerks_confirmation(desk, provider, at_intake_day):
    # 850315410002 suggests 15.03.1985
    response = desk.post(INTAKE, desk_post(provider, birth_date="16.03.1985"))

    assert response.status_code == 400
    assert "15.03.1985" in response.content.decode()
    assert 'name="confirm_birth_date"' in response.content.decode()
    desk.post(INTAKE, desk_post(provider, birth_date="16.03.1985", confirm_birth_date="on"))
    assert Application.objects.get().applicant.birth_date.isoformat() == "1985-03-16"


def test_dates_are_typed_day_first(desk, provider, at_intake_day):
    desk.post(INTAKE, desk_post(provider, birth_date="15.03.1985", **{"family-0-birth_date": "01.05.2012"}))

    application = Application.objects.get()
    assert application.applicant.birth_date.isoformat() == "1985-03-15"
    assert application.family_members.get().birth_date.isoformat() == "2012-05-01"


def test_an_open_case_elsewhere_is_shown_and_must_be_acknowledged(
    api, desk, clerk, provider, other_provider, at_intake_day
):
    other_clerk = staff_user("clerk_almaty", "intake_clerk", other_provider)
    first = api.as_user(other_clerk).post(
        "/api/v1/applications/", package(provider_code=other_provider.code), format="json"
    )
    assert first.status_code == 201, first.json()
    number = first.json()["number"]

    looked_up = desk.get("/applications/intake/iin/", {"iin": "850315410002"}).json()
    response = desk.post(INTAKE, desk_post(provider))

    assert [a["number"] for a in looked_up["open_elsewhere"]] == [number]
    assert looked_up["applications"] == []  # the other provider's case stays out of scope
    assert response.status_code == 400 and number in response.content.decode()
    assert Application.objects.count() == 1
    desk.post(INTAKE, desk_post(provider, acknowledge_open_case="on"))
    assert Application.objects.count() == 2


def test_api_create_warns_about_an_open_case_elsewhere(api, clerk, provider, other_provider, at_intake_day):
    other_clerk = staff_user("clerk_almaty", "intake_clerk", other_provider)
    first = (
        api.as_user(other_clerk)
        .post("/api/v1/applications/", package(provider_code=other_provider.code), format="json")
        .json()
    )

    second = api.as_user(clerk).post("/api/v1/applications/", package(), format="json")

    assert second.status_code == 201
    assert first["warnings"] == []
    [warning] = second.json()["warnings"]
    assert warning["code"] == "open_case_elsewhere"
    assert warning["number"] == first["number"]
    assert first["number"] in warning["message"]


def test_api_refuses_a_future_birth_date_and_warns_about_one_the_iin_does_not_encode(
    api, clerk, provider, at_intake_day
):
    client = api.as_user(clerk)
    future = package()
    future["applicant"]["birth_date"] = "2030-01-01"
    future["family_members"][0]["birth_date"] = "2031-01-01"
    differs = package()
    differs["applicant"]["birth_date"] = "1985-03-16"

    refused = client.post("/api/v1/applications/", future, format="json")
    warned = client.post("/api/v1/applications/", differs, format="json")

    assert refused.status_code == 400
    assert refused.json()["applicant"]["birth_date"] and refused.json()["family_members"][0]["birth_date"]
    assert warned.status_code == 201
    assert [w["code"] for w in warned.json()["warnings"]] == ["birth_date_differs_from_iin"]


def test_the_provider_starts_preselected_without_an_empty_choice(desk):
    html = desk.get(INTAKE).content.decode()

    assert "---------" not in html
    assert 'id="id_iin"' in html and html.index('id="id_iin"') < html.index('id="id_last_name"')
    assert 'type="date"' not in html


def test_errors_name_the_field_as_the_clerk_sees_it(desk, provider, at_intake_day):
    response = desk.post(INTAKE, desk_post(provider, address="", iban="KZ86125KZT5004100101"))

    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert '<a href="#id_address">' in html and '<a href="#id_iban">' in html
    assert "mod-97" not in html and "модулю 97" not in html


# -- hand-out (para 10) ----------------------------------------------------------------------


@pytest.fixture
def signed_notice(registered, officer, head):
    from applications.documents import issue_due_documents
    from housing_aid.documents import documents_of

    application = registered()
    Application.objects.filter(pk=application.pk).update(id_document_number="045612378")
    application = advance(
        Application.objects.get(pk=application.pk),
        officer,
        "start_review",
        "start_verification",
        ("draft_refusal", {"ground": "non_compliance", "reason": "Не соответствует требованиям."}),
    )
    advance(application, head, "sign")
    issue_due_documents(application, head)
    return application, documents_of(application).get(kind="refusal_notice")


def _hand_out_url(application, notice):
    return f"/applications/{application.pk}/documents/{notice.number}/hand-out/"


def test_hand_out_to_the_applicant_checks_the_identity_document(desk, signed_notice):
    application, notice = signed_notice

    refused = desk.post(
        _hand_out_url(application, notice), {"recipient_kind": "applicant", "id_number": "999"}
    )
    accepted = desk.post(
        _hand_out_url(application, notice), {"recipient_kind": "applicant", "id_number": "045 612 378"}
    )

    assert refused.status_code == 400
    assert "999" in refused.content.decode()
    assert accepted.status_code == 302
    row = HandOut.objects.get()
    assert row.full_name == application.applicant.full_name and row.id_number == "045 612 378"
    event = CaseEvent.objects.get(case_number=application.number, transition="hand_out")
    assert event.data["document"] == notice.number
    again = desk.post(
        _hand_out_url(application, notice), {"recipient_kind": "applicant", "id_number": "045612378"}
    )
    assert again.status_code == 400 and HandOut.objects.count() == 1


def test_hand_out_to_a_representative_needs_the_power_of_attorney(desk, signed_notice):
    application, notice = signed_notice
    url = _hand_out_url(application, notice)

    refused = desk.post(
        url, {"recipient_kind": "representative", "full_name": "Ахметов Бауыржан", "id_number": "011223344"}
    )
    accepted = desk.post(
        url,
        {
            "recipient_kind": "representative",
            "full_name": "Ахметов Бауыржан",
            "id_number": "011223344",
            "poa_number": "2-1455",
            "poa_date": "10.04.2025",
            "notary": "Сәрсенбаева Г. Қ., нотариус г. Астаны",
        },
    )

    assert refused.status_code == 400
    assert refused.content.decode().count('aria-invalid="true"') == 3  # number, date, notary
    assert accepted.status_code == 302
    row = HandOut.objects.get()
    assert (row.recipient_kind, row.poa_number, str(row.poa_date)) == (
        "representative",
        "2-1455",
        "2025-04-10",
    )


def test_hand_out_is_not_for_other_providers(signed_notice, other_provider):
    application, notice = signed_notice
    stranger = Client()
    stranger.force_login(staff_user("clerk_almaty", "intake_clerk", other_provider))

    response = stranger.post(
        _hand_out_url(application, notice), {"recipient_kind": "applicant", "id_number": "045612378"}
    )

    assert response.status_code == 404
    assert not HandOut.objects.exists()


# -- the officer's return form -------------------------------------------------------------


def test_return_form_offers_an_owner_no_rent_invoice_and_names_its_fields(registered, officer):
    application = advance(registered(), officer, "start_review")
    client = Client()
    client.force_login(officer)

    page = client.get(f"/applications/{application.pk}/").content.decode()
    response = client.post(
        f"/applications/{application.pk}/transitions/draft_return/",
        {"reason": "", "expected_status": "under_review"},
    )

    form = page.split('id="action-draft_return"')[1].split("</form>")[0]
    assert 'value="utility_bills"' in form and 'value="rent_invoice"' not in form
    assert response.status_code == 400
    html = response.content.decode()
    assert "missing_documents:" not in html and "reason:" not in html
    assert "Недостающие документы:" in html
