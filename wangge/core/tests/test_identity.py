from datetime import date

import pytest

from conftest import make_id_number
from wangge.core.identity import (
    IdentityError,
    IdType,
    Phones,
    parse_id_number,
    parse_phone,
    parse_phones,
    parse_uscc,
)
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
        ("178 3401 9904", "17834019904"),
        ("178-3401-9904", "17834019904"),
        ("178.3401.9904", "17834019904"),
        ("(178)3401-9904", "17834019904"),
        ("１７８－３４０１－９９０４", "17834019904"),
        ("+8613800138000", "13800138000"),
        ("+86 178 3401 9904", "17834019904"),
        ("8617834019904", "17834019904"),
        ("0086 17834019904", "17834019904"),
        ("17834019904.0", "17834019904"),
        ("0571-87654321", "0571-87654321"),
        ("0571-8765 4321", "0571-87654321"),
        ("(0571)87654321", "0571-87654321"),
        ("（0571）87654321", "0571-87654321"),
        ("057187654321", "0571-87654321"),
        ("010-12345678", "010-12345678"),
        ("0571-87654321转123", "0571-87654321-123"),
        ("0571-87654321-123", "0571-87654321-123"),
        ("0571-87654321 ext 12", "0571-87654321-12"),
        ("0571-87654321x12", "0571-87654321-12"),
    ],
)
def test_phones_in_the_shapes_people_write_them_are_stored_in_one_form(raw, expected):
    assert parse_phone(raw) == expected


def test_a_landline_without_area_code_takes_the_streets():
    assert parse_phone("8765 4321", area_code="0571") == "0571-87654321"


def test_a_landline_without_area_code_is_refused_when_the_street_has_none():
    with pytest.raises(IdentityError, match="区号"):
        parse_phone("87654321")


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678/13987654321",
        "13812345678、13987654321",
        "13812345678，13987654321",
        "13812345678,13987654321",
        "13812345678;13987654321",
        "13812345678；13987654321",
        "13812345678 13987654321",
    ],
)
def test_a_cell_with_two_numbers_gives_both(raw):
    assert parse_phones(raw) == Phones("13812345678", "13987654321")
    assert parse_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("12345", "位数不对"),
        ("138001380001", "12 digits"),
        ("99999999999", "不是有效的手机或固定电话号码"),
        ("1380013800a", "含有字母"),
        ("电话13800138000", "not a number"),
        ("+", "不是电话号码"),
    ],
)
def test_unreadable_phones_are_refused_naming_the_value_and_why(raw, named):
    with pytest.raises(IdentityError, match=named) as refused:
        parse_phone(raw)
    assert raw in str(refused.value)


def test_a_phone_excel_turned_into_scientific_notation_says_the_digits_are_lost():
    with pytest.raises(IdentityError, match="digits") as refused:
        parse_phone("1.78340E+10")
    assert "科学计数法" in str(refused.value)


def test_masked_landline_keeps_its_extension():
    assert mask_phone("0571-87654321-12") == "0571-****4321-12"


def test_masks():
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91440300708461136T"])
def test_uscc_vectors_of_gb32100_are_valid(value):
    assert parse_uscc(value) == value


def test_uscc_with_a_wrong_check_character_is_refused():
    with pytest.raises(IdentityError, match="91330106MA27XF6E0T"):
        parse_uscc("91330106MA27XF6E0T")


def test_uscc_full_width_and_lower_case_are_normalised_first():
    assert parse_uscc("９１３５０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"
    assert parse_uscc(" 91440300708461136t ") == "91440300708461136T"


@pytest.mark.parametrize("value", ["9135010", "91350100M000100I43", "91350100M000100Y431"])
def test_uscc_of_a_wrong_length_or_letter_is_refused(value):
    with pytest.raises(IdentityError):
        parse_uscc(value)


def test_an_empty_uscc_cell_is_no_uscc():
    assert parse_uscc(None) == "" and parse_uscc(" ") == ""
