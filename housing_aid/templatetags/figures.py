"""Figures as a reader writes them: a rate or a multiplier with the decimals it has, no
trailing zeros (0,01 %, 3,1 × MSL, 7,5 %), in the reader's number format."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def trimmed(value, places: int = 4) -> str:
    """``value`` rounded to at most ``places`` decimals, trailing zeros dropped, localized.

    Django's ``floatformat:"-4"`` keeps all four decimals as soon as there is one (0,0100)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    exponent = number.normalize().as_tuple().exponent
    return floatformat(number, max(0, -exponent) if isinstance(exponent, int) else 0)
