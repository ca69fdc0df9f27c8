from datetime import date

import pytest

from conftest import make_id_number
from wangge.core.identity import IdentityError, IdType, parse_id_number, parse_phone
from wangge.core.masking import mask_id_number, mask_phone


def test_valid_resident_id_gives_birth_date_and_sex():
    number = make_id_number(7, born=date(1990, 1, 1), male=False)

    identity = parse_id_number(number)

    assert identity.number == number
    assert identity.birth_date == date(1990, 1, 1)
    assert identity.sex == "F"


def test_wrong_check_digit_is_rejected():
    number = make_id_number(7)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    with pytest.raises(IdentityError, match="校验位"):
        parse_id_number(wrong)


def test_lowercase_x_and_full_width_digits_are_normalised():
    first17 = "11010519491231002"
    number = first17 + "X"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in first17) + "x"

    assert parse_id_number(full_width).number == number


def test_excel_scientific_notation_is_refused_not_repaired():
    with pytest.raises(IdentityError, match="Excel"):
        parse_id_number("3.30102199001011E+17")


@pytest.mark.parametrize("born", [date(1899, 12, 31), date(2099, 1, 1)])
def test_birth_date_before_1900_or_in_future_is_an_error(born):
    with pytest.raises(IdentityError, match="出生日期"):
        parse_id_number(make_id_number(1, born=born), today=date(2026, 11, 27))


def test_passport_is_not_checksummed():
    assert parse_id_number("E12345678", IdType.PASSPORT).birth_date is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0571-87654321", "0571-87654321"),
        ("057187654321", "0571-87654321"),
        ("13800138000.0", "13800138000"),
    ],
)
def test_phone_normalisation(raw, expected):
    assert parse_phone(raw) == expected


def test_unreadable_phone_names_the_value():
    with pytest.raises(IdentityError, match="12345"):
        parse_phone("12345")


def test_masks():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
