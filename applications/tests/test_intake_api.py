"""Intake through the API: the desk and the portal (para 6, 7, 9.1; API.md)."""

from __future__ import annotations

from applications.models import Application
from housing_aid.models import CaseStage, Person

from .conftest import package

URL = "/api/v1/applications/"


def test_complete_package_at_the_desk_is_registered_with_its_terms(api, clerk, at_intake_day):
    response = api.as_user(clerk).post(URL, package(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "registered"
    assert body["number"].startswith("HA-710000000-2025-")
    assert body["registered_on"] == "2025-04-14"
    assert body["due_date"] == "2025-04-24"  # 8 wd
    assert body["stage_due_date"] == "2025-04-16"  # review: 2 wd
    assert body["missing_documents"] == []
    assert body["calculation"] is None
    assert [h["transition"] for h in body["history"]] == ["register"]
    assert {d["kind"] for d in body["documents"]} == {"application_form", "acceptance_receipt"}
    assert all(len(d["sha256"]) == 64 for d in body["documents"])
    stage = CaseStage.objects.get(object_id=body["id"], service="housing_assistance")
    assert (stage.stage, stage.due_date.isoformat(), stage.closed_at) == ("review", "2025-04-16", None)


def test_received_after_hours_on_friday_is_registered_on_monday(api, clerk, at_intake_day):
    response = api.as_user(clerk).post(URL, package(received_at="2025-04-11T19:00:00+05:00"), format="json")

    assert response.json()["registered_on"] == "2025-04-14"
    assert response.json()["due_date"] == "2025-04-24"


def test_incomplete_package_at_the_desk_is_kept_as_rejected_with_the_refusal_receipt(
    api, clerk, at_intake_day
):
    documents = ["identity", "family_income", "employment_status", "alimony", "bank_account", "utility_bills"]

    response = api.as_user(clerk).post(URL, package(documents=documents), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "rejected_at_intake"
    assert body["missing_documents"] == ["maintenance_invoice", "telecom_bill"]
    assert body["registered_on"] is None and body["stage_due_date"] is None
    assert [d["kind"] for d in body["documents"]] == ["intake_refusal_receipt"]
    assert body["available_transitions"] == []


def test_rent_invoice_is_required_only_for_housing_the_akimat_rents(api, clerk, at_intake_day):
    client = api.as_user(clerk)

    owner = client.post(URL, package(tenure="owner"), format="json").json()
    tenant = client.post(URL, package(tenure="leb_private_rental"), format="json").json()

    assert owner["status"] == "registered"
    assert tenant["status"] == "rejected_at_intake"
    assert tenant["missing_documents"] == ["rent_invoice"]


def test_reapplication_needs_only_income_and_utility_bills(api, clerk, at_intake_day):
    response = api.as_user(clerk).post(
        URL, package(is_reapplication=True, documents=["family_income", "utility_bills"]), format="json"
    )

    assert response.json()["status"] == "registered"


def test_income_and_employment_from_state_systems_count_as_presented(api, clerk, at_intake_day):
    documents = [c for c in package()["documents"] if c not in ("family_income", "employment_status")]

    response = api.as_user(clerk).post(
        URL,
        package(documents=documents, documents_from_registries=["family_income", "employment_status"]),
        format="json",
    )

    assert response.json()["status"] == "registered"
    assert response.json()["documents_from_registries"] == ["employment_status", "family_income"]


def test_portal_incomplete_request_is_refused_with_400_naming_the_missing_documents(
    api, portal, at_intake_day
):
    response = api.as_user(portal, "en").post(
        URL, package(channel="portal", documents=["family_income", "utility_bills"]), format="json"
    )

    assert response.status_code == 400
    message = response.json()["documents"][0]
    assert "Certificate from the place of work or of registration as unemployed" in message
    assert "Receipt or contract for telecommunication services" in message
    assert "Identity document" not in message
    assert Application.objects.count() == 0


def test_portal_complete_request_needs_no_identity_document(api, portal, at_intake_day):
    documents = [c for c in package()["documents"] if c != "identity"]

    response = api.as_user(portal).post(URL, package(channel="portal", documents=documents), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    assert [d["kind"] for d in response.json()["documents"]] == ["application_form"]


def test_wrong_iin_and_iban_answer_nested_400_in_the_callers_language(api, clerk, at_intake_day):
    data = package(iin="850315410003")
    data["bank_account"]["iban"] = "KZ00125KZT5004100100"

    response = api.as_user(clerk, "en").post(URL, data, format="json")

    assert response.status_code == 400
    assert response.json()["applicant"]["iin"] == ["This IIN has a wrong check digit."]
    assert response.json()["bank_account"]["iban"] == [
        "The IBAN's check digits do not match: compare the account number with the bank's document."
    ]


def test_received_at_in_the_future_and_missing_consent_are_refused(api, clerk, at_intake_day):
    response = api.as_user(clerk).post(
        URL, package(received_at="2025-04-15T10:00:00+05:00", consent=False), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"received_at", "consent"}


def test_roles_and_channels(api, clerk, portal, officer, at_intake_day):
    assert api.as_user(officer).post(URL, package(), format="json").status_code == 403
    assert api.as_user(clerk).post(URL, package(channel="portal"), format="json").status_code == 400
    assert api.as_user(portal).post(URL, package(), format="json").status_code == 400
    api.credentials()
    assert api.post(URL, package(), format="json").status_code == 401


def test_clerk_cannot_register_for_a_provider_they_do_not_serve(api, clerk, at_intake_day):
    response = api.as_user(clerk).post(URL, package(provider_code="750000000"), format="json")

    assert response.status_code == 400
    assert "provider" in response.json()


def test_idempotency_key_returns_the_first_response_and_creates_nothing_new(api, clerk, at_intake_day):
    client = api.as_user(clerk)

    first = client.post(URL, package(), format="json", HTTP_IDEMPOTENCY_KEY="desk-42")
    again = client.post(URL, package(), format="json", HTTP_IDEMPOTENCY_KEY="desk-42")

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Application.objects.count() == 1


def test_a_person_is_one_record_across_applications(api, clerk, at_intake_day):
    client = api.as_user(clerk)

    client.post(URL, package(), format="json")
    client.post(URL, package(address="Астана, пр. Абая, 1"), format="json")

    person = Person.objects.get(iin="850315410002")
    assert person.housing_applications.count() == 2
    assert person.address == "Астана, пр. Абая, 1"


def test_messages_follow_accept_language(api, portal, at_intake_day):
    data = package(channel="portal", documents=["family_income", "utility_bills"])

    ru = api.as_user(portal, "ru").post(URL, data, format="json").json()["documents"][0]
    kk = api.as_user(portal, "kk").post(URL, data, format="json").json()["documents"][0]

    assert "Справка с места работы" in ru
    assert "Жұмыс орнынан анықтама" in kk
