"""Screens of the signing path: the draft preview, the signing panel's context, the demo signer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from housing_aid.cases import CaseConflict
from housing_aid.eds import pki, services
from housing_aid.eds.models import DemoSigningKey


def _case_or_404(model, user, pk):
    case = model.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def may_sign_now(case, user) -> bool:
    return services.SIGN in case.available_transitions_for(user)


@login_required
@xframe_options_sameorigin
def draft_pdf(request, pk: int, model=None):
    """The document as it will be issued, watermarked DRAFT, for the head who signs it."""
    case = _case_or_404(model, request.user, pk)
    if not may_sign_now(case, request.user):
        raise PermissionDenied
    response = HttpResponse(services.render_draft(case, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{case.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def panel_context(
    request, case, *, draft_url: str, sign_url: str, session_url: str, demo_url: str, next_url: str
):
    """What ``eds/_sign_panel.html`` needs: the preview and the signing controls."""
    return {
        "case": case,
        "title": services.document_spec(case).title,
        "draft_url": draft_url,
        "sign_url": sign_url,
        "session_url": session_url,
        "demo_url": demo_url if demo_signer_available(request.user) else "",
        "next_url": next_url,
        "ncalayer_url": settings.NCALAYER_URL,
        "has_iin": bool(services.staff_iin(request.user)),
    }


def demo_signer_available(user) -> bool:
    return settings.DEBUG and DemoSigningKey.objects.filter(user=user).exists()


@login_required
@require_POST
def demo_sign(request, pk: int, model=None, transition=None, next_name: str = ""):
    """Development only: sign with the demo head's demo key, exactly as NCALayer would."""
    if not demo_signer_available(request.user):
        raise Http404
    case = _case_or_404(model, request.user, pk)
    key = DemoSigningKey.objects.get(user=request.user)
    try:
        session = services.create_signing_session(case, request.user)
        cms = pki.sign_detached_der(
            session.signed_bytes(), bytes(key.key_pem), bytes(key.certificate_der), [bytes(key.chain_der)]
        )
        import base64

        transition(
            case,
            services.SIGN,
            request.user,
            {"signing_session": str(session.pk), "cms": base64.b64encode(cms).decode()},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (CaseConflict, PermissionDenied) as exc:
        messages.error(request, str(getattr(exc, "detail", exc)))
    else:
        messages.success(request, _("Signed with the demo signer (not a real EDS)."))
    return redirect(request.POST.get("next") or reverse(next_name, args=[pk]))
