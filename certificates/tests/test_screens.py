"""The screens: worklist, intake, request page with the income test, program page, loans."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import CertificateRequest, Loan, Repayment
from certificates.tests.conftest import transition

IBAN = "KZ86125KZT5004100100"


def _intake_post(**overrides):
    data = {
        "provider": "710000000",
        "channel": "administrator",
        "language": "ru",
        "last_name": "Ким",
        "first_name": "Виктория",
        "patronymic": "Олеговна",
        "iin": "850315410002",
        "address": "г. Астана, пр. Мангилик Ел, 10",
        "bank": "АО «Отбасы банк»",
        "bank_notified_on": "2025-03-10",
        "loan_amount": "15000000",
        "down_payment": "3000000",
        "mortgage_program": "Наурыз",
        "member-0-full_name": "Ким Артём",
        "member-0-birth_date": "2015-06-01",
        "member-0-relationship": "child",
    }
    for k in range(6):
        data[f"income-a-{k}"] = "200 000"
        data[f"income-0-{k}-none"] = "on"  # the child: "no income", said explicitly
    data.update(overrides)
    return data


def _budget_loan(api, officer, trustee, create) -> dict:
    """A budget loan request, approved, its agreement concluded by the trustee (5 years)."""
    case = create(monthly="400000.00")
    transition(api, officer, case["id"], "approve")
    transition(
        api,
        trustee,
        case["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "loan": {"term_months": 60, "security_kind": "guarantee"},
        },
    )
    return case


def test_intake_screen_registers_a_request_with_the_income_test(client, officer, program, frozen):
    client.force_login(officer)

    response = client.post("/certificates/new/", _intake_post())

    case = CertificateRequest.objects.get()
    assert response.status_code == 302
    assert case.family_size == 2
    assert str(case.per_capita_income) == "100000.00"
    page = client.get(f"/certificates/{case.pk}/").content.decode()
    assert "100 000,00" in page or "100\xa0000,00" in page
    assert 'id="income-test"' in page and 'id="budget"' in page


def test_the_desk_chooses_the_language_of_the_documents(client, officer, program, frozen):
    client.force_login(officer)
    form = client.get("/certificates/new/").content.decode()
    assert 'name="language"' in form

    client.post("/certificates/new/", _intake_post(language="kk"))
    kazakh = CertificateRequest.objects.get()
    client.post("/certificates/new/", _intake_post(language="ru", iin="061211600012"))
    russian = CertificateRequest.objects.exclude(pk=kazakh.pk).get()

    assert (kazakh.language, russian.language) == ("kk", "ru")


def test_intake_errors_are_shown_and_nothing_is_saved(client, officer, program, frozen):
    client.force_login(officer)

    response = client.post("/certificates/new/", _intake_post(iin="850315410003"))

    assert response.status_code == 200
    assert CertificateRequest.objects.count() == 0
    assert 'class="error"' in response.content.decode()


def test_a_family_member_or_income_cell_the_api_refuses_is_named_in_words_not_field_keys(
    client, officer, program, frozen
):
    client.force_login(officer)
    too_long = "Ким " + "Ж" * 300

    member = client.post("/certificates/new/", _intake_post(**{"member-0-full_name": too_long}))
    cell = client.post("/certificates/new/", _intake_post(**{"income-a-0": "9" * 20}))

    assert CertificateRequest.objects.count() == 0
    member_page, cell_page = member.content.decode(), cell.content.decode()
    assert f"Член семьи 1, {too_long}, фио:" in member_page.replace("ФИО", "фио")
    assert "family_members:" not in member_page
    assert "Заявитель, сентябрь 2024: Убедитесь" in cell_page  # the first of Sep 2024 .. Feb 2025
    assert "incomes:" not in cell_page and "amount:" not in cell_page
    assert too_long in member_page and "9" * 20 in cell_page


def test_a_blank_month_is_an_error_naming_the_person_and_month_and_the_grid_is_kept(
    client, officer, program, frozen
):
    client.force_login(officer)
    post = _intake_post(
        **{"income-a-2": "", "member-1-full_name": "Ким Ольга", "member-1-birth_date": "2030-01-01"}
    )
    post["income-0-4-none"] = ""

    page = client.post("/certificates/new/", post).content.decode()

    assert CertificateRequest.objects.count() == 0
    assert "Заявитель Ким Виктория Олеговна, ноябрь 2024" in page  # Sep 2024 .. Feb 2025, third blank
    assert "Член семьи 2, Ким Ольга" in page  # born in the future
    assert "member:" not in page and "incomes:" not in page and "applicant:" not in page
    assert 'value="Ким Артём"' in page and 'value="Ким Ольга"' in page
    assert 'name="income-a-0" value="200 000"' in page
    assert page.count('-none" checked') == 5  # the child's ticks kept, the cleared one not


def test_officer_approves_from_the_request_page(client, api, officer, program, create):
    case = create()
    client.force_login(officer)

    client.post(f"/certificates/{case['id']}/act/approve/")

    assert CertificateRequest.objects.get().status == "approved"
    page = client.get(f"/certificates/programs/{program.pk}/").content.decode()
    assert case["number"] in page


def test_a_refused_action_re_renders_the_page_with_its_errors_and_what_was_typed(
    client, officer, program, create
):
    case = create()
    client.force_login(officer)

    refused = client.post(
        f"/certificates/{case['id']}/act/refuse/", {"ground": "non_compliance", "reason": "  "}
    )
    done = client.post(
        f"/certificates/{case['id']}/act/refuse/",
        {"ground": "non_compliance", "reason": "Доход выше порога."},
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="id_refuse-reason-error"' in page and 'aria-invalid="true"' in page
    assert '<option value="non_compliance" selected>' in page
    assert done.status_code == 302
    request = CertificateRequest.objects.get()
    assert (request.status, request.refusal_reason) == ("refused", "Доход выше порога.")
    assert request.events().filter(transition="refuse").count() == 1


def test_an_unknown_action_of_the_request_page_is_404(client, officer, program, create):
    case = create()
    client.force_login(officer)

    assert client.post(f"/certificates/{case['id']}/act/delete/").status_code == 404


def test_worklist_query_count_does_not_grow(client, officer, program, create):
    client.force_login(officer)
    create()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/certificates/").status_code == 200
    for iin in ("061211600012", "850315410002", "061211600012"):
        create(iin=iin)
    with CaptureQueriesContext(connection) as four:
        client.get("/certificates/")

    assert len(four.captured_queries) == len(one.captured_queries)


def test_trustee_sees_loans_with_arrears(client, api, officer, trustee, program, create):
    case = _budget_loan(api, officer, trustee, create)
    client.force_login(trustee)

    page = client.get("/certificates/loans/").content.decode()

    assert case["number"] in page
    assert client.get(f"/certificates/{case['id']}/").status_code == 200


def test_the_screens_write_the_rate_and_the_multiplier_with_the_decimals_they_have(
    client, api, officer, trustee, program, create
):
    # given a budget loan at 0.01 % a year, decided against 3.1 x MSL
    case = _budget_loan(api, officer, trustee, create)
    client.force_login(trustee)

    loan = client.get(f"/certificates/loans/{Loan.objects.get().pk}/").content.decode()
    request = client.get(f"/certificates/{case['id']}/").content.decode()

    # then as the documents write them: 0,01 %, not 0,0100 %; 3,1 x, not 3,10 x
    assert "0,01 %" in loan and "0,0100" not in loan
    assert "3,1 ×" in request and "3,10 ×" not in request


def test_the_trustee_records_and_reverses_a_repayment_on_the_loan_page(
    client, api, officer, trustee, program, create
):
    case = _budget_loan(api, officer, trustee, create)
    transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    loan = Loan.objects.get(request_id=case["id"])
    url = f"/certificates/loans/{loan.pk}/"
    client.force_login(trustee)

    refused = client.post(url, {"paid_on": "2025-03-12", "amount": "-5", "reference": "П-17"})
    recorded = client.post(url, {"paid_on": "2025-03-12", "amount": "1000.00", "reference": "П-17"})
    entry = Repayment.objects.get()
    reversed_ = client.post(url, {"reverse": "1", "repayment": entry.pk, "reason": "Не тот платёж"})

    assert refused.status_code == 400 and 'value="П-17"' in refused.content.decode()
    assert recorded.status_code == 302 and reversed_.status_code == 302
    loan.refresh_from_db()
    assert loan.paid_total == 0
    request = CertificateRequest.objects.get(pk=case["id"])
    assert list(
        request.events()
        .filter(transition__contains="repayment")
        .order_by("id")
        .values_list("transition", flat=True)
    ) == [
        "record_repayment",
        "reverse_repayment",
    ]


def test_other_provider_request_page_is_404(client, other_officer, program, create):
    case = create()
    client.force_login(other_officer)

    assert client.get(f"/certificates/{case['id']}/").status_code == 404


def test_the_request_page_links_the_loan_only_for_those_the_loan_page_answers(
    client, api, officer, trustee, clerk, program, create
):
    case = _budget_loan(api, officer, trustee, create)
    loan = Loan.objects.get(request_id=case["id"])
    link = f'href="/certificates/loans/{loan.pk}/"'

    for user, readable in ((trustee, True), (clerk, False)):
        client.force_login(user)
        page = client.get(f"/certificates/{case['id']}/").content.decode()

        assert loan.number in page
        assert (link in page) is readable
        assert client.get(f"/certificates/loans/{loan.pk}/").status_code == (200 if readable else 404)


def test_a_refused_repayment_shows_the_error_beside_its_field_and_keeps_what_was_typed(
    client, api, officer, trustee, program, create
):
    case = _budget_loan(api, officer, trustee, create)
    transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    loan = Loan.objects.get(request_id=case["id"])
    client.force_login(trustee)

    refused = client.post(
        f"/certificates/loans/{loan.pk}/", {"paid_on": "2025-03-12", "amount": "-5", "reference": "П-17"}
    )

    page = refused.content.decode()
    assert refused.status_code == 400
    assert not Repayment.objects.exists()
    assert "amount:" not in page
    beside = page.split('name="amount"')[1].split("</p>")[0]
    assert 'class="error"' in beside and "больше либо равно 0" in beside
    assert 'value="-5"' in page and 'value="П-17"' in page
