"""Identity documents and phone numbers: validation and normalisation shared by every form and import.

Errors are raised as IdentityError with a bilingual message naming what is wrong; callers add the
row and column.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidLength, ValidationError


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


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[/、，,;；]")
_EXTENSION_WORD = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(?=\d+$)", re.IGNORECASE)
_DASH_EXTENSION = re.compile(r"^(0\d{2,3}[\s-]*\d{3,4}[\s-]*\d{4})-(\d{1,6})$")
_LOCAL_NUMBER = re.compile(r"^[2-9]\d{6,7}$")
_BARE_MOBILE = re.compile(r"1\d{10}")
_ACCEPTED_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


@dataclass(frozen=True)
class Phones:
    """What one cell holds: the phone, and a second number when the cell carried two."""

    first: str
    second: str = ""


def _unreadable(value: str, why: tuple[str, str]) -> IdentityError:
    return IdentityError(
        f"无法识别的电话号码“{value}”：{why[0]} / cannot read phone number '{value}': {why[1]}"
    )


def _one_phone(text: str, area_code: str) -> str:
    """One number, normalised: 17834019904, 0571-87654321, or 0571-87654321-123 with an extension."""
    bare = _EXTENSION_WORD.sub(" ext ", text).replace(" ext ", "")
    if re.search(r"[A-Za-z]", bare):
        raise _unreadable(text, ("含有字母", "it contains letters"))
    if re.search(r"[^\d\s+\-.()]", bare):
        raise _unreadable(
            text, ("含有电话号码以外的字符", "it holds characters that are not a number")
        )
    digits = re.sub(r"\D", "", text)
    if _LOCAL_NUMBER.match(digits) and not re.search(r"[+(（]", text):
        if not area_code:
            raise _unreadable(
                text,
                ("固定电话缺少区号，且所属街道未设置区号", "a landline needs its area code"),
            )
        text = f"{area_code}-{digits}"
    dash_extension = _DASH_EXTENSION.match(text)
    if dash_extension:
        text = f"{dash_extension.group(1)} ext {dash_extension.group(2)}"
    text = _EXTENSION_WORD.sub(" ext ", text)
    region = settings.WANGGE["PHONE_REGION"]
    if region == "CN" and _BARE_MOBILE.fullmatch(text):
        # what phonenumbers.parse makes of eleven bare digits, without its normalising pass (half
        # the cost of a phone in a 20,000-row import); the type check below judges it the same
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(text))
    else:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException as error:
            raise _unreadable(text, ("不是电话号码", "not a phone number")) from error
    # The type once (is_valid_number is "its type is known", and each call matches the number
    # against every pattern of the region again): a third of an import's time spent on phones.
    kind = phonenumbers.number_type(number)
    valid = phonenumbers.region_code_for_number(number) == "CN" and kind in _ACCEPTED_TYPES
    if not valid:
        count = len(str(number.national_number))
        why = (
            ("位数不对", f"{count} digits is not the length of a Chinese mobile or landline")
            if count not in (10, 11)
            else ("不是有效的手机或固定电话号码", "not a valid Chinese mobile or landline")
        )
        raise _unreadable(text, why)
    national = str(number.national_number)
    mobile = kind == phonenumbers.PhoneNumberType.MOBILE
    area = 0 if mobile else phonenumbers.length_of_geographical_area_code(number)
    phone = f"0{national[:area]}-{national[area:]}" if area else national
    return f"{phone}-{number.extension}" if number.extension else phone


def parse_phones(raw: object, area_code: str = "") -> Phones:
    """A cell as people fill it: one number, or two (separated by / 、 ， , ; or a space).

    Mobiles and landlines in any grouping, with +86/86/0086, full-width digits, Excel's float and an
    extension (转, -, ext, x). A landline without area code takes `area_code` (the street's) or is refused.
    """
    text = normalise_text(raw)
    if not text:
        raise IdentityError("缺少电话号码 / phone number missing")
    if _SCIENTIFIC.match(text):
        raise IdentityError(
            f"电话号码“{text}”被Excel转成了科学计数法，后几位已丢失，请将该列设为文本后重新填写 / "
            f"the phone number '{text}' was turned into scientific notation by Excel and lost its "
            "last digits; format the column as text and type it again"
        )
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) == 1 and " " in parts[0]:
        try:
            return Phones(_one_phone(parts[0], area_code))
        except IdentityError:
            words = parts[0].split()
            if len(words) != 2:
                raise
            parts = words
    if len(parts) > 2:
        raise _unreadable(text, ("一格最多填两个号码", "a cell holds at most two numbers"))
    phones = [_one_phone(part, area_code) for part in parts]
    return Phones(*phones)


def phone_digits(phone: str) -> str:
    """The digits people dial, without the extension: 0571-87654321-12 → 057187654321."""
    return "".join(phone.split("-")[:2])


def parse_phone(raw: object, area_code: str = "") -> str:
    """The phone of a cell or field (the first, where someone typed two), normalised."""
    return parse_phones(raw, area_code).first


def parse_uscc(raw: object) -> str:
    """A 统一社会信用代码 (GB 32100-2015) checked by its check character, full-width characters and
    lower case normalised first; "" for an empty cell. python-stdnum holds the algorithm."""
    text = normalise_text(raw).upper().replace(" ", "").replace("-", "")
    if not text:
        return ""
    try:
        return uscc.validate(text)
    except InvalidLength as error:
        raise IdentityError(
            f"统一社会信用代码“{text}”应为18位 / USCC '{text}' must have 18 characters"
        ) from error
    except ValidationError as error:
        raise IdentityError(
            f"统一社会信用代码“{text}”校验位不符或含无效字符 / USCC '{text}' fails its check "
            "character or holds a character it may not"
        ) from error
