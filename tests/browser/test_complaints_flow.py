"""A complaints officer registers, answers and escalates a complaint; the quality officer sees it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from complaints.models import Complaint
from housing_aid import workdays


def test_register_answer_and_escalate_a_complaint(
    page, login, shot, complaints_officer, quality_officer, provider
):
    # the browser keeps real time (session cookies would expire): no time travel here
    login(page, complaints_officer)
    page.goto("/complaints/")
    page.click("#register-complaint")

    # para 13: without a postal address the form says so and registers nothing
    page.select_option("#id_addressee", "service_provider")
    page.select_option("#id_channel", "office")
    page.fill("#id_complainant_last_name", "Сейітқали")
    page.fill("#id_complainant_first_name", "Әсел")
    page.fill("#id_complainant_patronymic", "Болатқызы")
    page.fill("#id_complainant_iin", "850315410002")
    page.select_option("#id_subject", "inaction")
    page.fill("#id_text", "Заявление о назначении жилищной помощи не рассмотрено в срок.")
    page.click("#register-form button[type=submit]")
    expect(page.locator(".field.has-error")).to_contain_text("(п. 13)")
    shot(page, "complaints_register_error")
    assert not Complaint.objects.exists()

    page.fill("#id_complainant_postal_address", "010000, г. Астана, ул. Сарайшық, 5, кв. 12")
    page.click("#register-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text(re.compile(r"CM-710000000-\d{4}-00001"))
    expect(page.locator("#complaint-status")).to_have_text("Зарегистрирована")
    expect(page.locator(".document-link")).to_have_count(1)
    shot(page, "complaints_registered")

    page.click("#start-review")
    expect(page.locator("#complaint-status")).to_have_text("На рассмотрении")
    page.click("#answer")
    page.fill("#id_response", "Заявление рассмотрено 05.03.2025, жилищная помощь назначена с марта.")
    page.select_option("#id_language", "kk")
    page.select_option("#id_delivery_method", "in_person")
    shot(page, "complaints_answer_form")
    page.click("#answer-form button[type=submit]")
    expect(page.locator("#complaint-status")).to_have_text("Дан ответ")
    expect(page.locator(".document-link")).to_have_count(2)
    shot(page, "complaints_answered")
    # the answered complaint's actions: delivery, escalation (with its confirmation), court appeal
    expect(page.locator("#actions summary")).to_have_count(3)
    page.click("#record_delivery-box summary")
    shot(page, "complaints_case_actions_ru")
    page.context.add_cookies([{"name": "django_language", "value": "kk", "url": page.url}])
    page.reload()
    expect(page.locator("#escalate-box summary")).to_contain_text("Сапаны бақылау")
    page.click("#escalate-box summary")
    shot(page, "complaints_case_actions_kk")
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": page.url}])
    page.reload()

    page.click("#escalate-box summary")
    # the confirmation says what will happen before anything is passed on
    expect(page.locator("#escalate-what")).to_contain_text("15 рабочих дней")
    page.fill("#id_text", "Не согласна с ответом: помощь назначена не с месяца обращения.")
    page.click("#escalate")
    expect(page.locator("h1")).to_contain_text(re.compile(r"CM-710000000-\d{4}-00002"))
    expect(page.locator("#linked")).to_contain_text(re.compile(r"CM-710000000-\d{4}-00001"))
    shot(page, "complaints_escalated")
    escalation = Complaint.objects.get(parent__isnull=False)
    assert escalation.due_date == workdays.add_working_days(escalation.registered_on, 15)

    page.goto("/complaints/")  # open complaints only: the answered one is closed
    expect(page.locator("table.complaints tbody tr")).to_have_count(1)
    page.goto("/complaints/?state=all")
    expect(page.locator("table.complaints tbody tr")).to_have_count(2)
    shot(page, "complaints_worklist")

    # the quality-control officer sees the escalation (and the complaint it disputes) and takes it up
    page.context.clear_cookies()
    login(page, quality_officer)
    page.goto("/complaints/")
    page.click(f"text={escalation.number}")
    expect(page.locator("#start-review")).to_be_visible()
    page.click("#start-review")
    expect(page.locator("#complaint-status")).to_have_text(re.compile("На рассмотрении"))
    shot(page, "complaints_quality_officer")
