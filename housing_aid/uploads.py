"""Attachments: parsed, never sniffed nor trusted by their name (issue 10).

A PDF must open with pypdf, have a page, and hold no embedded files, JavaScript or launch
actions, and its streams must inflate to at most ``ATTACHMENT_MAX_DECOMPRESSED_BYTES``; an
image must open with Pillow as JPEG or PNG within ``ATTACHMENT_MAX_PIXELS``. The stored name
and media type come from what the content turned out to be.
"""

from __future__ import annotations

import hashlib
import zlib
from pathlib import PurePosixPath

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
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
# Names in a PDF that run code or carry other files.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/Launch", "/RichMedia"})
_ACTIVE_VALUES = frozenset(
    {"/JavaScript", "/Launch", "/EmbeddedFile", "/FileAttachment", "/ImportData", "/RichMedia"}
)


def sniff_media_type(head: bytes) -> str | None:
    for signature, media_type in _SIGNATURES:
        if head.startswith(signature):
            return media_type
    return None


def _refuse(message) -> ValidationError:
    return ValidationError(message, code="bad_content")


def _inflated_size(stream, budget: int) -> int:
    """Bytes the stream inflates to, stopping one byte past ``budget``."""
    filters = stream.get("/Filter")
    names = [str(f) for f in (filters if isinstance(filters, list) else [filters] if filters else [])]
    raw = stream._data or b""
    if names in ([], ["/FlateDecode"], ["/Fl"]):
        if not names:
            return len(raw)
        inflater = zlib.decompressobj()
        try:
            size = len(inflater.decompress(raw, budget + 1))
        except zlib.error:
            return len(raw)  # a broken stream inflates to nothing more than itself
        return size
    return len(stream.get_data())


def _check_pdf(upload) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise _refuse(_("Encrypted PDF files are not accepted."))
        if len(reader.pages) < 1:
            raise _refuse(_("The PDF file has no pages."))
        budget = settings.ATTACHMENT_MAX_DECOMPRESSED_BYTES
        seen: set[int] = set()
        pending: list = [reader.trailer]
        while pending:
            obj = pending.pop()
            if isinstance(obj, IndirectObject):
                if obj.idnum in seen:
                    continue
                seen.add(obj.idnum)
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                for key, value in obj.items():
                    if key in _ACTIVE_KEYS or (
                        key in ("/S", "/Type", "/Subtype") and value in _ACTIVE_VALUES
                    ):
                        raise _refuse(
                            _("PDF files with embedded files, scripts or launch actions are not accepted.")
                        )
                    pending.append(value)
                if isinstance(obj, StreamObject):
                    budget -= _inflated_size(obj, budget)
                    if budget < 0:
                        raise _refuse(_("The PDF file unpacks to more than the allowed size."))
            elif isinstance(obj, ArrayObject):
                pending.extend(obj)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - anything pypdf cannot read is not a PDF we keep
        raise _refuse(_("The file is not a readable PDF.")) from None
    finally:
        upload.seek(0)


def _check_image(upload, media_type: str) -> None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            if {"JPEG": "image/jpeg", "PNG": "image/png"}.get(image.format) != media_type:
                raise _refuse(_("The image is not a JPEG or PNG file."))
            if image.width * image.height > settings.ATTACHMENT_MAX_PIXELS:
                raise _refuse(_("The image has too many pixels."))
            image.verify()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - Pillow's errors (truncated, bomb, unknown) all mean refuse
        raise _refuse(_("The file is not a readable image.")) from None
    finally:
        upload.seek(0)


def validate_upload(upload) -> str:
    """The upload's media type, parsed from its content, or a ValidationError in the user's language."""
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
    if media_type == "application/pdf":
        _check_pdf(upload)
    else:
        _check_image(upload, media_type)
    return media_type


def stored_name(original: str, media_type: str) -> str:
    """The user's file name with the extension of what the content is ("setup.exe" -> "setup.pdf")."""
    stem = PurePosixPath(original.replace("\\", "/")).name.rsplit(".", 1)[0] or "attachment"
    return (stem[:200] + EXTENSIONS[media_type]).replace("\x00", "")


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
        original_name=stored_name(getattr(upload, "name", "") or "attachment", media_type),
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
