"""Registration refuses what would cost money: a month left out is not zero, implausible sums,
people born after the request; every message names the person and the month."""

from __future__ import annotations

from certificates.models import CertificateRequest
from certificates.tests.conftest import body

CHILD = {"full_name": "Жақсыбеков Нұрлан", "birth_date": "2015-06-01", "relationship": "child"}


def _post(api, officer, data):
    return api.as_user(officer).post("/api/v1/certificates/", data, format="json")


def test_a_month_left_out_is_400_naming_the_person_and_month(api, officer, program, frozen):
    data = body(members=[CHILD])
    data["incomes"] = [e for e in data["incomes"] if not (e["person"] == 0 and e["month"] == "2024-11")]
    data["incomes"] = [
        e for e in data["incomes"] if not (e["person"] == "applicant" and e["month"] == "2025-02")
    ]

    response = _post(api, officer, data)

    assert response.status_code == 400
    assert response.json()["incomes"] == [
        "Заявитель Жақсыбекова Айнұр Серікқызы, февраль 2025: доход не указан; "
        "введите его или отметьте «нет дохода».",
        "Член семьи 1, Жақсыбеков Нұрлан, ноябрь 2024: доход не указан; введите его или отметьте «нет дохода».",
    ]
    assert CertificateRequest.objects.count() == 0


def test_no_income_is_explicit_and_counts_as_zero(api, officer, program, frozen):
    data = body(members=[CHILD])  # the child: "no_income": true for each month
    data["incomes"][0] = {"person": "applicant", "month": data["incomes"][0]["month"], "amount": "0.00"}

    response = _post(api, officer, data)

    assert response.status_code == 201, response.json()
    assert response.json()["income_test"]["average_monthly_income"] == "100000.00"  # 5 x 120 000 / 6


def test_no_income_together_with_an_amount_is_400(api, officer, program, frozen):
    data = body()
    data["incomes"][0]["no_income"] = True

    response = _post(api, officer, data)

    assert response.status_code == 400
    assert "сентябрь 2024" in response.json()["incomes"][0]


def test_an_implausible_income_is_400(api, officer, program, frozen):
    data = body()
    data["incomes"][3]["amount"] = "1000000000000.00"

    response = _post(api, officer, data)

    assert response.status_code == 400
    [message] = response.json()["incomes"]
    assert message.startswith("Заявитель Жақсыбекова Айнұр Серікқызы, декабрь 2024:")
    assert "100\u00a0000\u00a0000.00" in message


def test_an_implausible_loan_is_400(api, officer, program, frozen):
    response = _post(api, officer, body(loan_amount="5000000000.00"))

    assert response.status_code == 400
    assert "loan_amount" in response.json()


def test_a_birth_date_in_the_future_is_400(api, officer, program, frozen):
    unborn = {"full_name": "Ещё не родился", "birth_date": "2025-09-01", "relationship": "child"}

    response = _post(api, officer, body(members=[unborn]))

    assert response.status_code == 400
    assert response.json()["family_members"] == [
        "Член семьи 1, Ещё не родился: дата рождения 01.09.2025 позже дня подачи заявления."
    ]


def test_an_applicant_born_in_the_future_is_400(api, officer, program, frozen):
    data = body()
    data["applicant"]["birth_date"] = "2026-01-01"

    assert _post(api, officer, data).status_code == 400


def test_a_month_of_year_0000_is_400_not_500(api, officer, program, frozen):
    # Found by the wider fuzz: "0000-01" matched YYYY-MM and then failed as a date (500).
    data = body()
    data["incomes"][0]["month"] = "0000-01"

    response = _post(api, officer, data)

    assert response.status_code == 400
    assert response.json()["incomes"]["0"] == {"month": ["Укажите месяц в формате ГГГГ-ММ."]}
    assert CertificateRequest.objects.count() == 0
