"""Reads for screens and the API: always through the user's provider scope."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django.db import connection
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import (
    ZERO,
    Announcement,
    CertificateProgram,
    CertificateRequest,
    Kind,
    Loan,
    Status,
)
from housing_aid import roles, workdays
from housing_aid.casework import worklists
from housing_aid.dbrouter import list_reads
from housing_aid.paging import KeysetPage, OverdueWorklistFilterSet, keyset_page
from housing_aid.people import ASSIGNEE_COLUMNS
from housing_aid.persons import APPLICANT_COLUMNS

OPEN_STATUSES = (Status.UNDER_CONSIDERATION, Status.APPROVED, Status.AGREEMENT_CONCLUDED, Status.TRANSFERRED)


def certificates_for(
    user, *, status: str | None = None, kind: str | None = None, overdue: bool = False, query: str = ""
) -> QuerySet[CertificateRequest]:
    qs = CertificateRequest.objects.visible_to(user).select_related(
        "provider", "applicant", "program", "assignee"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(stage_due_date__lt=workdays.today(), status__in=OPEN_STATUSES)
    if query:
        qs = search(qs, query)
    return qs


def search(qs: QuerySet[CertificateRequest], text: str) -> QuerySet[CertificateRequest]:
    """IIN, number (whole or part) or surname, through indexes (see applications.selectors);
    on PostgreSQL the surname kept on the request (migration 0006), scoped by provider."""
    from applications.selectors import search_cases

    surname = "applicant_last_name" if connection.vendor == "postgresql" else "applicant__last_name"
    return search_cases(qs, text, iin="applicant__iin", surname=surname)


class CertificateWorklistFilterSet(OverdueWorklistFilterSet):
    """The worklist's query parameters; open requests unless ``state`` says otherwise."""

    OPEN_STATUSES = OPEN_STATUSES
    DUE_FIELD = "stage_due_date"
    search = staticmethod(search)

    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = CertificateRequest
        fields: list[str] = []


# What a worklist row shows (templates/certificates/worklist.html), and no other column: a page is
# 51 narrow rows, not the cases' texts and lists decoded for nothing.
WORKLIST_ROW = (
    "pk",
    "number",
    "registered_on",
    "kind",
    "amount",
    "status",
    "stage_due_date",
    "closed_at",
    *APPLICANT_COLUMNS,
    *ASSIGNEE_COLUMNS,
)


def worklist(user, params, *, per_page: int = 50, queryset: QuerySet | None = None) -> KeysetPage:
    """The certificates worklist: open requests by step due date (or newest first), keyset pages."""
    return keyset_page(
        (worklist_queryset(user, params) if queryset is None else queryset).select_related(None),
        due_field=None if params.get("order") == "newest" else "stage_due_date",
        after=params.get("after"),
        before=params.get("before"),
        per_page=per_page,
        columns=WORKLIST_ROW,
    )


def worklist_queryset(user, params) -> QuerySet[CertificateRequest]:
    """The worklist's requests as filtered (any order): the page, the count and the export."""
    filterset = CertificateWorklistFilterSet(
        params,
        queryset=CertificateRequest.objects.visible_to(user).select_related(
            "provider", "applicant", "program", "assignee"
        ),
        user=user,
    )
    return filterset.qs.using(list_reads(user, searching=bool(params.get("q"))))


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# The filtered worklist as CSV (``housing_aid.casework.worklists``), in the reader's language.
EXPORT_COLUMNS = [
    worklists.Column(_("Number"), lambda c: c.number),
    worklists.Column(_("Applicant"), lambda c: c.applicant.full_name),
    worklists.Column(_("IIN"), lambda c: c.applicant.iin),
    worklists.Column(_("Kind of support"), lambda c: c.get_kind_display()),
    worklists.Column(_("Amount, KZT"), lambda c: c.amount),
    worklists.Column(_("Status"), lambda c: c.get_status_display()),
    worklists.Column(_("Registration date"), lambda c: _day(c.registered_on)),
    worklists.Column(_("Step due"), lambda c: _day(c.stage_due_date)),
    worklists.Column(_("Executor"), lambda c: c.assignee.get_full_name() if c.assignee_id else ""),
]
EXPORT_DUE_FIELD = "stage_due_date"


def certificate_detail(user, pk: int, *, page: bool = False) -> CertificateRequest:
    """The request with its program, loan and executor; with its family and incomes unless for
    the case page (``page``), whose income panel reads them only when it is drawn again
    (housing_aid.casepage). get() rather than first(): a lookup by key needs no ORDER BY."""
    qs = CertificateRequest.objects.visible_to(user).select_related(
        "provider", "applicant", "program", "program__provider", "loan", "assignee"
    )
    return get_object_or_404(qs if page else qs.prefetch_related("family_members", "incomes"), pk=pk)


# Who reads programs and loans (API.md): the provider's staff who handle certificates; the
# portal account, complaints and quality officers never do.
PROGRAM_READERS = frozenset(
    {
        roles.Role.INTAKE_CLERK,
        roles.Role.CASE_OFFICER,
        roles.Role.HEAD,
        roles.Role.TRUSTEE,
        roles.Role.AUDITOR,
        roles.Role.ADMINISTRATOR,
    }
)
# API.md, "Loans": the trustee and the provider's officers, heads and auditors; nobody else.
LOAN_READERS = frozenset({roles.Role.TRUSTEE, roles.Role.CASE_OFFICER, roles.Role.HEAD, roles.Role.AUDITOR})


def programs_for(user) -> QuerySet[CertificateProgram]:
    """Programs follow their provider: only the caller's providers, only for reading roles."""
    return _of_providers(
        CertificateProgram.objects.select_related("provider", "announcement"), user, PROGRAM_READERS
    )


def program_for_user(user, pk: int) -> CertificateProgram:
    return get_object_or_404(programs_for(user), pk=pk)


def _of_providers(qs: QuerySet, user, readers) -> QuerySet:
    """The rows of the user's providers, for the roles that read them (none for the others)."""
    if roles.role_of(user) not in readers:
        return qs.none()
    ids = roles.provider_ids_for(user)
    return qs if ids is None else qs.filter(provider_id__in=ids)


def terminated_announcements_for(user) -> list[Announcement]:
    """The banner on officers' screens: terminated programs of their providers this year."""
    return list(terminated_announcements(user).select_related("program__provider"))


def terminated_announcements(user) -> QuerySet[Announcement]:
    ids = roles.provider_ids_for(user)
    qs = Announcement.objects.filter(program__terminated=True, program__year=workdays.today().year)
    if ids is not None:
        qs = qs.filter(program__provider_id__in=ids)
    return qs


def public_announcements() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("program__provider").filter(program__terminated=True)


def income_rows(case: CertificateRequest) -> list[dict]:
    """The income table of the request page and the decision notice: one row per person, a column per month."""
    from certificates import income
    from certificates import parameters as cp
    from housing_aid import parameters

    count = parameters.int_value_on(cp.INCOME_MONTHS, case.registered_on, case.provider)
    months = income.tested_months(timezone.localtime(case.received_at).date(), count)
    members = list(case.family_members.all())
    by_person: dict[int | None, dict] = {}
    for entry in case.incomes.all():
        by_person.setdefault(entry.member_id, {})[entry.month] = entry.amount
    rows = [
        {
            "name": case.applicant.full_name,
            "relationship": None,
            "counted": True,
            "amounts": [by_person.get(None, {}).get(m, ZERO) for m in months],
        }
    ]
    for member in members:
        rows.append(
            {
                "name": member.full_name,
                "member": member,
                "counted": member.counted,
                "amounts": [by_person.get(member.pk, {}).get(m, ZERO) for m in months],
            }
        )
    for row in rows:
        row["total"] = sum(row["amounts"], ZERO)
    return {"months": months, "rows": rows}


def _due_to_date_subquery(on):
    from certificates.models import Instalment

    return Subquery(
        Instalment.objects.filter(loan=OuterRef("pk"), due_on__lt=on)
        .values("loan")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def loans_for(user) -> QuerySet[Loan]:
    """The trustee's loans with what is due to date; arrears = due to date - repaid."""
    on = workdays.today()
    qs = (
        Loan.objects.filter(cancelled_on__isnull=True)
        .select_related("request", "request__applicant", "provider")
        .annotate(
            due_to_date=Coalesce(
                _due_to_date_subquery(on),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        )
    )
    return _of_providers(qs, user, LOAN_READERS)


def loan_readable(user, loan: Loan) -> bool:
    """Whether loan_for answers this loan to the user: a case page links the loan only then."""
    return loan.cancelled_on is None and roles.role_of(user) in LOAN_READERS


def loan_for(user, pk: int) -> Loan:
    return get_object_or_404(loans_for(user), pk=pk)


def loan_ledger(loan: Loan):
    """The schedule with each instalment's paid part and days past due (loans.ledger)."""
    from certificates import loans

    return loans.ledger(
        list(loan.instalments.all()), loan.paid_total, loan.request.transferred_on, workdays.today()
    )


def arrears_of(loan: Loan) -> Decimal:
    """Past-due and unpaid; nothing before the transfer (API.md)."""
    transferred_on = loan.request.transferred_on
    if transferred_on is None or loan.cancelled_on is not None:
        return ZERO
    today = workdays.today()
    if today <= transferred_on:
        return ZERO
    due = getattr(loan, "due_to_date", None)
    if due is None:
        due = loan.instalments.filter(due_on__lt=today).aggregate(s=Sum("amount"))["s"] or ZERO
    return max(ZERO, due - loan.paid_total)


def loan_status(loan: Loan, arrears: Decimal) -> str:
    if loan.cancelled_on is not None:
        return "cancelled"
    if loan.request.transferred_on is None:
        return "not_transferred"
    if loan.outstanding <= 0:
        return "repaid"
    return "in_arrears" if arrears > 0 else "current"


def loan_summary(loan: Loan) -> dict:
    """API.md loan shape, plus the totals and the repayment ledger."""
    from certificates.serializers import repayment_data

    ledger = loan_ledger(loan)
    entries = list(loan.repayments.all())
    reversed_by = {e.reverses_id: e.pk for e in entries if e.reverses_id}
    return {
        "id": loan.pk,
        "number": loan.number,
        "certificate": loan.request.number,
        "borrower": loan.request.applicant.full_name,
        "principal": str(loan.principal),
        "rate_percent": str(loan.annual_rate),
        "term_months": loan.term_months,
        "status": loan_status(loan, ledger.arrears),
        "concluded_on": loan.concluded_on.isoformat(),
        "transferred_on": loan.request.transferred_on.isoformat() if loan.request.transferred_on else None,
        "total_repayable": str(loan.total_repayable),
        "paid_total": str(loan.paid_total),
        "outstanding": str(loan.outstanding),
        "arrears": str(ledger.arrears),
        "days_past_due": ledger.days_past_due,
        "schedule": [
            {
                "number": row.number,
                "due_on": row.due_on.isoformat(),
                "amount": str(row.amount),
                "principal": str(row.principal),
                "interest": str(row.interest),
                "paid": str(row.paid),
                "days_past_due": row.days_past_due,
                "state": row.state,
            }
            for row in ledger.rows
        ],
        "repayments": [repayment_data(e, reversed_by.get(e.pk)) for e in entries],
    }
