"""The shared kernel: providers, staff, calendar overrides, effective-dated
parameters, case numbering, the event log, stage deadlines, issued documents,
attachments and idempotency records."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from housing_aid.roles import Role


def in_language(language: str | None, ru: str, kk: str, en: str = "") -> str:
    """A text kept in the three languages, in the reader's (``language``, e.g. ``"kk"``):
    the Kazakh or English one where there is one, else the Russian."""
    lang = (language or "ru")[:2]
    if lang == "kk" and kk:
        return kk
    if lang == "en" and en:
        return en
    return ru


def format_full_name(last_name: str, first_name: str, patronymic: str = "") -> str:
    """A person's name as documents write it: surname, first name, patronymic (if any)."""
    return " ".join(p for p in (last_name, first_name, patronymic) if p)


def user_reference(verbose_name=None, *, blank: bool = True) -> models.ForeignKey:
    """An optional reference from a row to a staff user (executor, signer, author of an entry):
    the user cannot be deleted while a row names them, and the user gets no reverse accessor."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class ProviderKind(models.TextChoices):
    REPUBLICAN_CITY = "republican_city", _("City of republican significance")
    DISTRICT = "district", _("District")
    REGIONAL_CITY = "regional_city", _("City of regional significance")


class ServiceProvider(models.Model):
    """An akimat department that provides the services (seed 000, para 3)."""

    code = models.CharField(
        _("code"), max_length=16, unique=True, help_text=_("Stable; the KATO code where known.")
    )
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=128)
    kind = models.CharField(_("kind"), max_length=32, choices=ProviderKind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    head_name = models.CharField(_("head's name"), max_length=255, blank=True)
    opens_at = models.TimeField(_("opens at"), default=dt.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=dt.time(18, 30))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Almaty")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.localized_name(get_language())

    def localized_name(self, language: str | None) -> str:
        return in_language(language, self.name_ru, self.name_kk, self.name_en)


class StaffProfile(models.Model):
    """A staff user's role and the providers whose cases they see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    providers = models.ManyToManyField(
        ServiceProvider, blank=True, related_name="staff", verbose_name=_("providers")
    )
    all_providers = models.BooleanField(_("all providers"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ru")
    position = models.CharField(_("position"), max_length=255, blank=True)
    # Appendix 3 names the State Corporation department a clerk works in, with its address,
    # and the executor's telephone.
    department_number = models.CharField(_("State Corporation department No."), max_length=32, blank=True)
    department_address = models.CharField(_("department address"), max_length=255, blank=True)
    phone = models.CharField(_("work phone"), max_length=32, blank=True)
    # The head's EDS certificate must carry this IIN (SERIALNUMBER=IIN...), seed 000 para 9.2.
    iin = models.CharField(_("IIN"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class CalendarOverride(models.Model):
    """An administrator's correction of the calendar: a decree's moved day, a local day off."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Checked: a working day; unchecked: a day off.")
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date}: {self.reason_text()}"

    # The index is a cache, not business logic: any change must drop it.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from housing_aid import workdays

        workdays.invalidate()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from housing_aid import workdays

        workdays.invalidate()
        return result

    def reason_text(self) -> str:
        return self.name or self.legal_basis


class Parameter(models.Model):
    """A figure a decree or a maslikhat can change, valid from a date.

    ``provider`` empty: the national value; a provider's own row wins over it.
    """

    key = models.CharField(_("parameter"), max_length=64, db_index=True)
    provider = models.ForeignKey(
        ServiceProvider, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("provider")
    )
    valid_from = models.DateField(_("valid from"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)

    class Meta:
        ordering = ["key", "provider_id", "-valid_from"]
        verbose_name = _("effective-dated parameter")
        verbose_name_plural = _("effective-dated parameters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "provider", "valid_from"], name="parameter_unique_per_provider_and_date"
            ),
            models.UniqueConstraint(
                fields=["key", "valid_from"],
                condition=Q(provider__isnull=True),
                name="parameter_unique_national",
            ),
            # The backstop under Parameter.clean(): no figure of any parameter is zero or negative.
            models.CheckConstraint(condition=Q(value__gt=0), name="parameter_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.valid_from})"

    def save(self, *args, **kwargs):
        # The same check on every path (scripts, seeds, set_value), not only in forms.
        from housing_aid import parameters

        parameters.validate_value(self.key, self.value)
        super().save(*args, **kwargs)

    @property
    def spec(self):
        from housing_aid import parameters

        return parameters.REGISTRY.get(self.key)

    def clean(self) -> None:
        """A term is a whole positive number of working days in a sane range, money is positive
        (``parameters.rule_for``): a bad value would break every deadline counted from it."""
        from housing_aid import parameters

        super().clean()
        parameters.validate_value(self.key, self.value)


class CaseNumberSequence(models.Model):
    """The last number given per provider, series and year; locked to hand out the next."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.CASCADE)
    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "series", "year"], name="case_number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_value}"


class AppendOnly(models.Model):
    """Rows that record what happened: written once, never edited or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only")


class CaseRow(models.Model):
    """A row kept against one case of any service (the case is a generic reference)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("case type"))
    object_id = models.PositiveBigIntegerField(_("case id"))
    case = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class CaseLogRow(CaseRow):
    """A case row that also names the case's provider, service and number, copied when it is
    written: the timeline, the export and the dashboards read them without the case tables."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="+", verbose_name=_("service provider")
    )
    service = models.CharField(_("service"), max_length=32)
    case_number = models.CharField(_("case number"), max_length=40)

    class Meta:
        abstract = True


class CaseEvent(CaseLogRow, AppendOnly):
    """One row per thing that happened to a case: append-only.

    The timeline, the monitoring-system export (para 11) and the audit read from it.
    """

    transition = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from status"), max_length=40, blank=True)
    to_state = models.CharField(_("to status"), max_length=40)
    actor = user_reference(_("actor"))
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["provider", "at"]),
            models.Index(fields=["service", "at"]),
        ]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        # Shown in the admin's title and breadcrumbs: no codes or English words, in any language.
        return f"{self.case_number} · {timezone.localtime(self.at):%d.%m.%Y %H:%M}"


class CaseStage(CaseLogRow):
    """An open or closed stage of a case with its due date (the SLA engine reads these).

    A case has at most one open stage; the case-level overall term is the stage
    ``overall`` when the service has one.
    """

    stage = models.CharField(_("stage"), max_length=40)
    started_on = models.DateField(_("started on"))
    due_date = models.DateField(_("due date"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_stages",
        verbose_name=_("executor"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["due_date"], condition=Q(closed_at__isnull=True), name="casestage_open_due"),
            # The dashboards count one provider's open stages by state, stage and officer from
            # this index alone (an index-only scan of the provider's open work, not the nation's).
            models.Index(
                fields=["provider", "due_date"],
                include=["service", "stage", "assignee"],
                condition=Q(closed_at__isnull=True),
                name="casestage_open_provider_due",
            ),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["provider", "closed_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "stage"],
                condition=Q(closed_at__isnull=True),
                name="casestage_one_open_per_stage",
            )
        ]
        verbose_name = _("case stage")
        verbose_name_plural = _("case stages")

    def __str__(self) -> str:
        return f"{self.case_number} · {self.due_date:%d.%m.%Y}"


def _verification_token() -> str:
    return secrets.token_urlsafe(18)


class IssuedDocument(CaseRow):
    """A PDF issued for a case: rendered once, stored with its SHA-256, never regenerated."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="+", verbose_name=_("service provider")
    )
    case_number = models.CharField(_("case number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=40)
    number = models.CharField(_("number"), max_length=60, unique=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    title = models.CharField(_("title"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = user_reference(_("issued by"))
    signed_by_name = models.CharField(_("signed by"), max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(_("size"), default=0)
    pdf = models.BinaryField("PDF")
    verification_token = models.CharField(
        _("verification token"), max_length=40, unique=True, default=_verification_token
    )
    handed_out_at = models.DateTimeField(_("handed out at"), null=True, blank=True)
    handed_out_to = models.CharField(_("handed out to"), max_length=255, blank=True)
    handed_out_id_document = models.CharField(_("identity document shown"), max_length=64, blank=True)
    handed_out_by = user_reference(_("handed out by"))
    # The head's EDS signature embedded in the PDF (PAdES), written once with the bytes.
    signer_name = models.CharField(_("signer"), max_length=255, blank=True)
    signer_iin = models.CharField(_("signer's IIN"), max_length=12, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=255, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80, blank=True)
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="issued_document_once_per_kind"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.number} ({self.kind})"

    @property
    def display_title(self) -> str:
        """The title of the declared kind in the reader's language (the active one), whoever
        issued it; ``title`` is only the issuer's-language fallback for an undeclared kind."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        kinds = getattr(model, "DOCUMENT_KINDS", None)
        if kinds is not None and self.kind in kinds.values:
            return str(kinds(self.kind).label)
        return self.title or self.kind


ATTACHMENT_TYPE_NAMES = {
    "application/pdf": _("PDF document"),
    "image/jpeg": _("JPEG image"),
    "image/png": _("PNG image"),
}


class AttachmentKind(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return (
        f"attachments/{instance.content_type_id}/{instance.object_id}/{secrets.token_hex(8)}-{filename[-80:]}"
    )


class Attachment(CaseRow):
    """A scanned or uploaded document attached to a case (type checked by content)."""

    document_code = models.CharField(_("document"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=_attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    media_type = models.CharField(_("file type"), max_length=40, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = user_reference(_("uploaded by"), blank=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    @property
    def type_name(self) -> str:
        """What the file is, in the reader's language."""
        return str(ATTACHMENT_TYPE_NAMES.get(self.media_type, self.media_type))

    @property
    def document_label(self) -> str:
        """The para 6 document the file shows, by the case's declared list, in the reader's language."""
        if not self.document_code:
            return ""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        codes = getattr(model, "ATTACHMENT_DOCUMENTS", None)
        if codes is not None and self.document_code in codes.values:
            return str(codes(self.document_code).label)
        return self.document_code

    @property
    def opens_inline(self) -> bool:
        return self.media_type in ATTACHMENT_TYPE_NAMES


class Person(models.Model):
    """One person across applications and requests, identified by IIN."""

    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return format_full_name(self.last_name, self.first_name, self.patronymic)


class IdempotencyRecord(models.Model):
    """The first response to a create request with an ``Idempotency-Key``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "path", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.path} {self.key}"


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


from housing_aid.eds.models import DemoSigningKey, SigningSession, TrustedCertificate  # noqa: E402,F401
