"""Number plates as residents type them on a phone: normalised, or refused naming what is wrong."""

import pytest

from wangge.residents.plates import PlateError, parse_plate


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("浙A12345", "浙A12345"),
        ("浙ａ·１２３４５", "浙A12345"),
        ("浙AD12345", "浙AD12345"),
        ("粤b 1234f", "粤B1234F"),
    ],
)
def test_a_plate_is_normalised(typed, plate):
    assert parse_plate(typed) == plate


@pytest.mark.parametrize(
    ("typed", "why"),
    [("A12345", "省份简称"), ("浙A1234", "应为7位"), ("浙AI2345", "格式不对"), ("", "缺少车牌号")],
)
def test_a_bad_plate_says_why(typed, why):
    with pytest.raises(PlateError, match=why):
        parse_plate(typed)
