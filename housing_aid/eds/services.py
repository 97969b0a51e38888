"""The head's signing path (seed 000, para 9.2-9.3), the same for every service.

1. :func:`create_signing_session`: the final PDF is rendered once, with its number, QR code
   and an empty PAdES signature field; the browser gets the bytes the signature covers.
2. NCALayer signs those bytes (detached CMS) on the head's computer.
3. :func:`complete_signing`, inside the ``sign`` transition: the CMS is verified, embedded,
   and the document is issued in one INSERT with its final bytes (never changed afterwards).

A service says which document its ``sign`` issues with :func:`register`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housing_aid import documents
from housing_aid.cases import CaseConflict, case_columns, next_number, user_may_ever
from housing_aid.eds import pades, verify
from housing_aid.eds.models import SigningSession
from housing_aid.models import IssuedDocument, _verification_token

SIGN = "sign"


@dataclass
class SignedDocumentSpec:
    """What the ``sign`` transition of a case issues: kind, template, context, title."""

    kind: str
    template_name: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    language: str = "ru"


_REGISTRY: dict[type, Callable[[Any], SignedDocumentSpec]] = {}


def register(model: type, spec: Callable[[Any], SignedDocumentSpec]) -> None:
    """``spec(case)``: the document the head signs for ``case`` in its current state."""
    _REGISTRY[model] = spec


def document_spec(case) -> SignedDocumentSpec:
    if type(case) not in _REGISTRY:
        # Services register when their ``services`` module loads (a worker may not have yet).
        import importlib

        importlib.import_module(f"{type(case)._meta.app_label}.services")
    try:
        return _REGISTRY[type(case)](case)
    except KeyError:
        raise CaseConflict(
            case, _("Documents of this service are not signed with EDS."), code="no_eds"
        ) from None


def full_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def staff_iin(user) -> str:
    profile = getattr(user, "staff", None)
    return (getattr(profile, "iin", "") or "") if profile is not None else ""


def _check_may_sign(case, user) -> None:
    if not user_may_ever(case, SIGN, user):
        raise PermissionDenied(_("Your role may not do this."))
    if SIGN not in case.available_transitions_for(user):
        raise CaseConflict(
            case, _("This action is not allowed in the current status."), code="invalid_transition", user=user
        )


def _last_event_id(case) -> int | None:
    return case.events().order_by("-id").values_list("id", flat=True).first()


def session_minutes() -> int:
    return int(getattr(settings, "EDS_SESSION_MINUTES", 15))


def render_document(
    case,
    spec: SignedDocumentSpec,
    *,
    number: str,
    token: str,
    issued_at,
    signer_name: str,
    draft: bool = False,
) -> bytes:
    return documents.render(
        case,
        spec.template_name,
        spec.context,
        spec.language,
        kind=spec.kind,
        number=number,
        token=token,
        issued_at=issued_at,
        signed_by_name=signer_name,
        draft=draft,
    )


def render_draft(case, user) -> bytes:
    """The document as it will be issued, watermarked DRAFT: not issued, not stored, no number."""
    spec = document_spec(case)
    with translation.override(spec.language):
        # The number's placeholder in the document's language, not the head's.
        number = _("DRAFT")
    return render_document(
        case,
        spec,
        number=number,
        # As long as a real token, so the draft breaks lines and pages as the issued one will.
        token="DRAFT" + "0" * (len(_verification_token()) - 5),  # noqa: S106 - a placeholder, not a secret
        issued_at=timezone.now(),
        signer_name=full_name(user),
        draft=True,
    )


@transaction.atomic
def create_signing_session(case, user) -> SigningSession:
    """The final PDF with an empty signature field, kept with the session for the head's CMS."""
    _check_may_sign(case, user)
    spec = document_spec(case)
    ct = ContentType.objects.get_for_model(type(case))
    if IssuedDocument.objects.filter(content_type=ct, object_id=case.pk, kind=spec.kind).exists():
        raise CaseConflict(case, _("This document is already issued."), code="already_issued", user=user)
    now = timezone.now()
    # An abandoned session's number and token are reused: no gaps in the register of documents.
    previous = (
        SigningSession.objects.filter(
            content_type=ct, object_id=case.pk, document_kind=spec.kind, used_at=None
        )
        .only("document_number", "verification_token")
        .first()
    )
    if previous is not None:
        number, token = previous.document_number, previous.verification_token
    else:
        number = next_number(case.provider, "D", timezone.localdate(now).year)
        token = _verification_token()
    signer_name = full_name(user)
    content = render_document(case, spec, number=number, token=token, issued_at=now, signer_name=signer_name)
    prepared = pades.prepare(content, name=signer_name, reason=spec.title)
    return SigningSession.objects.create(
        **case_columns(case),
        case_status=case.status,
        case_event_id=_last_event_id(case),
        document_kind=spec.kind,
        document_number=number,
        verification_token=token,
        title=spec.title,
        language=spec.language,
        signer_name=signer_name,
        user=user,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=session_minutes()),
        pdf=prepared.pdf,
        reserved_start=prepared.reserved_start,
        reserved_end=prepared.reserved_end,
    )


def session_data(session: SigningSession) -> str:
    return base64.b64encode(session.signed_bytes()).decode()


def _session_for(case, session_id, user) -> SigningSession:
    try:
        pk = uuid.UUID(str(session_id))
    except (ValueError, TypeError, AttributeError):
        raise ValidationError({"signing_session": [_("Start a signing session first.")]}) from None
    session = (
        SigningSession.objects.select_for_update()
        .filter(pk=pk, content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk)
        .first()
    )
    if session is None:
        raise ValidationError({"signing_session": [_("No such signing session for this case.")]})
    if session.used_at is not None:
        raise CaseConflict(
            case, _("This signing session is already used."), code="signing_session_used", user=user
        )
    if (
        session.expires_at <= timezone.now()
        or session.user_id != user.pk
        or session.case_status != case.status
        or session.case_event_id != _last_event_id(case)
        or session.document_kind != document_spec(case).kind
    ):
        raise CaseConflict(
            case,
            _("The signing session has expired or the draft changed: open the document and sign again."),
            code="signing_session_expired",
            user=user,
        )
    return session


def complete_signing(case, session_id, cms_b64, user) -> IssuedDocument:
    """Verify the head's CMS over the session's bytes and issue the signed document.

    Runs inside the ``sign`` transition (the case row is locked). Raises ``ValidationError``
    ``{"cms": [...]}`` (400) or :class:`CaseConflict` for a used or expired session (409);
    on either, nothing is signed.
    """
    session = _session_for(case, session_id, user)
    if not cms_b64:
        raise ValidationError({"cms": [_("The signature (CMS) is required.")]})
    try:
        signer, cms_der = verify.verify(cms_b64, session.signed_bytes(), staff_iin(user))
    except verify.Refused as exc:
        raise ValidationError({"cms": [exc.message]}) from None
    if not pades.fits(cms_der):
        raise ValidationError({"cms": [_("The signature is too large for the document.")]})
    prepared = pades.Prepared(bytes(session.pdf), session.reserved_start, session.reserved_end)
    content = pades.embed(prepared, cms_der)
    now = timezone.now()
    SigningSession.objects.filter(pk=session.pk).update(used_at=now)
    profile = getattr(user, "staff", None)
    return IssuedDocument.objects.create(
        **case_columns(case),
        kind=session.document_kind,
        number=session.document_number,
        language=session.language,
        title=session.title,
        issued_at=session.created_at,
        issued_by=user,
        signed_by_name=session.signer_name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        pdf=content,
        verification_token=session.verification_token,
        signer_name=signer.name,
        signer_iin=signer.iin,
        signer_position=getattr(profile, "position", "") or "",
        certificate_serial=signer.certificate_serial,
        certificate_issuer=signer.issuer,
        signed_at=now,
    )


def signature_of(document: IssuedDocument) -> dict | None:
    """API.md: ``"signature": {"signer", "iin", "certificate_serial", "issuer", "signed_at"}``."""
    if document.signed_at is None:
        return None
    return {
        "signer": document.signer_name,
        "iin": document.signer_iin,
        "certificate_serial": document.certificate_serial,
        "issuer": document.certificate_issuer,
        "signed_at": document.signed_at.isoformat(),
    }


def revalidate(document: IssuedDocument) -> bool:
    """The verification page's "signature valid": the stored PDF re-validated now."""
    if document.signed_at is None:
        return False
    content = bytes(document.pdf)
    if hashlib.sha256(content).hexdigest() != document.sha256:
        return False
    roots, others = verify.trusted_certificates()
    try:
        return pades.validate_pdf(content, roots, others, moment=document.signed_at).ok
    except Exception:  # noqa: BLE001 - an unreadable signature is simply not valid
        return False


def masked_iin(iin: str) -> str:
    """The verification page is public: only the last four digits of the signer's IIN."""
    return "•" * 8 + iin[-4:] if len(iin) == 12 else ""
