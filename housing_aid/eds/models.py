"""EDS rows: the trusted roots and intermediates (NCA RK), and a head's signing session.

Seed 000 para 9.2-9.3: the return notice, the notice of assignment and the reasoned refusal
are signed with the head's EDS. A session holds the final PDF prepared with an empty
signature field; the browser signs exactly its byte range through NCALayer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustedCertificate(models.Model):
    """A root or intermediate certificate a head's signing certificate must chain to."""

    subject = models.CharField(_("subject"), max_length=500, editable=False)
    issuer = models.CharField(_("issuer"), max_length=500, editable=False)
    serial = models.CharField(_("serial number"), max_length=80, editable=False)
    not_before = models.DateTimeField(_("valid from"), editable=False)
    not_after = models.DateTimeField(_("valid to"), editable=False)
    is_root = models.BooleanField(_("root"), default=True, editable=False)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True, editable=False)
    der = models.BinaryField(editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_active = models.BooleanField(_("trusted"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        app_label = "housing_aid"
        ordering = ["-is_root", "subject"]
        verbose_name = _("trusted certificate")
        verbose_name_plural = _("trusted certificates")

    def __str__(self) -> str:
        return self.subject


class SigningSession(models.Model):
    """The final PDF with an empty signature field, waiting for the head's CMS."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    provider = models.ForeignKey("housing_aid.ServiceProvider", on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=40)
    # The case's status and last event the PDF was rendered for: any later transition (a send
    # back, a new draft) makes the session stale, so the head never signs an outdated draft.
    case_status = models.CharField(max_length=40)
    case_event_id = models.PositiveBigIntegerField(null=True)
    document_kind = models.CharField(max_length=40)
    document_number = models.CharField(max_length=60)
    verification_token = models.CharField(max_length=40)
    title = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=8, default="ru")
    signer_name = models.CharField(max_length=255, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    pdf = models.BinaryField()
    # The reserved /Contents region: the signature covers everything but [start, end).
    reserved_start = models.PositiveIntegerField()
    reserved_end = models.PositiveIntegerField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "housing_aid"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "document_kind"])]

    def __str__(self) -> str:
        return f"{self.case_number} {self.document_kind} {self.id}"

    def signed_bytes(self) -> bytes:
        pdf = bytes(self.pdf)
        return pdf[: self.reserved_start] + pdf[self.reserved_end :]


class DemoSigningKey(models.Model):
    """Development only (``DJANGO_DEBUG=1``, ``seed_demo``): a demo head's key from the demo CA,
    so the signing screen works without NCALayer. Never created in production."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_pem = models.BinaryField()
    certificate_der = models.BinaryField()
    chain_der = models.BinaryField(blank=True, default=b"")

    class Meta:
        app_label = "housing_aid"

    def __str__(self) -> str:
        return f"demo key of {self.user}"
