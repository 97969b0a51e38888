"""IIN, IBAN and phone checks (DOMAIN.md, "Identifiers")."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_IIN_RE = re.compile(r"^\d{12}$")
_WEIGHTS_1 = tuple(range(1, 12))
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_check_digit(first_eleven: str) -> int | None:
    """The IIN's 12th digit for these 11, or None when no valid check digit exists."""
    digits = [int(c) for c in first_eleven]
    s = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if s == 10:
        s = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
        if s == 10:
            return None
    return s


def is_valid_iin(value: str) -> bool:
    if not isinstance(value, str) or not _IIN_RE.match(value):
        return False
    check = iin_check_digit(value[:11])
    return check is not None and check == int(value[11])


def validate_iin(value: str) -> None:
    if not isinstance(value, str) or not _IIN_RE.match(value):
        raise ValidationError(_("An IIN is 12 digits."), code="iin_format")
    if not is_valid_iin(value):
        raise ValidationError(_("This IIN has a wrong check digit."), code="iin_checksum")


def iin_birth_date(value: str) -> dt.date | None:
    """The birth date the IIN usually encodes (digits 1-6, century from digit 7).

    Since 2013 the link is not guaranteed: use it as a suggestion, never to reject.
    """
    if not is_valid_iin(value):
        return None
    century = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}.get(value[6])
    if century is None:
        return None
    try:
        return dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


# A phone as people write it: digits with an optional leading +, spaces, dashes and brackets;
# 10 to 15 digits (+7 701 555 12 34, 8 (7172) 55-44-33). SMS go to it, so letters are refused.
_PHONE_RE = re.compile(r"^\+?[\d\s()\-]+$")


def validate_phone(value: str) -> None:
    digits = sum(c.isascii() and c.isdigit() for c in value)
    if not _PHONE_RE.match(value) or not 10 <= digits <= 15 or not value.isascii():
        raise ValidationError(
            _("Enter the phone number in digits, for example +7 701 555 12 34."), code="phone_format"
        )


_IBAN_RE = re.compile(r"^KZ\d{2}[0-9A-Z]{16}$")


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def is_valid_iban(value: str) -> bool:
    iban = normalise_iban(value)
    if not _IBAN_RE.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return int(numeric) % 97 == 1


def validate_iban(value: str) -> None:
    iban = normalise_iban(value)
    if not _IBAN_RE.match(iban):
        raise ValidationError(
            _("A Kazakh IBAN is KZ, 2 check digits and 16 characters (20 in all)."), code="iban_format"
        )
    if not is_valid_iban(iban):
        raise ValidationError(
            _("The IBAN's check digits do not match: compare the account number with the bank's document."),
            code="iban_checksum",
        )
