"""Housing certificates (seed 004): programs with their budget, requests with the
income test, the agreement steps, and the trustee's loans."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from certificates.income import IncomeTest
from housing_aid import roles
from housing_aid.cases import Case
from housing_aid.models import AppendOnly, Person, ServiceProvider, in_language, user_reference

ZERO = Decimal("0.00")


class AmountKind(models.TextChoices):
    FIXED = "fixed", _("Fixed sum")
    PERCENT_OF_LOAN = "percent_of_loan", _("Percent of the loan")
    PERCENT_OF_DOWN_PAYMENT = "percent_of_down_payment", _("Percent of the down payment")


class CertificateProgram(models.Model):
    """A provider's certificates for one financial year, as the maslikhat decided.

    ``committed`` only moves through conditional updates in services.py; the CHECK
    constraint is the backstop that keeps it within the budget whatever the concurrency.
    """

    provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.PROTECT,
        related_name="certificate_programs",
        verbose_name=_("provider"),
    )
    year = models.PositiveSmallIntegerField(_("financial year"))
    decision = models.CharField(_("maslikhat decision"), max_length=500, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2)
    committed = models.DecimalField(_("committed"), max_digits=16, decimal_places=2, default=ZERO)
    amount_kind = models.CharField(_("amount rule"), max_length=32, choices=AmountKind.choices)
    amount_value = models.DecimalField(
        _("amount or percent"),
        max_digits=16,
        decimal_places=2,
        help_text=_("KZT for a fixed sum, else percent."),
    )
    amount_cap = models.DecimalField(_("cap"), max_digits=16, decimal_places=2, null=True, blank=True)
    categories = models.JSONField(_("categories of recipients"), default=list, blank=True)
    mortgage_programs = models.JSONField(_("eligible mortgage programmes"), default=list, blank=True)
    terminated = models.BooleanField(_("issuance terminated"), default=False)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "provider__code"]
        verbose_name = _("certificate program")
        verbose_name_plural = _("certificate programs")
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="certificate_program_one_per_year"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(committed__lte=F("budget")),
                name="certificate_program_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="certificate_program_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider.code} {self.year}"

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def one_more_certificate(self) -> Decimal:
        """What one more certificate needs (API.md): the fixed sum (capped), the cap of a percent
        rule, or, for a percent rule without a cap, any money at all (one tiyn)."""
        if self.amount_kind == AmountKind.FIXED:
            amount = self.amount_value
            return min(amount, self.amount_cap) if self.amount_cap is not None else amount
        return self.amount_cap if self.amount_cap is not None else Decimal("0.01")

    @property
    def exhausted(self) -> bool:
        return self.remaining < self.one_more_certificate

    def amount_for(self, loan_amount: Decimal, down_payment: Decimal) -> Decimal:
        """The certificate's sum under the maslikhat's rule (fixed, or a percent with an optional cap)."""
        if self.amount_kind == AmountKind.FIXED:
            amount = self.amount_value
        else:
            base = loan_amount if self.amount_kind == AmountKind.PERCENT_OF_LOAN else down_payment
            amount = base * self.amount_value / Decimal(100)
        if self.amount_cap is not None:
            amount = min(amount, self.amount_cap)
        return amount.quantize(Decimal("0.01"))


class Announcement(models.Model):
    """The published announcement that issuance stopped because the funds ran out."""

    program = models.OneToOneField(CertificateProgram, on_delete=models.CASCADE, related_name="announcement")
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    text_ru = models.TextField(_("text (Russian)"))
    text_kk = models.TextField(_("text (Kazakh)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("announcement of termination")
        verbose_name_plural = _("announcements of termination")

    def __str__(self) -> str:
        return f"{self.program}: {self.published_at:%Y-%m-%d}"

    def text(self, language: str | None) -> str:
        return in_language(language, self.text_ru, self.text_kk, self.text_en)


class Channel(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator's office")
    STATE_CORPORATION = "state_corporation", _("State Corporation")


class Kind(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    BUDGET_LOAN = "budget_loan", _("Budget loan")


class Status(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    APPROVED = "approved", _("Approved, awaiting the agreement")
    AGREEMENT_CONCLUDED = "agreement_concluded", _("Agreement concluded, awaiting the transfer")
    TRANSFERRED = "transferred", _("Transferred, awaiting the bank documents")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed")


class RefusalGround(models.TextChoices):
    INACCURATE_DOCUMENTS = "inaccurate_documents", _("Inaccurate documents or data")
    NON_COMPLIANCE = "non_compliance", _("Non-compliance with the requirements")
    NOT_IN_CATEGORY = "not_in_category", _("Not in a category of recipients")
    NO_BANK_NOTIFICATION = "no_bank_notification", _("The bank was not notified of the intention")
    # Seed 004: issuance stops when the year's budget is used up (API.md refuse grounds).
    FUNDS_EXHAUSTED = "funds_exhausted", _("The program's funds are exhausted")


class SecurityKind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    GUARANTEE = "guarantee", _("Guarantee")
    SURETY = "surety", _("Surety")
    OTHER = "other", _("Other security")


class Stage(models.TextChoices):
    DECISION = "decision", _("Decision")
    AGREEMENT = "agreement", _("Agreement")
    TRANSFER = "transfer", _("Transfer")
    BANK_DOCUMENTS = "bank_documents", _("Bank documents")


# -- transition permissions: role and provider ---------------------------------
_is_officer_of = roles.of_the_provider(roles.Role.CASE_OFFICER)
_is_trustee_of = roles.of_the_provider(roles.Role.TRUSTEE)
_officer_or_trustee = roles.of_the_provider(roles.Role.CASE_OFFICER, roles.Role.TRUSTEE)


def _agreement_party(instance, user) -> bool:
    """Social assistance: the Administrator's officer; a budget loan: the trustee (agent)."""
    if instance.kind == Kind.BUDGET_LOAN:
        return _is_trustee_of(instance, user)
    return _is_officer_of(instance, user)


class DocumentKind(models.TextChoices):
    """The documents a certificate request issues; titles render in the reader's language."""

    DECISION_NOTICE = "decision_notice", _("Decision to issue a housing certificate")
    REFUSAL_NOTICE = "refusal_notice", _("Reasoned refusal to issue a housing certificate")
    AGREEMENT = "agreement", _("Agreement on the housing certificate")
    TRIPARTITE_AGREEMENT = "tripartite_agreement", _("Tripartite agreement")
    REPAYMENT_SCHEDULE = "repayment_schedule", _("Repayment schedule of the budget loan")


class CertificateRequest(Case):
    """A request for a housing certificate and everything that follows the decision."""

    DETAIL_URL_NAME = "certificates:detail"
    SERVICE = "housing_certificate"
    NUMBER_SERIES = "HC"
    # The document job (housing_aid.tasks) issues what the state calls for through this.
    DOCUMENT_ISSUER = "certificates.services.issue_due_documents"
    STATUS_IIN_LOOKUP = "applicant__iin"
    DOCUMENT_KINDS = DocumentKind
    STAGE_LABELS = dict(Stage.choices)
    RESULT_DOCUMENT_KINDS = (DocumentKind.DECISION_NOTICE, DocumentKind.REFUSAL_NOTICE)

    status = FSMField(
        _("status"), max_length=40, choices=Status.choices, default=Status.UNDER_CONSIDERATION, protected=True
    )
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    forwarded_at = models.DateTimeField(_("forwarded by the State Corporation"), null=True, blank=True)
    program = models.ForeignKey(
        CertificateProgram, on_delete=models.PROTECT, related_name="requests", verbose_name=_("program")
    )
    applicant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="certificate_requests", verbose_name=_("applicant")
    )
    # The applicant's surname, kept by PostgreSQL triggers (migration 0006): the worklist's
    # search by surname reads an index scoped by provider, not the national people table.
    applicant_last_name = models.CharField(
        _("applicant's surname"), max_length=100, blank=True, default="", editable=False
    )
    category = models.CharField(_("category of recipients"), max_length=200, blank=True)
    mortgage_program = models.CharField(_("mortgage programme"), max_length=200, blank=True)
    bank = models.CharField(_("bank notified"), max_length=200)
    bank_notified_on = models.DateField(_("bank notified on"))
    loan_amount = models.DecimalField(_("mortgage loan"), max_digits=16, decimal_places=2)
    down_payment = models.DecimalField(_("down payment"), max_digits=16, decimal_places=2)
    property_region = models.CharField(_("property's region"), max_length=128, blank=True)
    property_locality = models.CharField(_("property's locality"), max_length=255, blank=True)
    suburban_of = models.CharField(
        _("suburban area of"),
        max_length=16,
        blank=True,
        choices=[("astana", _("Astana")), ("almaty", _("Almaty"))],
    )
    amount = models.DecimalField(_("certificate amount"), max_digits=16, decimal_places=2)
    committed_amount = models.DecimalField(
        _("committed from the budget"), max_digits=16, decimal_places=2, default=ZERO
    )

    # The income test as computed on the registration date (API.md income_test).
    test_year = models.PositiveSmallIntegerField(_("year of the test"))
    msl = models.DecimalField(_("MSL"), max_digits=16, decimal_places=2)
    multiplier = models.DecimalField(_("MSL multiplier"), max_digits=6, decimal_places=2)
    threshold = models.DecimalField(_("threshold per person"), max_digits=16, decimal_places=2)
    family_size = models.PositiveSmallIntegerField(_("family size"))
    total_income = models.DecimalField(_("income over 6 months"), max_digits=16, decimal_places=2)
    average_monthly_income = models.DecimalField(_("average monthly income"), max_digits=16, decimal_places=2)
    per_capita_income = models.DecimalField(_("income per person"), max_digits=16, decimal_places=2)
    kind = models.CharField(_("kind of support"), max_length=32, choices=Kind.choices)

    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_ground = models.CharField(_("ground"), max_length=40, blank=True, choices=RefusalGround.choices)
    refusal_reason = models.TextField(_("reason"), blank=True)

    visited_on = models.DateField(_("applicant came on"), null=True, blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=64, blank=True)
    agreement_on = models.DateField(_("agreement date"), null=True, blank=True)
    account_iban = models.CharField(_("escrow / savings account"), max_length=34, blank=True)
    account_bank = models.CharField(_("bank of the account"), max_length=200, blank=True)
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    transfer_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    mortgage_applied_on = models.DateField(_("mortgage applied for on"), null=True, blank=True)
    bank_loan_agreement = models.CharField(_("bank loan agreement"), max_length=128, blank=True)
    mortgage_agreement = models.CharField(_("mortgage (pledge) agreement"), max_length=128, blank=True)
    bank_documents_received_on = models.DateField(_("bank documents received on"), null=True, blank=True)
    lapse_reason = models.TextField(_("reason for the lapse"), blank=True)
    lapse_withdrawn = models.BooleanField(_("the applicant declined in writing"), default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        indexes = [
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["status", "stage_due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_amount__gte=0), name="certificate_commitment_positive"
            ),
        ]

    # -- transitions: bodies only touch the object --------------------------------
    @transition(
        field=status, source=Status.UNDER_CONSIDERATION, target=Status.APPROVED, permission=_is_officer_of
    )
    def approve(self, on: dt.date):
        self.decided_on = on

    @transition(
        field=status, source=Status.UNDER_CONSIDERATION, target=Status.REFUSED, permission=_is_officer_of
    )
    def refuse(self, on: dt.date, ground: str, reason: str):
        self.decided_on = on
        self.refusal_ground = ground
        self.refusal_reason = reason

    @transition(
        field=status, source=Status.APPROVED, target=Status.AGREEMENT_CONCLUDED, permission=_agreement_party
    )
    def conclude_agreement(self):
        pass

    @transition(
        field=status,
        source=Status.AGREEMENT_CONCLUDED,
        target=Status.TRANSFERRED,
        permission=_agreement_party,
    )
    def record_transfer(self, on: dt.date, reference: str):
        self.transferred_on = on
        self.transfer_reference = reference

    @transition(
        field=status, source=Status.TRANSFERRED, target=Status.COMPLETED, permission=_officer_or_trustee
    )
    def record_bank_documents(self):
        pass

    @transition(
        field=status,
        source=[Status.APPROVED, Status.AGREEMENT_CONCLUDED],
        target=Status.LAPSED,
        permission=_is_officer_of,
    )
    def lapse(self, reason: str, withdrawn: bool = False):
        self.lapse_reason = reason
        self.lapse_withdrawn = withdrawn

    # -- reads ---------------------------------------------------------------------
    @property
    def is_closed(self) -> bool:
        return self.status in (Status.COMPLETED, Status.REFUSED, Status.LAPSED)

    def income_test(self) -> dict:
        return asdict(IncomeTest.kept_on(self))


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")


class FamilyMember(models.Model):
    """A cohabiting family member; ``counted`` says whether the income test counted them."""

    request = models.ForeignKey(CertificateRequest, on_delete=models.CASCADE, related_name="family_members")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(_("full name"), max_length=255)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    birth_date = models.DateField(_("date of birth"))
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    full_time_student = models.BooleanField(_("full-time student"), default=False)
    counted = models.BooleanField(_("counted in the family"), default=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="certificate_member_position_unique")
        ]

    def __str__(self) -> str:
        return self.full_name


class IncomeEntry(models.Model):
    """Net monthly income of the applicant (``member`` empty) or a counted member."""

    request = models.ForeignKey(CertificateRequest, on_delete=models.CASCADE, related_name="incomes")
    member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("net income"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["request", "member_id", "month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.amount}"


class Loan(models.Model):
    """The budget loan behind a certificate (0.01 % a year, up to 15 years), serviced by the trustee."""

    request = models.OneToOneField(
        CertificateRequest, on_delete=models.PROTECT, related_name="loan", verbose_name=_("certificate")
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="+", verbose_name=_("service provider")
    )
    number = models.CharField(_("loan agreement number"), max_length=64)
    concluded_on = models.DateField(_("loan agreement date"))
    principal = models.DecimalField(_("principal"), max_digits=16, decimal_places=2)
    annual_rate = models.DecimalField(_("rate, % a year"), max_digits=6, decimal_places=4)
    term_months = models.PositiveSmallIntegerField(_("term, months"))
    first_due_on = models.DateField(_("first instalment due"))
    security_kind = models.CharField(_("security"), max_length=16, choices=SecurityKind.choices)
    security_details = models.CharField(_("security details"), max_length=500, blank=True)
    trustee = user_reference(_("trustee"), blank=False)
    total_repayable = models.DecimalField(_("total to repay"), max_digits=16, decimal_places=2)
    paid_total = models.DecimalField(_("repaid"), max_digits=16, decimal_places=2, default=ZERO)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-concluded_on", "-id"]
        verbose_name = _("budget loan")
        verbose_name_plural = _("budget loans")
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_total__gte=0) & Q(paid_total__lte=F("total_repayable")),
                name="loan_paid_total_sane",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.total_repayable - self.paid_total


class Instalment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    principal = models.DecimalField(max_digits=16, decimal_places=2)
    interest = models.DecimalField(max_digits=16, decimal_places=2)
    balance_after = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="instalment_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}: {self.amount}"


class Repayment(models.Model):
    """One entry of the loan's repayment ledger; never edited or deleted.

    A payment has a positive ``amount``; a wrong one is corrected by a reversing entry
    (``reverses`` the payment, the negative amount, and a ``reason``), then a new payment.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses the entry"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    recorded_by = user_reference(blank=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["loan", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0) & ~Q(reason="")),
                name="repayment_payment_or_reversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class ProgramEventKind(models.TextChoices):
    CREATED = "created", _("Program created")
    BUDGET_CHANGED = "budget_changed", _("Budget changed")
    TERMINATED = "terminated", _("Issuance terminated")
    RESUMED = "resumed", _("Issuance resumed")
    TERMS_CHANGED = "terms_changed", _("Terms changed")


class ProgramEvent(AppendOnly):
    """One row per change of a program's budget or issuance: append-only (certificates/programs.py).

    A program is not a case (no number, status or stages), so its history is its own
    table rather than ``CaseEvent``: the case timeline and the monitoring export stay cases only.
    """

    program = models.ForeignKey(
        CertificateProgram, on_delete=models.CASCADE, related_name="events", verbose_name=_("program")
    )
    kind = models.CharField(_("event"), max_length=32, choices=ProgramEventKind.choices)
    budget_before = models.DecimalField(
        _("budget before"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_after = models.DecimalField(_("budget after"), max_digits=16, decimal_places=2)
    committed = models.DecimalField(_("committed at the time"), max_digits=16, decimal_places=2)
    terminated = models.BooleanField(_("issuance terminated after"), default=False)
    actor = user_reference(_("by"))
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("program event")
        verbose_name_plural = _("program events")
        indexes = [models.Index(fields=["program", "at"])]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_kind_display()}"
