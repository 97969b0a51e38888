from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from housing_aid.identifiers import (
    iin_birth_date,
    iin_check_digit,
    is_valid_iban,
    is_valid_iin,
    validate_iban,
    validate_iin,
    validate_phone,
)


@pytest.mark.parametrize("iin", ["061211600012", "850315410002"])
def test_valid_iins_from_domain_md(iin):
    assert is_valid_iin(iin)
    validate_iin(iin)


@pytest.mark.parametrize("iin", ["850315410003", "85031541000", "8503154100021", "85031541000a", ""])
def test_invalid_iins(iin):
    assert not is_valid_iin(iin)
    with pytest.raises(ValidationError):
        validate_iin(iin)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_every_eleven_digits_have_at_most_one_check_digit(first):
    check = iin_check_digit(first)
    valid = [d for d in range(10) if is_valid_iin(first + str(d))]
    assert valid == ([] if check is None else [check])


def test_birth_date_is_a_suggestion():
    assert iin_birth_date("850315410002") == dt.date(1985, 3, 15)
    assert iin_birth_date("061211600012") == dt.date(2006, 12, 11)
    assert iin_birth_date("850315410003") is None


@pytest.mark.parametrize("iban", ["KZ86125KZT5004100100", "kz86 125K ZT50 0410 0100"])
def test_valid_iban(iban):
    assert is_valid_iban(iban)
    validate_iban(iban)


@pytest.mark.parametrize("iban", ["KZ87125KZT5004100100", "KZ86125KZT500410010", "DE89370400440532013000"])
def test_invalid_iban(iban):
    assert not is_valid_iban(iban)
    with pytest.raises(ValidationError):
        validate_iban(iban)


@pytest.mark.parametrize("phone", ["+7 701 555 12 34", "+77011234567", "8 (7172) 55-44-33"])
def test_valid_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone", ["Әбдіқадыр 🏠", "+7 701 555", "8-800-ABC-12-34", "+٧٧٠١٥٥٥١٢٣٤", "+7 701 555 12 34 ext"]
)
def test_invalid_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
