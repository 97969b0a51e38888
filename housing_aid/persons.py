"""What the services know about a person across providers, by IIN."""

from __future__ import annotations

from django.db.models import Model, QuerySet


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
