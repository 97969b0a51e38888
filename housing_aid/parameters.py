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

    @property
    def rule(self) -> ValueRule:
        return rule_for(self.unit)


REGISTRY: dict[str, ParameterSpec] = {}


def register(key: str, label, unit: str, *, per_provider: bool = False) -> str:
    REGISTRY[key] = ParameterSpec(key, label, unit, per_provider)
    return key


# -- what a value may be -----------------------------------------------------------
# A term of -3 or 0.5 working days cannot be counted by the calendar (every deadline
# read from it would fail), so each unit has its sane range; a value outside it is
# refused on every path (admin form, Parameter.clean(), Parameter.save(), set_value).
@dataclass(frozen=True)
class ValueRule:
    unit_label: str
    whole: bool
    minimum: Decimal
    maximum: Decimal | None
    help_text: str


_WORKING_DAYS = ("working days", "working_days", "wd")


def rule_for(unit: str) -> ValueRule:
    if unit in _WORKING_DAYS:
        return ValueRule(
            str(_("working days")),
            True,
            Decimal(1),
            Decimal(120),
            str(
                _(
                    "A whole number of working days from 1 to 120. Counted from the day after the "
                    "event by the working-day calendar (weekends, holidays and decree transfers skipped)."
                )
            ),
        )
    if unit == "months":
        return ValueRule(
            str(_("months")),
            True,
            Decimal(1),
            Decimal(600),
            str(_("A whole number of months from 1 to 600.")),
        )
    if unit == "years":
        return ValueRule(
            str(_("years")), True, Decimal(1), Decimal(120), str(_("A whole number of years from 1 to 120."))
        )
    if unit == "KZT":
        return ValueRule(
            "₸",
            False,
            Decimal("0.01"),
            None,
            str(_("A sum in tenge, greater than zero (tiyn after the point).")),
        )
    if unit == "%":
        return ValueRule(
            "%",
            False,
            Decimal("0.0001"),
            Decimal(100),
            str(_("A percentage greater than 0 and at most 100.")),
        )
    return ValueRule(
        unit, False, Decimal("0.0001"), Decimal(1000), str(_("A number greater than 0 and at most 1000."))
    )


def validate_value(key: str, value) -> None:
    """Raise ``ValidationError`` (field ``value`` or ``key``) when ``value`` cannot be this parameter's."""
    from django.core.exceptions import ValidationError

    spec = REGISTRY.get(key)
    if spec is None:
        raise ValidationError({"key": _("Unknown parameter: %(key)s.") % {"key": key}})
    if value is None:
        raise ValidationError({"value": _("Enter a value.")})
    value = Decimal(value)
    rule = spec.rule
    if rule.whole and value != value.to_integral_value():
        raise ValidationError({"value": _("Enter a whole number of %(unit)s.") % {"unit": rule.unit_label}})
    if value < rule.minimum or (rule.maximum is not None and value > rule.maximum):
        raise ValidationError({"value": rule.help_text})


class ParameterMissing(LookupError):
    pass


# Figures shared by several services.
MSL = register("msl", _("Minimum subsistence level (MSL), KZT a month"), "KZT")


def value_on(key: str, on: dt.date, provider=None) -> Decimal:
    """The value in force on ``on``: the provider's own row if any, else the national one
    (one query: the provider's rows sort before the national ones)."""
    from django.db.models import F, Q

    from housing_aid.models import Parameter

    rows = Parameter.objects.filter(key=key, valid_from__lte=on)
    scope = Q(provider__isnull=True) if provider is None else Q(provider=provider) | Q(provider__isnull=True)
    row = rows.filter(scope).order_by(F("provider_id").asc(nulls_last=True), "-valid_from").first()
    if row is None:
        raise ParameterMissing(f"no value of {key!r} in force on {on}")
    return row.value


def int_value_on(key: str, on: dt.date, provider=None) -> int:
    return int(value_on(key, on, provider))


def set_value(key: str, valid_from: dt.date, value, provider=None, legal_basis: str = ""):
    """Create or update a row (seed data, administrators' scripts); the value is validated."""
    from housing_aid.models import Parameter

    validate_value(key, value)
    row, _created = Parameter.objects.update_or_create(
        key=key,
        provider=provider,
        valid_from=valid_from,
        defaults={"value": value, "legal_basis": legal_basis},
    )
    return row
