"""Attachments: accepted by their content (PDF, JPEG, PNG), never by their name."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from housing_aid.models import Attachment

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_media_type(head: bytes) -> str | None:
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def validate_upload(upload) -> str:
    """The upload's media type, or a ValidationError in the user's language."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    media_type = sniff_media_type(head)
    if media_type is None:
        raise ValidationError(_("Only PDF, JPEG and PNG files are accepted."), code="bad_type")
    return media_type


def attach(case, upload, user, document_code: str = "") -> Attachment:
    media_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(type(case)),
        object_id=case.pk,
        document_code=document_code,
        original_name=getattr(upload, "name", "upload")[:255],
        media_type=media_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    attachment.file.save(attachment.original_name.rsplit("/", 1)[-1], upload, save=False)
    attachment.save()
    return attachment


def attachments_of(case):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    )
