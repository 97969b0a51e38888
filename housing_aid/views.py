"""Kernel pages: the landing redirect, document download and verification, health."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from housing_aid import documents, roles
from housing_aid.models import IssuedDocument

# Where each role starts its day.
START_PAGE = {
    roles.Role.INTAKE_CLERK: "applications:intake",
    roles.Role.CASE_OFFICER: "applications:worklist",
    roles.Role.HEAD: "applications:signing_queue",
    roles.Role.COMPLAINTS_OFFICER: "complaints:worklist",
    roles.Role.QUALITY_OFFICER: "complaints:worklist",
    roles.Role.TRUSTEE: "certificates:loans",
    roles.Role.AUDITOR: "applications:worklist",
}


@login_required
def home(request):
    role = roles.role_of(request.user)
    if role == roles.Role.ADMINISTRATOR and request.user.is_staff:
        return redirect("admin:index")
    target = START_PAGE.get(role)
    if target is None:
        return render(request, "home.html", status=403 if role is None else 200)
    return redirect(target)


def _visible_document_or_404(request, number: str) -> IssuedDocument:
    document = IssuedDocument.objects.filter(number=number).first()
    if document is None:
        raise Http404
    model = ContentType.objects.get_for_id(document.content_type_id).model_class()
    if not model.objects.visible_to(request.user).filter(pk=document.object_id).exists():
        raise Http404
    return document


@login_required
def document_pdf(request, number: str):
    document = _visible_document_or_404(request, number)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


@login_required
@require_POST
def hand_out_document(request, number: str):
    """Para 10: the State Corporation hands out a ready document on presentation of an ID."""
    if not roles.has_role(request.user, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER):
        raise Http404
    document = _visible_document_or_404(request, number)
    to_name = request.POST.get("to_name", "").strip()
    id_document = request.POST.get("id_document", "").strip()
    if not to_name or not id_document:
        messages.error(request, _("Enter the recipient's name and identity document number."))
    else:
        documents.record_hand_out(document, to_name=to_name, id_document=id_document, user=request.user)
        messages.success(request, _("Handing out recorded."))
    return redirect(request.POST.get("next") or "home")


def verify_document(request, token: str):
    """Public page behind the QR code: confirms number, date and hash of an issued document,
    and for a document the head signed with EDS, who signed and whether the signature in the
    stored PDF is valid now (re-validated on every visit)."""
    from housing_aid.eds import services as eds

    document = get_object_or_404(IssuedDocument.objects.select_related("provider"), verification_token=token)
    return render(
        request,
        "verify.html",
        {
            "document": document,
            "signature_valid": eds.revalidate(document) if document.signed_at else None,
            "masked_iin": eds.masked_iin(document.signer_iin),
        },
    )


def verify_document_pdf(request, token: str):
    """The PDF behind the QR code, for whoever holds the paper (the token is not guessable)."""
    document = get_object_or_404(IssuedDocument, verification_token=token)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.number}.pdf"'
    return response


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
