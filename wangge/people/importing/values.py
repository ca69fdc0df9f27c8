"""Reading one cell's value: the words rosters use for sex, relation, residence type, yes/no, dates.

Each reader returns the normalised value or raises ValueError with a bilingual message; the row
parser adds the row number and column.
"""

import re
from collections.abc import Mapping
from datetime import date

from wangge.core.identity import IdType, Sex, normalise_text
from wangge.people.models import Person

LANDLORD = "landlord"  # 与户主关系 = 房东: see rows.py

SEXES = {
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "M": Sex.MALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "F": Sex.FEMALE,
}

ID_TYPES = {str(label): value for value, label in IdType.choices} | {
    "身份证": IdType.RESIDENT,
    "二代身份证": IdType.RESIDENT,
    "居民身份证号": IdType.RESIDENT,
    "居住证": IdType.HMT_RESIDENCE,
    "港澳台居住证": IdType.HMT_RESIDENCE,
    "永久居留证": IdType.FOREIGN_PERMANENT,
    "回乡证": IdType.HK_MACAO_PERMIT,
    "港澳通行证": IdType.HK_MACAO_PERMIT,
    "台胞证": IdType.TAIWAN_PERMIT,
}

_R = Person.Relation
RELATIONS = {str(label): value for value, label in _R.choices} | {
    "本人": _R.HEAD,
    **dict.fromkeys(("妻子", "丈夫", "妻", "夫", "爱人"), _R.SPOUSE),
    **dict.fromkeys(("儿子", "女儿", "子", "女", "长子", "次子", "长女", "次女"), _R.CHILD),
    **dict.fromkeys(("父亲", "母亲", "父", "母"), _R.PARENT),
    **dict.fromkeys(
        (
            "亲属",
            "孙子",
            "孙女",
            "外孙",
            "外孙女",
            "儿媳",
            "女婿",
            "兄弟",
            "姐妹",
            "兄",
            "弟",
            "姐",
            "妹",
            "祖父",
            "祖母",
            "外祖父",
            "外祖母",
            "岳父",
            "岳母",
            "公公",
            "婆婆",
        ),
        _R.RELATIVE,
    ),
    **dict.fromkeys(("租户", "承租人"), _R.TENANT),
    **dict.fromkeys(("朋友", "保姆", "同事"), _R.OTHER),
    "房东": LANDLORD,
}

_T = Person.ResidenceType
RESIDENCE_TYPES = {str(label): value for value, label in _T.choices} | {
    "户籍人口": _T.REGISTERED,
    "常住人口": _T.PERMANENT,
    "租户": _T.RENTING,
    "出租": _T.RENTING,
    "流动人口": _T.FLOATING,
}

YES = {"是", "Y", "YES", "1", "TRUE", "党员", "√"}
NO = {"否", "N", "NO", "0", "FALSE", "非党员", "×", "无"}

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
TAG_SEPARATORS = re.compile(r"[,，、;；/\s]+")


def choice(value: str, vocabulary: Mapping[str, str], what: str, english: str) -> str:
    found = vocabulary.get(value) or vocabulary.get(value.upper())
    if found is None:
        raise ValueError(f"无法识别的{what}“{value}” / unknown {english} '{value}'")
    return found


def sex(value: str) -> str:
    return choice(value, SEXES, "性别", "sex")


def id_type(value: str) -> str:
    return choice(value, ID_TYPES, "证件类型", "ID type")


def relation(value: str) -> str:
    return choice(value, RELATIONS, "与户主关系", "relation")


def residence_type(value: str) -> str:
    return choice(value, RESIDENCE_TYPES, "人员类型", "residence type")


def yes_no(value: str) -> bool:
    upper = value.upper()
    if upper in YES:
        return True
    if upper in NO:
        return False
    raise ValueError(f"请填“是”或“否”，而不是“{value}” / write 是 or 否, not '{value}'")


def birth_date(value: str, today: date) -> date:
    match = _DATE.match(value) or _COMPACT_DATE.match(value)
    if match is None:
        raise ValueError(
            f"无法识别的出生日期“{value}”，请写成1980-05-17 / cannot read birth date '{value}': "
            "write it as 1980-05-17"
        )
    try:
        born = date(*(int(part) for part in match.groups()))
    except ValueError as error:
        raise ValueError(f"出生日期无效“{value}” / impossible birth date '{value}'") from error
    if born > today or born.year < 1900:
        raise ValueError(f"出生日期无效“{value}” / impossible birth date '{value}'")
    return born


def floor(value: str) -> int:
    number = re.sub(r"[层楼F]$", "", value.upper())
    try:
        return int(number)
    except ValueError as error:
        raise ValueError(f"无法识别的楼层“{value}” / cannot read floor '{value}'") from error


def person_name(value: str) -> str:
    """Blanks go; between Chinese characters even inner ones ("张  三" → "张三")."""
    name = " ".join(value.replace("\u3000", " ").split())
    if not re.search(r"[A-Za-z]", name):
        name = name.replace(" ", "")
    return name


def building_name(value: str) -> str:
    """3, 3栋, 3号楼, 3座, ３幢 → 3幢 (as addresses.parse_address names them); 张家组 stays."""
    name = normalise_text(value).replace(" ", "")
    if name.isdigit():
        return f"{name}幢"
    if name.endswith("号楼"):
        return name[:-2] + "幢"
    if name[-1:] in {"栋", "号", "座", "楼"} and name[:-1].isalnum():
        return name[:-1] + "幢"
    return name


def unit_name(value: str) -> str:
    name = normalise_text(value).replace(" ", "")
    return name[:-2] if name.endswith("单元") else name


def room_name(value: str) -> str:
    name = normalise_text(value).replace(" ", "")
    return name[:-1] if name[-1:] in {"室", "号"} and len(name) > 1 else name


def tag_names(value: str) -> list[str]:
    return [name for name in TAG_SEPARATORS.split(value) if name]
