"""Complaint terms and a handful of demo complaints for ``seed_demo`` (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints import parameters as terms
from complaints import services
from complaints.models import Addressee, Channel, Complaint
from housing_aid import parameters
from housing_aid.demo import ASTANA
from housing_aid.models import ServiceProvider

RULES = "Rules for the public service «Assignment of housing assistance», para 13"


def seed_reference() -> None:
    # Para 13: 5 working days; 15 at the quality-control body. Later decrees add rows.
    parameters.set_value(terms.ANSWER_DAYS, dt.date(2020, 1, 1), 5, legal_basis=RULES)
    parameters.set_value(terms.QUALITY_CONTROL_ANSWER_DAYS, dt.date(2020, 1, 1), 15, legal_basis=RULES)


DEMO_COMPLAINTS = [
    # last name, first name, patronymic, address, iin, addressee, channel, text, how far it got
    (
        "Сейітқали",
        "Әсел",
        "Болатқызы",
        "010000, г. Астана, ул. Сарайшық, 5, кв. 12",
        "850315410002",
        Addressee.SERVICE_PROVIDER,
        Channel.OFFICE,
        "Прошу разобраться: заявление о назначении жилищной помощи не рассмотрено в срок.",
        "answered",
    ),
    (
        "Ким",
        "Сергей",
        "Владимирович",
        "010000, г. Астана, пр. Республики, 24, кв. 3",
        "061211600012",
        Addressee.AUTHORIZED_BODY,
        Channel.MAIL,
        "Не согласен с расчётом доли расходов семьи на содержание жилья.",
        "under_review",
    ),
    (
        "Омаров",
        "Ерлан",
        "",
        "010000, г. Астана, ул. Кенесары, 40, кв. 77",
        "",
        Addressee.SERVICE_PROVIDER,
        Channel.MAIL,
        "Специалист отказался принять документы без объяснения причин.",
        "registered",
    ),
]


def seed_demo(with_cases: bool = True) -> None:
    seed_reference()
    if not with_cases:
        return
    provider = ServiceProvider.objects.get(code=ASTANA)
    officer = get_user_model().objects.filter(username="complaints").first()
    if officer is None:
        return
    for last, first, patronymic, address, iin, addressee, channel, text, progress in DEMO_COMPLAINTS:
        if Complaint.objects.filter(provider=provider, complainant_last_name=last, text=text).exists():
            continue
        complaint = services.register_complaint(
            user=officer,
            provider=provider,
            addressee=addressee,
            channel=channel,
            complainant=services.Complainant(
                last_name=last, first_name=first, patronymic=patronymic, postal_address=address, iin=iin
            ),
            text=text,
            received_at=timezone.now() - dt.timedelta(days=3),
        )
        if progress in ("under_review", "answered"):
            services.act(complaint, "start_review", officer)
        if progress == "answered":
            services.act(
                complaint,
                "answer",
                officer,
                {
                    "response": "Заявление рассмотрено, жилищная помощь назначена с месяца обращения. "
                    "Специалисту, нарушившему срок, указано на недопустимость нарушения.",
                    "delivery_method": "mail",
                },
            )
