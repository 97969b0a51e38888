"""Kernel pages: the landing redirect, document download and verification, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from housing_aid import roles
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


def verify_document(request, token: str):
    """Public page behind the QR code: confirms number, date and hash of an issued document."""
    document = get_object_or_404(
        IssuedDocument.objects.defer("pdf").select_related("provider"), verification_token=token
    )
    return render(request, "verify.html", {"document": document})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
