"""Administrators manage the trusted roots and intermediates (NCA RK) here (API.md)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from housing_aid.eds import trust
from housing_aid.eds.models import TrustedCertificate


class TrustedCertificateForm(forms.ModelForm):
    certificate_file = forms.FileField(
        label=_("certificate file (PEM or DER)"),
        required=False,
        help_text=_("The NCA RK root or intermediate certificate, as published on pki.gov.kz."),
    )

    class Meta:
        model = TrustedCertificate
        fields = ["note", "is_active"]

    def clean_certificate_file(self):
        upload = self.cleaned_data.get("certificate_file")
        if self.instance.pk is None and upload is None:
            raise forms.ValidationError(_("Choose the certificate file."))
        if upload is None:
            return None
        try:
            certs = trust.load_certificates(upload.read(1_000_000))
            for cert in certs:
                cert.subject  # noqa: B018 - parse now, so a broken file is a form error
        except Exception:  # noqa: BLE001 - anything unreadable is one message
            raise forms.ValidationError(_("This file holds no X.509 certificate.")) from None
        return certs


@admin.register(TrustedCertificate)
class TrustedCertificateAdmin(admin.ModelAdmin):
    form = TrustedCertificateForm
    list_display = ("subject", "is_root", "not_after", "is_active", "added_at")
    list_filter = ("is_root", "is_active")
    search_fields = ("subject", "issuer", "fingerprint")
    readonly_fields = (
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "is_root",
        "fingerprint",
        "added_at",
    )

    def save_model(self, request, obj, form, change):
        certs = form.cleaned_data.get("certificate_file")
        if change or not certs:
            super().save_model(request, obj, form, change)
            return
        rows = [trust.add_certificate(cert, obj.note) for cert in certs]
        first, _created = rows[0]
        obj.pk = first.pk
        obj.__dict__.update({k: v for k, v in first.__dict__.items() if not k.startswith("_")})
        if len(rows) > 1:
            messages.info(request, _("%(count)d certificates added from the file.") % {"count": len(rows)})
