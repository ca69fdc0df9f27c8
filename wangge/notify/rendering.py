"""A message's text with its variables filled in, and its length as an SMS.

Placeholders: {称呼} the surname with 先生/女士 (the masked name when the sex or the surname is not
known), {姓名} the masked name (张*), {户} the household's address (阳光花园3幢2单元302室),
{日期} the day of sending (12月7日), {链接} the acknowledgement link. Full-width braces (｛称呼｝)
count as braces. A recipient without a value gets the placeholder empty; an unknown placeholder
stays as written, and `template_errors` names it before anything is sent.

SMS length: carriers count UTF-16 code units (an emoji takes two); 70 fit in one message, a longer
one is sent in parts of 67.
"""

import math
import re

from django.utils import timezone

from wangge.core.identity import Sex
from wangge.core.masking import mask_name

PLACEHOLDERS = ("称呼", "姓名", "户", "日期", "链接")
SMS_SINGLE = 70
SMS_PART = 67

_BRACES = str.maketrans({"｛": "{", "｝": "}"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# Two-character surnames still met in registers; any other name's surname is its first character.
_COMPOUND = "欧阳司马上官诸葛东方皇甫尉迟公孙慕容令狐长孙宇文司徒夏侯轩辕端木独孤南宫西门百里呼延万俟闻人澹台"
COMPOUND_SURNAMES = frozenset(_COMPOUND[i : i + 2] for i in range(0, len(_COMPOUND), 2))


def surname(name: str) -> str:
    """The surname of a Chinese name of 2–4 characters; "" for any other name."""
    if not _CJK.match(name):
        return ""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0]


def salutation(name: str, sex: str) -> str:
    """王先生, 欧阳女士; the masked name (王*) when the sex or surname is not known."""
    family = surname(name)
    if family and sex == Sex.MALE:
        return f"{family}先生"
    if family and sex == Sex.FEMALE:
        return f"{family}女士"
    return mask_name(name)


def today_label() -> str:
    today = timezone.localdate()
    return f"{today.month}月{today.day}日"


def render(text: str, variables: dict[str, str], link: str = "") -> str:
    """The text for one recipient: known placeholders filled (empty when the recipient has no
    value), unknown ones left as written."""
    values = dict.fromkeys(PLACEHOLDERS, "")
    values.update({k: v for k, v in variables.items() if k in values})
    values["日期"] = variables.get("日期") or today_label()
    values["链接"] = link

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return values[name] if name in values else match.group(0)

    return _PLACEHOLDER.sub(fill, text.translate(_BRACES))


def template_errors(text: str) -> list[str]:
    """What is wrong with a template's placeholders (unknown names, unmatched braces), one
    bilingual message each; [] when it can be sent."""
    text = text.translate(_BRACES)
    known = "".join(f"{{{name}}}" for name in PLACEHOLDERS)
    errors = []
    for name in dict.fromkeys(match.group(1).strip() for match in _PLACEHOLDER.finditer(text)):
        if name not in PLACEHOLDERS:
            errors.append(
                f"未知的变量{{{name}}}，可用：{known} / unknown placeholder {{{name}}}; use {known}"
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        errors.append("花括号不成对 / a brace is not matched")
    return errors


def sms_length(text: str) -> int:
    """Characters as carriers count them (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def sms_segments(text: str) -> int:
    """Messages a text is sent as: one up to 70 characters, else parts of 67 (0 for no text)."""
    length = sms_length(text)
    if length == 0:
        return 0
    return 1 if length <= SMS_SINGLE else math.ceil(length / SMS_PART)
