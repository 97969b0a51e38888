"""Effective-dated parameters: "the value in force on date D" (DOMAIN.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    label: str
    unit: str
    per_provider: bool = False


REGISTRY: dict[str, ParameterSpec] = {}


def register(key: str, label, unit: str, *, per_provider: bool = False) -> str:
    REGISTRY[key] = ParameterSpec(key, label, unit, per_provider)
    return key


class ParameterMissing(LookupError):
    pass


# Figures shared by several services.
MSL = register("msl", _("Minimum subsistence level (MSL), KZT a month"), "KZT")


def value_on(key: str, on: dt.date, provider=None) -> Decimal:
    """The value in force on ``on``: the provider's own row if any, else the national one."""
    from housing_aid.models import Parameter

    rows = Parameter.objects.filter(key=key, valid_from__lte=on)
    if provider is not None:
        row = rows.filter(provider=provider).order_by("-valid_from").first()
        if row is not None:
            return row.value
    row = rows.filter(provider__isnull=True).order_by("-valid_from").first()
    if row is None:
        raise ParameterMissing(f"no value of {key!r} in force on {on}")
    return row.value


def int_value_on(key: str, on: dt.date, provider=None) -> int:
    return int(value_on(key, on, provider))


def set_value(key: str, valid_from: dt.date, value, provider=None, legal_basis: str = ""):
    """Create or update a row (seed data, administrators' scripts)."""
    from housing_aid.models import Parameter

    row, _created = Parameter.objects.update_or_create(
        key=key,
        provider=provider,
        valid_from=valid_from,
        defaults={"value": value, "legal_basis": legal_basis},
    )
    return row
