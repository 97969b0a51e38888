"""The one screen view and the one API view that serve every declared case action."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.views import APIView

from housing_aid.actions import Actions, run_action, validation_errors
from housing_aid.api.permissions import IsStaff
from housing_aid.cases import CaseConflict, get_case_for_user
from housing_aid.documents import enqueue_documents


def action_screen(
    actions: Actions,
    model,
    *,
    case_page: Callable,
    redirect_to: Callable,
    queryset: Callable | None = None,
    done_to: Callable | None = None,
):
    """A POST view ``(request, pk, name)`` running the declared action from a case page.

    ``case_page(request, case, errors, posted)`` re-renders the page with the action's field
    errors (400); ``redirect_to(request, case)`` is where a done or refused action lands, with
    its message; ``done_to(request, case, name, outcome)``, when given, is where a done one
    lands instead (an escalation opens the complaint it created).
    """

    @login_required
    @require_POST
    def view(request, pk: int, name: str):
        case = get_case_for_user(model, request.user, pk, queryset=queryset() if queryset else None)
        try:
            action = actions.get(case, name)
            outcome = run_action(
                actions,
                case,
                name,
                request.user,
                action.form_body(request.POST, request.FILES),
                expected_status=request.POST.get("expected_status") or None,
            )
        except serializers.ValidationError as exc:
            return case_page(request, case, {name: validation_errors(exc)}, request.POST)
        except DjangoValidationError as exc:
            errors = getattr(exc, "message_dict", {"__all__": exc.messages})
            return case_page(request, case, {name: errors}, request.POST)
        except CaseConflict as exc:
            messages.error(request, str(exc.detail))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            if action.documents:
                enqueue_documents(outcome.case, request.user)
            messages.success(request, _("Done: %(action)s.") % {"action": action.label})
            if done_to is not None:
                return done_to(request, case, name, outcome)
        return redirect_to(request, case)

    return view


class CaseActionAPIView(APIView):
    """``POST .../{pk}/transitions/{name}/``: the declared action, answered with the case."""

    permission_classes = [IsStaff]
    actions: Actions
    model = None

    def detail(self, request, case):
        raise NotImplementedError

    def body(self, request):
        """The body as sent: the runner refuses one that is not an object (400), after the role."""
        return request.data

    def post(self, request, pk: int, name: str):
        if name not in self.actions:
            raise Http404  # no such transition URL, as for the other services and the schema's enum
        case = get_case_for_user(self.model, request.user, pk)
        outcome = run_action(self.actions, case, name, request.user, lambda: self.body(request))
        if self.actions.get(case, name).documents:
            enqueue_documents(outcome.case, request.user)
        return self.detail(request, outcome.case)
