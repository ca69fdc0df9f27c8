"""Chinese number plates (GA 36): a province's character, the issuing office's letter, then five
letters or digits — six for a new-energy vehicle (新能源, D or F among them). Typed on a phone as
people type them: full-width, lower case, with a space, a dot or a dash after the office letter."""

import re

from wangge.core.identity import normalise_text

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(rf"^[{PROVINCES}][A-Z][A-HJ-NP-Z0-9]{{4}}[A-HJ-NP-Z0-9挂学警港澳]$")
_NEW_ENERGY = re.compile(rf"^[{PROVINCES}][A-Z](?:[DF][A-HJ-NP-Z0-9]\d{{4}}|\d{{5}}[DF])$")


class PlateError(ValueError):
    """Not a Chinese number plate; the message says why, in Chinese and English."""


def parse_plate(raw: object) -> str:
    """The plate normalised (浙A12345, 浙AD12345), or PlateError naming what is wrong."""
    text = re.sub(r"[\s·.\-•]", "", normalise_text(raw)).upper()
    if not text:
        raise PlateError("缺少车牌号 / plate missing")
    if text[0] not in PROVINCES:
        raise PlateError(
            f"车牌“{text}”应以省份简称开头，如浙A12345 / plate '{text}' must begin with a "
            "province's character, as in 浙A12345"
        )
    if len(text) not in (7, 8):
        raise PlateError(
            f"车牌“{text}”应为7位（新能源8位），实为{len(text)}位 / plate '{text}' must have 7 "
            f"characters (8 for a new-energy vehicle), not {len(text)}"
        )
    if not (_PLATE.match(text) if len(text) == 7 else _NEW_ENERGY.match(text)):
        raise PlateError(
            f"车牌“{text}”格式不对 / plate '{text}' is not a Chinese number plate "
            "(the letters I and O are not used)"
        )
    return text
