"""Templates: placeholders filled per recipient, unknown ones named before sending, the SMS
counted as carriers count it (70 in one message, parts of 67)."""

import pytest

from wangge.notify.rendering import render, salutation, sms_length, sms_segments, template_errors

VARIABLES = {"称呼": "张先生", "姓名": "张*", "户": "阳光花园3幢2单元302室"}


def test_placeholders_are_filled_from_the_recipients_variables(clock):
    text = "{称呼}您好：{户}住户请于{日期}前完成核酸，收到请点{链接}"
    assert render(text, VARIABLES, "https://x/a/1") == (
        "张先生您好：阳光花园3幢2单元302室住户请于12月7日前完成核酸，收到请点https://x/a/1"
    )


def test_full_width_braces_count_and_a_missing_value_is_left_empty(clock):
    assert render("｛称呼｝好，{户}", {"称呼": "李女士"}) == "李女士好，"


def test_an_unknown_placeholder_stays_as_written_and_is_named():
    assert render("{名字}你好", VARIABLES) == "{名字}你好"
    errors = template_errors("{名字}你好 {称呼} {名字}")
    assert len(errors) == 1 and "{名字}" in errors[0] and " / " in errors[0]
    assert template_errors("{称呼}{姓名}{户}{日期}{链接}") == []
    assert template_errors("请回复{称呼") == ["花括号不成对 / a brace is not matched"]


@pytest.mark.parametrize(
    ("name", "sex", "expected"),
    [
        ("张三", "M", "张先生"),
        ("林芳", "F", "林女士"),
        ("欧阳明", "M", "欧阳先生"),
        ("欧阳", "F", "欧女士"),
        ("王五", "", "王*"),
        ("阿依古丽·买买提", "F", "阿*******"),
        ("John Smith", "M", "J*********"),
    ],
)
def test_the_salutation_is_the_surname_and_title_or_the_masked_name(name, sex, expected):
    assert salutation(name, sex) == expected


@pytest.mark.parametrize(
    ("length", "segments"), [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3)]
)
def test_sms_segments_are_one_up_to_70_then_parts_of_67(length, segments):
    assert sms_segments("字" * length) == segments


def test_an_emoji_counts_twice_as_carriers_count_it():
    assert sms_length("好😀") == 3
    assert sms_segments("字" * 69 + "😀") == 2
