"""Kernel pages: the landing redirect, document download and verification, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from housing_aid import roles
from housing_aid.cases import of_visible_case
from housing_aid.documents import pdf_response
from housing_aid.models import Attachment, IssuedDocument

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


@login_required
def document_pdf(request, number: str):
    return pdf_response(of_visible_case(IssuedDocument.objects.filter(number=number).first(), request.user))


@login_required
def attachment_file(request, pk: int):
    """A case's attached scan, for users who can see the case (404 otherwise, as for a
    missing one); PDFs and images open in the browser, anything else downloads."""
    attachment = of_visible_case(Attachment.objects.filter(pk=pk).first(), request.user)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=attachment.media_type,
        as_attachment=not attachment.opens_inline,
        filename=attachment.original_name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded PDF runs no script of its own and embeds nothing from elsewhere.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


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


def status_page(request):
    """API.md: the status lookup as a public page, for applicants and complainants without the
    portal; throttled like the API, one count per lookup."""
    from housing_aid.api.views import StatusThrottle
    from housing_aid.status import SERVICE_LABELS, StatusLookupForm, find_case

    case = None
    not_found = throttled = False
    form = StatusLookupForm(request.POST or None)
    if request.method == "POST":
        if not StatusThrottle().allow_request(request, None):
            throttled = True
        elif form.is_valid():
            case = find_case(form.cleaned_data["number"], form.cleaned_data["iin"])
            not_found = case is None
    context = {
        "form": form,
        "case": case,
        "service_label": SERVICE_LABELS.get(getattr(case, "SERVICE", ""), ""),
        "public": case.public_status() if case is not None else None,
        "steps": case.public_steps() if case is not None else [],
        "not_found": not_found,
        "throttled": throttled,
    }
    status = 429 if throttled else 404 if not_found else 400 if form.errors else 200
    return render(request, "status/page.html", context, status=status)
