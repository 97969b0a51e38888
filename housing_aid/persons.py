"""What the services know about a person across providers, by IIN."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

# The columns a row read as values (a worklist's) shows its applicant from: the full name
# (``housing_aid.models.format_full_name``) and the IIN.
APPLICANT_COLUMNS = (
    "applicant__last_name",
    "applicant__first_name",
    "applicant__patronymic",
    "applicant__iin",
)


def open_cases_elsewhere(model: type[Model], iin: str, exclude: Model | None = None) -> QuerySet:
    """Open cases of ``model``'s service for ``iin`` at any provider, oldest first.

    Deliberately not scoped to a user: the desk must learn that the same person already has
    an open case of the same service at another provider (API.md, "Working the cases":
    warning ``open_case_elsewhere``). Callers show only the number and the provider.
    A case is open while ``closed_at`` is empty (``close_stages(final=True)`` fills it).
    """
    if not iin:
        return model.objects.none()
    cases = model.objects.filter(**{model.STATUS_IIN_LOOKUP: iin}, closed_at__isnull=True)
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    return cases.select_related("provider").order_by("received_at", "id")


def case_iin(case: Model) -> str:
    """The applicant's (or complainant's) IIN of a case, by its model's ``STATUS_IIN_LOOKUP``."""
    value = case
    for part in type(case).STATUS_IIN_LOOKUP.split("__"):
        value = getattr(value, part, None)
    return value or ""


def open_case_warnings(case: Model) -> list[dict[str, str]]:
    """API.md create ``warnings``: ``open_case_elsewhere`` for each open case of the same
    service for the same IIN, at any provider (number and provider only)."""
    return [
        {
            "code": "open_case_elsewhere",
            "message": _("This IIN already has an open case of this service, %(number)s, at %(provider)s.")
            % {"number": other.number, "provider": other.provider.name},
            "number": other.number,
        }
        for other in open_cases_elsewhere(type(case), case_iin(case), exclude=case)[:10]
    ]
