"""Identity documents and phone numbers: validation and normalisation shared by every form and import.

Errors are raised as IdentityError with a bilingual message naming what is wrong; callers add the
row and column.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    HMT_RESIDENCE = "hmt_residence", _("港澳台居民居住证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class IdentityError(ValueError):
    """A value that cannot be an ID number or phone; the message says why, in Chinese and English."""


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_CHECKSUM_TYPES = {IdType.RESIDENT, IdType.HMT_RESIDENCE}


@dataclass(frozen=True)
class IdNumber:
    id_type: str
    number: str
    birth_date: date | None
    sex: str


def normalise_text(value: object) -> str:
    """Full-width digits and letters become half-width; surrounding blanks go."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def gb11643_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def _birth_date(number: str, today: date) -> date:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise IdentityError("出生日期无效 / impossible birth date in the ID number") from error
    if born > today:
        raise IdentityError("出生日期在未来 / birth date in the future")
    if born.year < 1900:
        raise IdentityError("出生日期早于1900年 / birth date before 1900")
    return born


def parse_id_number(
    raw: object, id_type: str = IdType.RESIDENT, today: date | None = None
) -> IdNumber:
    """Validate and normalise an ID number of the given type; derive birth date and sex when it can."""
    today = today or timezone.localdate()
    number = normalise_text(raw).replace(" ", "").upper()
    if not number:
        raise IdentityError("缺少证件号码 / ID number missing")
    if _EXCEL_NUMBER.match(number) or (number.endswith(".0") and number[:-2].isdigit()):
        raise IdentityError(
            "证件号码被Excel转成了数字，末几位已丢失，请将该列设为文本后重新填写 / "
            "the ID number was turned into a number by Excel and lost its last digits; "
            "format the column as text and type it again"
        )
    eighteen = _EIGHTEEN.match(number) is not None
    if id_type in _CHECKSUM_TYPES or (id_type == IdType.FOREIGN_PERMANENT and eighteen):
        if len(number) != 18:
            raise IdentityError(
                f"证件号码应为18位，实为{len(number)}位 / ID number must have 18 characters, not {len(number)}"
            )
        if not eighteen:
            raise IdentityError(
                "证件号码只能是17位数字加一位数字或X / ID number must be 17 digits and a digit or X"
            )
        if gb11643_check_digit(number[:17]) != number[17]:
            raise IdentityError("证件号码校验位错误 / ID number check digit is wrong")
        born = _birth_date(number, today)
        sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
        return IdNumber(id_type, number, born, sex)
    if not re.match(r"^[A-Z0-9\-]{5,30}$", number):
        raise IdentityError("证件号码含有无效字符 / ID number has characters that are not allowed")
    return IdNumber(id_type, number, None, "")


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})$")


def parse_phone(raw: object) -> str:
    """A mainland mobile (11 digits) or a landline with area code, normalised as 0571-87654321."""
    phone = normalise_text(raw)
    if phone.endswith(".0") and phone[:-2].isdigit():
        phone = phone[:-2]
    phone = re.sub(r"[\s()（）]", "", phone)
    phone = re.sub(r"^(\+?86)-?(?=1\d{10}$)", "", phone)
    if _MOBILE.match(phone):
        return phone
    landline = _LANDLINE.match(phone)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    raise IdentityError(
        f"无法识别的电话号码“{phone}” / cannot read phone number '{phone}': "
        "use an 11-digit mobile or a landline with area code"
    )
