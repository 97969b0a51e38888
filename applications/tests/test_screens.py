"""The screens: desk, worklist (flat query count), case page, signing queue, monitoring export."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from applications.models import Application
from tests import eds

from .conftest import FULL_PACKAGE, IBAN, advance, make_iin, package


@pytest.fixture
def browser_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def desk_post(provider, **changes):
    data = {
        "provider": provider.pk,
        "last_name": "Жақсыбекова",
        "first_name": "Әйгерім",
        "patronymic": "",
        "iin": "850315410002",
        "birth_date": "",
        "address": "Астана, ул. Бейбітшілік, 7",
        "tenure": "owner",
        "iban": IBAN,
        "bank_name": "Kaspi Bank",
        "documents": FULL_PACKAGE,
        "consent": "on",
        "language": "kk",
        "family-TOTAL_FORMS": "4",
        "family-INITIAL_FORMS": "0",
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": "15",
        "family-0-full_name": "Жақсыбеков Ерлан",
        "family-0-relationship": "spouse",
        "family-0-social_status": "работает",
    }
    data.update(changes)
    return data


def test_desk_registers_a_complete_package_and_shows_the_receipt(browser_of, clerk, provider, at_intake_day):
    client = browser_of(clerk)

    response = client.post("/applications/intake/", desk_post(provider), follow=True)

    application = Application.objects.get()
    assert application.status == "registered"
    assert application.language == "kk"
    assert application.family_members.get().relationship == "spouse"
    assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
    assert "acceptance_receipt" in response.content.decode()


def test_desk_incomplete_package_gives_the_refusal_receipt(browser_of, clerk, provider, at_intake_day):
    client = browser_of(clerk)
    post = desk_post(provider, documents=["identity", "family_income"])
    assert client.post("/applications/intake/", post).status_code == 200  # asks first
    missing = "employment_status,alimony,bank_account,maintenance_invoice,utility_bills,telecom_bill"
    response = client.post("/applications/intake/", {**post, "confirm_refusal": missing}, follow=True)

    application = Application.objects.get()
    assert application.status == "rejected_at_intake"
    assert "intake_refusal_receipt" in response.content.decode()


def test_desk_keeps_the_input_and_explains_a_wrong_iin(browser_of, clerk, provider, at_intake_day):
    response = browser_of(clerk).post("/applications/intake/", desk_post(provider, iin="850315410003"))

    assert response.status_code == 400
    assert "Жақсыбекова" in response.content.decode()
    assert Application.objects.count() == 0


def test_desk_is_for_intake_clerks(browser_of, officer):
    assert browser_of(officer).get("/applications/intake/").status_code == 403


def test_iin_lookup_suggests_the_birth_date_and_the_history(browser_of, clerk, registered):
    registered()

    body = browser_of(clerk).get("/applications/intake/iin/", {"iin": "850315410002"}).json()

    assert body["valid"] is True
    assert body["birth_date"] == "15.03.1985"  # as the desk types dates
    assert body["person"]["last_name"] == "Әбдірахманова"
    assert len(body["applications"]) == 1
    assert [a["number"] for a in body["open_elsewhere"]] == [body["applications"][0]["number"]]


def _many(api, clerk, count):
    client = api.as_user(clerk)
    for n in range(count):
        client.post("/api/v1/applications/", package(iin=make_iin(n)), format="json")


def test_worklist_query_count_does_not_grow_with_rows(
    api, browser_of, clerk, officer, at_intake_day, django_assert_max_num_queries
):
    client = browser_of(officer)
    _many(api, clerk, 3)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/applications/").status_code == 200
    count_with_3 = len(few)
    _many(api, clerk, 30)
    with django_assert_max_num_queries(count_with_3):
        response = client.get("/applications/")
    assert response.content.decode().count('<tr class="row-') == 33


def test_api_list_query_count_does_not_grow_with_rows(
    api, clerk, officer, at_intake_day, django_assert_max_num_queries
):
    _many(api, clerk, 3)
    client = api.as_user(officer)
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/applications/")
    count_with_3 = len(few)
    _many(api, clerk, 30)
    with django_assert_max_num_queries(count_with_3):
        body = client.get("/api/v1/applications/?page_size=50").json()
    assert len(body["results"]) == 33


def test_worklist_pages_by_keyset_and_filters(api, browser_of, clerk, officer, at_intake_day):
    _many(api, clerk, 5)
    first = Application.objects.order_by("id").first()
    advance(first, officer, "start_review")
    client = browser_of(officer)

    mine = client.get("/applications/", {"scope": "mine"}).content.decode()
    unassigned = client.get("/applications/", {"scope": "unassigned"}).content.decode()
    found = client.get("/applications/", {"q": first.number}).content.decode()

    assert first.number in mine and mine.count('<tr class="row-') == 1
    assert first.number not in unassigned and unassigned.count('<tr class="row-') == 4
    assert found.count('<tr class="row-') == 1


def test_worklist_keyset_next_page(api, clerk, officer, at_intake_day):
    from applications.selectors import WorklistFilters, worklist

    _many(api, clerk, 5)

    page1 = worklist(officer, WorklistFilters(), page_size=2)
    page2 = worklist(officer, WorklistFilters(after=page1.next_after), page_size=2)
    page3 = worklist(officer, WorklistFilters(after=page2.next_after), page_size=2)

    seen = [a.pk for a in page1.rows + page2.rows + page3.rows]
    assert sorted(seen) == sorted(Application.objects.values_list("pk", flat=True))
    assert page3.next_after is None


@pytest.mark.parametrize("order", ["due", "newest"])
def test_worklist_keyset_previous_page_walks_back_to_the_first(api, clerk, officer, at_intake_day, order):
    from applications.selectors import WorklistFilters, worklist

    _many(api, clerk, 5)
    page1 = worklist(officer, WorklistFilters(order=order), page_size=2)
    page2 = worklist(officer, WorklistFilters(order=order, after=page1.next_after), page_size=2)
    page3 = worklist(officer, WorklistFilters(order=order, after=page2.next_after), page_size=2)

    back2 = worklist(officer, WorklistFilters(order=order, before=page3.prev_before), page_size=2)
    back1 = worklist(officer, WorklistFilters(order=order, before=back2.prev_before), page_size=2)

    assert page1.prev_before is None and page1.is_first
    assert [a.pk for a in back2.rows] == [a.pk for a in page2.rows] and not back2.is_first
    assert back2.next_after == page2.next_after
    assert [a.pk for a in back1.rows] == [a.pk for a in page1.rows]
    assert back1.is_first and back1.prev_before is None and back1.next_after == page1.next_after


def test_worklist_screen_has_a_previous_link_that_goes_back(
    api, browser_of, clerk, officer, at_intake_day, monkeypatch
):
    import functools
    import re
    from html import unescape

    from applications import selectors

    monkeypatch.setattr(selectors, "worklist", functools.partial(selectors.worklist, page_size=2))
    _many(api, clerk, 5)
    client = browser_of(officer)

    def link(html: str, name: str) -> str | None:
        found = re.search(rf'id="{name}" href="\?([^"]*)"', html)
        return unescape(found.group(1)) if found else None

    def numbers(html: str) -> list[str]:
        return re.findall(r">(HA-[0-9-]+)</a>", html)

    page1 = client.get("/applications/").content.decode()
    page2 = client.get(f"/applications/?{link(page1, 'next-page')}").content.decode()
    back = client.get(f"/applications/?{link(page2, 'prev-page')}").content.decode()

    assert link(page1, "prev-page") is None and link(page1, "first-page") is None
    assert link(page2, "prev-page") and "before=" in link(page2, "prev-page")
    assert "Предыдущая страница" in page2
    assert numbers(back) == numbers(page1) and len(numbers(page1)) == 2
    assert not set(numbers(page1)) & set(numbers(page2))
    assert link(back, "prev-page") is None and link(back, "next-page") == link(page1, "next-page")


def test_deadline_colours_are_computed_from_stored_due_dates(api, clerk, officer, at_intake_day):
    import datetime as dt

    from applications.selectors import with_deadline

    _many(api, clerk, 1)
    qs = with_deadline(Application.objects.all(), today=dt.date(2025, 4, 14))  # review due 16.04
    assert qs.get().deadline == "on_track"
    assert with_deadline(Application.objects.all(), today=dt.date(2025, 4, 15)).get().deadline == "due_soon"
    assert with_deadline(Application.objects.all(), today=dt.date(2025, 4, 16)).get().deadline == "due_today"
    assert with_deadline(Application.objects.all(), today=dt.date(2025, 4, 17)).get().deadline == "overdue"


def test_case_page_shows_the_actions_allowed_and_why_not(browser_of, registered, officer, clerk):
    application = registered()

    officer_page = browser_of(officer).get(f"/applications/{application.pk}/").content.decode()
    clerk_page = browser_of(clerk).get(f"/applications/{application.pk}/").content.decode()

    assert 'id="action-start_review"' in officer_page
    assert 'id="action-start_review"' not in clerk_page
    assert "disabled" in clerk_page


def test_case_page_of_another_provider_answers_404(browser_of, registered, other_officer):
    application = registered()

    assert browser_of(other_officer).get(f"/applications/{application.pk}/").status_code == 404


def test_web_transition_with_bad_input_keeps_what_was_typed(browser_of, registered, officer):
    application = advance(registered(), officer, "start_review", "start_verification")

    response = browser_of(officer).post(
        f"/applications/{application.pk}/transitions/draft_assignment/",
        {"quarter_income": "много", "utilities": "9000", "expected_status": "under_verification"},
    )

    assert response.status_code == 400
    assert 'value="9000"' in response.content.decode()


def test_head_signs_from_the_queue(browser_of, registered, officer, head):
    application = advance(
        registered(),
        officer,
        "start_review",
        "start_verification",
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    )
    client = browser_of(head)
    queue = client.get("/applications/signing/").content.decode()
    assert application.number in queue
    assert "5\xa0000,00" in queue  # money grouped by the active language (Russian)

    client.post(
        f"/applications/{application.pk}/transitions/sign/",
        {
            "expected_status": "decision_drafted",
            "next": "signing_queue",
            **eds.sign_in_python(application, head),
        },
    )

    application.refresh_from_db()
    assert application.status == "assigned"
    assert application.signed_by == head


def test_case_page_prints_money_grouped_in_the_users_language(browser_of, registered, officer):
    application = advance(
        registered(),
        officer,
        "start_review",
        "start_verification",
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    )

    page = browser_of(officer).get(f"/applications/{application.pk}/").content.decode()

    assert '<strong id="monthly-amount">5\xa0000,00</strong>' in page
    assert "100\xa0000,00" in page and "300\xa0000,00" in page
    assert "300000.00" not in page and "5000.00" not in page


def test_stale_form_is_refused(browser_of, registered, officer):
    application = advance(registered(), officer, "start_review")

    browser_of(officer).post(
        f"/applications/{application.pk}/transitions/start_verification/", {"expected_status": "registered"}
    )

    application.refresh_from_db()
    assert application.status == "under_review"


def test_monitoring_export_lists_stage_events_of_the_period(
    browser_of, registered, officer, clerk, auditor, other_officer
):
    application = advance(registered(), officer, "start_review")

    response = browser_of(auditor).get("/applications/events.csv", {"from": "2025-04-01", "to": "2025-04-30"})
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    other = browser_of(other_officer).get(
        "/applications/events.csv", {"from": "2025-04-01", "to": "2025-04-30"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:3] == ["Дата и время", "Номер дела", "Услугодатель"]
    assert [r[3] for r in rows[1:]] == ["Зарегистрировано", "Начать проверку"]
    assert all(r[1] == application.number for r in rows[1:])
    assert len(b"".join(other.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1
    assert (
        browser_of(clerk)
        .get("/applications/events.csv", {"from": "2025-04-01", "to": "2025-04-30"})
        .status_code
        == 403
    )


def test_hand_out_of_a_signed_notice_is_recorded_on_the_case_page(
    browser_of, registered, officer, head, clerk
):
    from applications.documents import issue_due_documents
    from housing_aid.documents import documents_of

    application = advance(
        registered(),
        officer,
        "start_review",
        "start_verification",
        ("draft_refusal", {"ground": "non_compliance", "reason": "Не соответствует требованиям."}),
    )
    advance(application, head, "sign")
    issue_due_documents(application, head)
    notice = documents_of(application).get(kind="refusal_notice")
    client = browser_of(clerk)
    assert "hand-out" in client.get(f"/applications/{application.pk}/").content.decode()

    client.post(
        f"/applications/{application.pk}/documents/{notice.number}/hand-out/",
        {"recipient_kind": "applicant", "id_number": application.applicant.iin},
    )

    assert notice.application_hand_out.handed_out_by == clerk
    assert application.applicant.iin in client.get(f"/applications/{application.pk}/").content.decode()


def test_a_phone_that_is_not_a_number_comes_back_next_to_the_field_with_what_was_typed(
    browser_of, clerk, provider, at_intake_day
):
    client = browser_of(clerk)

    response = client.post("/applications/intake/", desk_post(provider, phone="Әбдіқадыр 🏠"))

    page = response.content.decode()
    assert response.status_code == 400
    assert not Application.objects.exists()
    assert 'value="Әбдіқадыр 🏠"' in page
    assert "Введите номер телефона цифрами" in page
    assert "errorlist" in page.split('name="phone"')[1].split("</div>")[0]


def test_a_refused_export_period_comes_back_as_the_form_with_the_error_and_the_dates_typed(
    browser_of, auditor
):
    client = browser_of(auditor)

    reversed_ = client.get("/applications/events.csv", {"from": "2025-04-30", "to": "2025-04-01"})
    too_long = client.get("/applications/events.csv", {"from": "2024-01-01", "to": "2025-04-01"})

    page = reversed_.content.decode()
    assert reversed_.status_code == 400 and '<html lang="ru">' in page
    assert "Конец периода раньше его начала." in page
    assert 'value="2025-04-30"' in page and 'value="2025-04-01"' in page
    assert too_long.status_code == 400 and "Не более 366 дней" in too_long.content.decode()
    assert 'value="2024-01-01"' in too_long.content.decode()


def test_a_too_long_name_is_refused_in_kazakh_on_a_kazakh_page(browser_of, clerk, provider, at_intake_day):
    client = browser_of(clerk)
    client.cookies["django_language"] = "kk"

    response = client.post("/applications/intake/", desk_post(provider, last_name="Ж" * 101))

    page = response.content.decode()
    assert response.status_code == 400
    assert "Бұл мән ең көбі 100 таңбадан тұруы керек (қазір 101)." in page
    assert "Убедитесь" not in page
