"""Housing assistance (seed 000): the application, its family, its checklist and its decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from housing_aid import roles
from housing_aid.cases import Case, CaseQuerySet
from housing_aid.models import Person, user_reference


class ApplicationStatus(models.TextChoices):
    REJECTED_AT_INTAKE = "rejected_at_intake", _("Refused at intake (incomplete package)")
    REGISTERED = "registered", _("Registered")
    UNDER_REVIEW = "under_review", _("Under review of completeness")
    RETURN_DRAFTED = "return_drafted", _("Refusal to consider further drafted")
    RETURNED_INCOMPLETE = "returned_incomplete", _("Refused to consider further (incomplete)")
    UNDER_VERIFICATION = "under_verification", _("Under verification")
    DECISION_DRAFTED = "decision_drafted", _("Decision drafted")
    ASSIGNED = "assigned", _("Housing assistance assigned")
    REFUSED = "refused", _("Refused")


S = ApplicationStatus
OPEN_STATUSES = (
    S.REGISTERED,
    S.UNDER_REVIEW,
    S.RETURN_DRAFTED,
    S.UNDER_VERIFICATION,
    S.DECISION_DRAFTED,
)
DRAFT_STATUSES = (S.RETURN_DRAFTED, S.DECISION_DRAFTED)


class Stage(models.TextChoices):
    """Stages of para 9; the SLA engine sweeps them in ``CaseStage``."""

    REVIEW = "review", _("Review of completeness")
    VERIFICATION = "verification", _("Verification")
    DECISION = "decision", _("Notice or refusal (signature)")


STAGE_STATUSES = {
    Stage.REVIEW: (S.REGISTERED, S.UNDER_REVIEW),
    Stage.VERIFICATION: (S.UNDER_VERIFICATION,),
    Stage.DECISION: (S.RETURN_DRAFTED, S.DECISION_DRAFTED),
}


class Channel(models.TextChoices):
    STATE_CORPORATION = "state_corporation", _("State Corporation")
    PORTAL = "portal", _("E-government portal")


class Tenure(models.TextChoices):
    OWNER = "owner", _("Owner")
    STATE_RENTAL = "state_rental", _("Tenant of state housing")
    LEB_PRIVATE_RENTAL = "leb_private_rental", _("Tenant of housing the akimat rents in the private stock")


class DocumentCode(models.TextChoices):
    """Para 6 documents, codes of API.md."""

    IDENTITY = "identity", _("Identity document")
    FAMILY_INCOME = "family_income", _("Documents confirming family income")
    EMPLOYMENT_STATUS = (
        "employment_status",
        _("Certificate from the place of work or of registration as unemployed"),
    )
    ALIMONY = "alimony", _("Information about alimony for children and other dependents")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    MAINTENANCE_INVOICE = (
        "maintenance_invoice",
        _("Invoice for monthly contributions for building maintenance"),
    )
    UTILITY_BILLS = "utility_bills", _("Utility bills")
    TELECOM_BILL = "telecom_bill", _("Receipt or contract for telecommunication services")
    RENT_INVOICE = "rent_invoice", _("Invoice for rent of housing the akimat rents in the private stock")


# Para 6: these may come from state information systems instead of paper.
FROM_REGISTRIES_ALLOWED = (DocumentCode.FAMILY_INCOME, DocumentCode.EMPLOYMENT_STATUS)


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other")


class RefusalGround(models.TextChoices):
    """Para 12."""

    INACCURATE_DOCUMENTS = "inaccurate_documents", _("Inaccurate documents or data (para 12.1)")
    NON_COMPLIANCE = "non_compliance", _("Non-compliance with the requirements (para 12.2)")
    COURT_BAN = "court_ban", _("Court decision banning the activity (para 12.3)")
    COURT_DEPRIVATION = "court_deprivation", _("Court decision depriving of a special right (para 12.4)")


class DraftDecision(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment")
    REFUSAL = "refusal", _("Refusal")


class DocumentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("Application (Appendix 1)")
    ACCEPTANCE_RECEIPT = "acceptance_receipt", _("Receipt of acceptance of documents")
    INTAKE_REFUSAL_RECEIPT = (
        "intake_refusal_receipt",
        _("Receipt of refusal to accept documents (Appendix 3)"),
    )
    RETURN_NOTICE = "return_notice", _("Reasoned refusal to consider further")
    ASSIGNMENT_NOTICE = "assignment_notice", _("Notice of assignment of housing assistance")
    REFUSAL_NOTICE = "refusal_notice", _("Reasoned refusal")


# -- transition permissions: role and provider ---------------------------------
_officer = roles.of_the_provider(roles.Role.CASE_OFFICER)
_head = roles.of_the_provider(roles.Role.HEAD)


class ApplicationQuerySet(CaseQuerySet):
    # The roles API.md gives housing assistance; the trustee works certificates' loans only.
    READER_ROLES = frozenset(
        {
            roles.Role.INTAKE_CLERK,
            roles.Role.CASE_OFFICER,
            roles.Role.HEAD,
            roles.Role.COMPLAINTS_OFFICER,
            roles.Role.QUALITY_OFFICER,
            roles.Role.AUDITOR,
            roles.Role.ADMINISTRATOR,
            roles.Role.PORTAL,
        }
    )

    def visible_to(self, user):
        if roles.role_of(user) not in self.READER_ROLES:
            return self.none()
        return super().visible_to(user)

    def with_list_data(self):
        return self.select_related("applicant", "provider", "assignee")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def in_stage(self, stage: str):
        return self.filter(status__in=STAGE_STATUSES.get(stage, ()))


class Application(Case):
    """An application for housing assistance (Appendix 1) and its way to a signed notice."""

    DETAIL_URL_NAME = "applications:case"
    # The document job (housing_aid.tasks) issues what the state calls for through this.
    DOCUMENT_ISSUER = "applications.documents.issue_due_documents"
    SERVICE = "housing_assistance"
    NUMBER_SERIES = "HA"
    STATUS_IIN_LOOKUP = "applicant__iin"
    DOCUMENT_KINDS = DocumentKind
    STAGE_LABELS = dict(Stage.choices)
    RESULT_DOCUMENT_KINDS = (
        DocumentKind.ASSIGNMENT_NOTICE,
        DocumentKind.REFUSAL_NOTICE,
        DocumentKind.RETURN_NOTICE,
    )
    ATTACHMENT_DOCUMENTS = DocumentCode

    status = FSMField(_("status"), max_length=40, choices=S.choices, default=S.REGISTERED, protected=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    is_reapplication = models.BooleanField(_("re-application"), default=False)

    applicant = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="housing_applications", verbose_name=_("applicant")
    )
    # The applicant's surname, kept by PostgreSQL triggers (migration 0004): the worklist's
    # search by surname reads a trigram index scoped by provider, not the national people table.
    applicant_last_name = models.CharField(
        _("applicant's surname"), max_length=100, blank=True, default="", editable=False
    )
    address = models.CharField(_("address"), max_length=500)
    tenure = models.CharField(_("tenure"), max_length=32, choices=Tenure.choices)
    id_document_number = models.CharField(_("identity document No."), max_length=40, blank=True)
    id_document_issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    bank_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bank_name = models.CharField(_("bank"), max_length=255, blank=True)
    consent = models.BooleanField(_("consent to the use of protected information"), default=False)

    documents_presented = models.JSONField(_("documents presented"), default=list, blank=True)
    documents_from_registries = models.JSONField(
        _("obtained from state information systems"), default=list, blank=True
    )
    missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)

    # Stage due dates, computed with the calendar when the stage starts (para 9).
    review_due_on = models.DateField(_("review due"), null=True, blank=True)
    verification_due_on = models.DateField(_("verification due"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True)

    # The draft the head signs.
    draft_decision = models.CharField(
        _("drafted decision"), max_length=16, choices=DraftDecision.choices, blank=True
    )
    return_reason = models.TextField(_("reason for the refusal to consider further"), blank=True)
    return_missing_documents = models.JSONField(_("missing documents"), default=list, blank=True)
    refusal_ground = models.CharField(
        _("ground for refusal"), max_length=32, choices=RefusalGround.choices, blank=True
    )
    refusal_reason = models.TextField(_("reasons for the refusal"), blank=True)
    signed_by = user_reference(_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing assistance application")
        verbose_name_plural = _("housing assistance applications")
        indexes = [
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["stage_due_date", "id"], name="application_due_keyset"),
            models.Index(fields=["assignee", "status"]),
        ]

    # -- transitions: bodies only touch the object (services.py does the rest) ---
    @transition(field=status, source=S.REGISTERED, target=S.UNDER_REVIEW, permission=_officer)
    def start_review(self, executor=None):
        self.assignee = executor

    @transition(field=status, source=S.UNDER_REVIEW, target=S.RETURN_DRAFTED, permission=_officer)
    def draft_return(self, reason: str = "", missing: list[str] | None = None):
        self.return_reason = reason
        self.return_missing_documents = list(missing or [])

    @transition(field=status, source=S.UNDER_REVIEW, target=S.UNDER_VERIFICATION, permission=_officer)
    def start_verification(self):
        pass

    @transition(field=status, source=S.UNDER_VERIFICATION, target=S.DECISION_DRAFTED, permission=_officer)
    def draft_assignment(self):
        self.draft_decision = DraftDecision.ASSIGNMENT
        self.refusal_ground = ""
        self.refusal_reason = ""

    @transition(field=status, source=S.UNDER_VERIFICATION, target=S.DECISION_DRAFTED, permission=_officer)
    def draft_refusal(self, ground: str = "", reason: str = ""):
        self.draft_decision = DraftDecision.REFUSAL
        self.refusal_ground = ground
        self.refusal_reason = reason

    @transition(field=status, source=S.RETURN_DRAFTED, target=S.RETURNED_INCOMPLETE, permission=_head)
    @transition(
        field=status,
        source=S.DECISION_DRAFTED,
        target=RETURN_VALUE(S.ASSIGNED, S.REFUSED),
        permission=_head,
    )
    def sign(self, signer=None, at=None):
        self.signed_by = signer
        self.signed_at = at
        if self.status == S.RETURN_DRAFTED:
            return S.RETURNED_INCOMPLETE
        return S.ASSIGNED if self.draft_decision == DraftDecision.ASSIGNMENT else S.REFUSED

    @transition(field=status, source=S.RETURN_DRAFTED, target=S.UNDER_REVIEW, permission=_head)
    @transition(field=status, source=S.DECISION_DRAFTED, target=S.UNDER_VERIFICATION, permission=_head)
    def send_back(self):
        self.draft_decision = ""

    # -- reads -------------------------------------------------------------------
    @property
    def is_closed(self) -> bool:
        return self.status not in OPEN_STATUSES

    @property
    def stage(self) -> str | None:
        for stage, statuses in STAGE_STATUSES.items():
            if self.status in statuses:
                return stage
        return None


class FamilyMember(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="family_members")
    full_name = models.CharField(_("full name"), max_length=255)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    social_status = models.CharField(_("social status"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self) -> str:
        return self.full_name


class Calculation(models.Model):
    """The amount drafted with the decision: a snapshot, never recomputed later."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="calculation")
    quarter_income = models.DecimalField(_("family income for the quarter"), max_digits=14, decimal_places=2)
    income_from = models.DateField(_("income from"))
    income_to = models.DateField(_("income to"))
    monthly_income = models.DecimalField(_("average monthly income"), max_digits=14, decimal_places=2)
    share_percent = models.DecimalField(_("share, %"), max_digits=5, decimal_places=2)
    covered_payments = models.DecimalField(_("covered payments"), max_digits=14, decimal_places=2)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    # Each payment: claimed, norm in force, covered; and the parameter rows used.
    breakdown = models.JSONField(_("breakdown"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calculation")
        verbose_name_plural = _("calculations")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="calculation_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.monthly_amount}"


class HandOutRecipient(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    REPRESENTATIVE = "representative", _("A representative with a notarised power of attorney")


class HandOut(models.Model):
    """Para 10: a ready document handed out at the State Corporation; one append-only row.

    The issued document itself is never updated: who received it, on which identity document
    or power of attorney, and which clerk handed it out are recorded here.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="hand_outs")
    document = models.OneToOneField(
        "housing_aid.IssuedDocument", on_delete=models.PROTECT, related_name="application_hand_out"
    )
    recipient_kind = models.CharField(_("recipient"), max_length=16, choices=HandOutRecipient.choices)
    full_name = models.CharField(_("recipient's full name"), max_length=255)
    id_number = models.CharField(_("identity document No."), max_length=64)
    poa_number = models.CharField(_("power of attorney No."), max_length=64, blank=True)
    poa_date = models.DateField(_("power of attorney date"), null=True, blank=True)
    notary = models.CharField(_("notary"), max_length=255, blank=True)
    handed_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_out_at = models.DateTimeField(_("handed out at"))

    class Meta:
        ordering = ["handed_out_at", "id"]
        verbose_name = _("hand-out of a document")
        verbose_name_plural = _("hand-outs of documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_kind="applicant")
                | (~Q(poa_number="") & Q(poa_date__isnull=False) & ~Q(notary="")),
                name="handout_representative_has_power_of_attorney",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} -> {self.full_name}"
