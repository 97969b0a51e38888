"""Issuing documents: a number, the PDF rendered once, its SHA-256, a QR code that
leads to the public verification page. A document once issued is never rendered again."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from housing_aid import pdf
from housing_aid.cases import next_number
from housing_aid.models import IssuedDocument, _verification_token


def documents_of(case):
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).defer("pdf")


def verification_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("verify_document", args=[token])


def issue_document(
    case,
    kind: str,
    template_name: str,
    context: dict,
    *,
    language: str | None = None,
    user=None,
    title: str = "",
    signed_by_name: str = "",
) -> IssuedDocument:
    """Issue the case's document of ``kind`` once; later calls return the same row and bytes.

    The template gets ``document`` (number, date, QR data URI, verification URL) and ``case``.
    ``context["copies"]``: labels of the copies to print one after another (a receipt made
    "in 2 copies, one for each party"); one unlabeled copy by default.
    """
    ct = ContentType.objects.get_for_model(type(case))
    existing = IssuedDocument.objects.filter(content_type=ct, object_id=case.pk, kind=kind).first()
    if existing is not None:
        return existing
    language = language or getattr(case, "language", "ru") or "ru"
    issued_at = timezone.now()
    number = next_number(case.provider, "D", timezone.localdate(issued_at).year)
    token = _verification_token()
    url = verification_url(token)
    document_context = {
        "number": number,
        "issued_at": issued_at,
        "issued_on": timezone.localdate(issued_at),
        "verification_url": url,
        "qr": pdf.qr_data_uri(url),
        "signed_by_name": signed_by_name,
        "kind": kind,
        "copies": context.pop("copies", None) or [""],
    }
    content = pdf.render_pdf(template_name, {**context, "case": case, "document": document_context}, language)
    try:
        with transaction.atomic():
            return IssuedDocument.objects.create(
                content_type=ct,
                object_id=case.pk,
                provider_id=case.provider_id,
                case_number=case.number,
                kind=kind,
                number=number,
                language=language,
                title=title,
                issued_at=issued_at,
                issued_by=user if user is not None and user.is_authenticated else None,
                signed_by_name=signed_by_name,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                pdf=content,
                verification_token=token,
            )
    except IntegrityError:
        # Someone issued it at the same moment: theirs stands.
        return IssuedDocument.objects.get(content_type=ct, object_id=case.pk, kind=kind)
