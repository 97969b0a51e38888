"""Issuing documents: a number, the PDF rendered once, its SHA-256, a QR code that
leads to the public verification page. A document once issued is never rendered again."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from housing_aid import pdf
from housing_aid.cases import case_columns, next_number
from housing_aid.models import IssuedDocument, _verification_token

logger = logging.getLogger(__name__)


def documents_of(case):
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).defer("pdf")


def pdf_response(document: IssuedDocument) -> HttpResponse:
    """The issued PDF, opened in the browser, with the hash it was issued with."""
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    response["X-Document-SHA256"] = document.sha256
    return response


def verification_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("verify_document", args=[token])


def render(
    case,
    template_name: str,
    context: dict,
    language: str,
    *,
    kind: str,
    number: str,
    token: str,
    issued_at,
    signed_by_name: str = "",
    copies: list | None = None,
    draft: bool = False,
) -> bytes:
    """A document's PDF: the template gets ``case`` and ``document`` (its number, dates, the
    QR code of its public verification page, the signer, the copies to print)."""
    url = verification_url(token)
    document = {
        "number": number,
        "issued_at": issued_at,
        "issued_on": timezone.localdate(issued_at),
        "verification_url": url,
        "qr": pdf.qr_data_uri(url),
        "signed_by_name": signed_by_name,
        "kind": kind,
        "draft": draft,
        "copies": copies or [""],
    }
    return pdf.render_pdf(template_name, {**context, "case": case, "document": document}, language)


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
    copies = context.pop("copies", None)
    content = render(
        case,
        template_name,
        context,
        language,
        kind=kind,
        number=number,
        token=token,
        issued_at=issued_at,
        signed_by_name=signed_by_name,
        copies=copies,
    )
    try:
        with transaction.atomic():
            document = IssuedDocument.objects.create(
                **case_columns(case),
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
    from housing_aid import casepage
    from housing_aid.casework import notify

    casepage.changed(case)
    notify.document_issued(case, document)
    return document


def enqueue_documents(case, user=None) -> None:
    """Documents are jobs: hand the case to the Celery task (eager in ``make run``).

    The runner calls it with ``on_commit`` after an action; the action views call it once more
    when they answer (harmless: the task is idempotent). A registration calls it before its
    Idempotency-Key transaction commits: a worker that takes the job first finds no case yet and
    retries with backoff (the task retries on any error), so the slip is late by a retry, never
    lost. Never inside a case lock, never for a GET. A failing renderer never undoes the action nor answers 500:
    the worker retries with backoff, and the case page says "being prepared" meanwhile.
    """
    from housing_aid.tasks import issue_case_documents

    try:
        issue_case_documents.delay(
            case._meta.label, case.pk, user.pk if user is not None and user.is_authenticated else None
        )
    except Exception:  # noqa: BLE001 - eager mode re-raises after its retries; the action stands
        logger.exception("issuing the documents of %s failed; the worker retries", case.number)


def due_not_issued(case, due_kinds: list[str], issued=None) -> list[str]:
    """The due documents not issued yet (the case page shows them as being prepared).

    ``issued``: the case's documents when the caller has read them already (no query)."""
    kinds = (
        {d.kind for d in issued}
        if issued is not None
        else set(documents_of(case).values_list("kind", flat=True))
    )
    return [kind for kind in due_kinds if kind not in kinds]
