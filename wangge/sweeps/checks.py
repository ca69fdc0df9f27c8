"""The library of checks a sweep's form is made of (扫楼清村: 行程、疫苗、核酸预约、出租登记、消防、
老人需求), and the validation of a household's answers against it.

A check is a list of questions. A question has a key (unique in the library, "<check>.<name>"),
a Chinese label, a kind (yes/no, choice, text, date) and may be asked once per member of the
household: then its answer is an object {member id: value}, and the form lists the members from
the register, so the worker ticks instead of typing. A question may depend on a yes/no question
(`only_if`): it is asked, and may be answered, only where that one was answered yes (per member
when both are per member). A member who no longer lives here is asked nothing more.

Every form starts with the residents' check (住户核对): who still lives here, a changed phone,
someone new; the campaign's chosen checks follow in the library's order.

Answers are JSON: yes/no as true/false, a choice by its code, text as a string, a date as
YYYY-MM-DD. `answers_clean` returns them checked and normalised, or raises one ValidationError
naming every wrong question with a 中文 / English message.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.identity import IdentityError, parse_phone

TEXT_MAX = 200
RESIDENTS = "residents"
PRESENT = "residents.present"


class Kind(StrEnum):
    YESNO = "yesno"
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"


@dataclass(frozen=True)
class Question:
    key: str
    label: Any
    kind: Kind
    per_member: bool = False
    required: bool = True
    choices: tuple[tuple[str, Any], ...] = ()
    only_if: str = ""


@dataclass(frozen=True)
class Check:
    code: str
    label: Any
    questions: tuple[Question, ...]


def _q(key: str, label: Any, kind: Kind, **options: Any) -> Question:
    return Question(key=key, label=label, kind=kind, **options)


VACCINE_DOSES = (
    ("none", _("未接种")),
    ("partial", _("未全程")),
    ("full", _("已全程")),
    ("booster", _("已加强")),
)
NEED_KINDS = (
    ("medicine", _("代购药品")),
    ("groceries", _("生活物资")),
    ("doctor", _("就医")),
    ("care", _("生活照料")),
    ("other", _("其他")),
)

LIBRARY: tuple[Check, ...] = (
    Check(
        RESIDENTS,
        _("住户核对"),
        (
            _q(PRESENT, _("仍在此居住"), Kind.YESNO, per_member=True),
            _q(
                "residents.phone",
                _("新电话（有变化时填写）"),
                Kind.TEXT,
                per_member=True,
                required=False,
                only_if="residents.present",
            ),
            _q(
                "residents.newcomers",
                _("新住人员（每行一人：姓名 电话）"),
                Kind.TEXT,
                required=False,
            ),
        ),
    ),
    Check(
        "travel",
        _("行程"),
        (
            _q("travel.away", _("行程起始日期以来离开过本市"), Kind.YESNO, per_member=True),
            _q(
                "travel.risk_area",
                _("到过中高风险地区"),
                Kind.YESNO,
                per_member=True,
                only_if="travel.away",
            ),
            _q("travel.places", _("去过的地方"), Kind.TEXT, per_member=True, only_if="travel.away"),
            _q(
                "travel.returned_on",
                _("返回日期"),
                Kind.DATE,
                per_member=True,
                only_if="travel.away",
            ),
        ),
    ),
    Check(
        "vaccination",
        _("疫苗接种"),
        (
            _q(
                "vaccination.doses",
                _("接种情况"),
                Kind.CHOICE,
                per_member=True,
                choices=VACCINE_DOSES,
            ),
        ),
    ),
    Check(
        "test_booking",
        _("核酸预约"),
        (
            _q("test_booking.booked", _("已预约核酸检测"), Kind.YESNO),
            _q("test_booking.on", _("预约日期"), Kind.DATE, only_if="test_booking.booked"),
        ),
    ),
    Check(
        "rental",
        _("出租登记"),
        (
            _q("rental.rented", _("房屋出租"), Kind.YESNO),
            _q("rental.registered", _("已办理出租登记"), Kind.YESNO, only_if="rental.rented"),
            _q("rental.tenants", _("租住人数"), Kind.TEXT, only_if="rental.rented"),
        ),
    ),
    Check(
        "fire",
        _("消防安全"),
        (
            _q("fire.extinguisher", _("家中备有灭火器"), Kind.YESNO),
            _q("fire.ebike_indoors", _("电动车在室内充电"), Kind.YESNO),
            _q("fire.exits_clear", _("楼道通道畅通"), Kind.YESNO),
        ),
    ),
    Check(
        "elderly",
        _("老人需求"),
        (
            _q("elderly.need", _("老人有生活困难或需求"), Kind.YESNO),
            _q(
                "elderly.kind",
                _("需求类别"),
                Kind.CHOICE,
                choices=NEED_KINDS,
                only_if="elderly.need",
            ),
            _q("elderly.detail", _("需求说明"), Kind.TEXT, only_if="elderly.need"),
        ),
    ),
)

CHECKS = {check.code: check for check in LIBRARY}
CHOOSABLE = tuple((check.code, check.label) for check in LIBRARY if check.code != RESIDENTS)


def checks_clean(codes: Iterable[str]) -> list[str]:
    """A campaign's chosen checks: known codes, each once, in the library's order."""
    chosen = set(codes)
    unknown = sorted(chosen - {code for code, _label in CHOOSABLE})
    if unknown:
        raise ValidationError(
            {"checks": f"未知的检查项：{', '.join(unknown)} / unknown checks: {', '.join(unknown)}"}
        )
    if not chosen:
        raise ValidationError({"checks": "请至少选择一项检查 / choose at least one check"})
    return [code for code, _label in CHOOSABLE if code in chosen]


def form_of(codes: Sequence[str]) -> list[Check]:
    """The checks of a campaign's form, in order: the residents' check first."""
    return [CHECKS[RESIDENTS], *(CHECKS[code] for code in codes if code in CHECKS)]


def _value(question: Question, raw: Any, since: date | None) -> Any:
    """One answer, checked; raises ValueError with the bilingual reason."""
    if question.kind == Kind.YESNO:
        if not isinstance(raw, bool):
            raise ValueError("应为是或否 / must be yes or no")
        return raw
    if not isinstance(raw, str):
        raise ValueError("应为文字 / must be text")
    text = raw.strip()
    if question.kind == Kind.CHOICE:
        codes = [code for code, _label in question.choices]
        if text not in codes:
            raise ValueError(
                f"应为其中之一：{', '.join(codes)} / must be one of: {', '.join(codes)}"
            )
        return text
    if question.kind == Kind.DATE:
        try:
            day = date.fromisoformat(text)
        except ValueError as error:
            raise ValueError("日期应为 YYYY-MM-DD / date must be YYYY-MM-DD") from error
        if since is not None and day < since:
            raise ValueError(
                f"日期早于行程起始日期 {since} / the date is before the campaign's date {since}"
            )
        return day.isoformat()
    if len(text) > TEXT_MAX:
        raise ValueError(f"不超过{TEXT_MAX}字 / at most {TEXT_MAX} characters")
    if question.key == "residents.phone" and text:
        try:
            return parse_phone(text)
        except IdentityError as error:
            raise ValueError(str(error)) from error
    return text


def _asked(question: Question, cleaned: Mapping[str, Any], member: str | None) -> bool:
    """Whether the question is asked (of this member): not of a member who no longer lives here,
    and where it depends on a yes/no question, only where that one is yes."""
    present = cleaned.get(PRESENT, {})
    if member is not None and question.key != PRESENT and present.get(member) is False:
        return False
    if not question.only_if:
        return True
    given = cleaned.get(question.only_if)
    if isinstance(given, dict):
        return given.get(member, False) is True if member is not None else any(given.values())
    return given is True


def _clean_question(
    question: Question,
    raw: Any,
    members: Sequence[str],
    cleaned: Mapping[str, Any],
    since: date | None,
) -> Any:
    if not question.per_member:
        if not _asked(question, cleaned, None):
            return None
        if raw is None or raw == "":
            if question.required:
                raise ValueError("必填 / required")
            return None
        return _value(question, raw, since)
    raw = raw if raw is not None else {}
    if not isinstance(raw, dict):
        raise ValueError("应按成员逐一回答 / must be answered per member")
    unknown = sorted(set(raw) - set(members))
    if unknown:
        raise ValueError(f"不是本户成员：{', '.join(unknown)} / not members of this household")
    values = {}
    for member in members:
        if not _asked(question, cleaned, member):
            continue
        given = raw.get(member)
        if given is None or given == "":
            if question.required:
                raise ValueError("每位成员都须回答 / every member must be answered")
            continue
        values[member] = _value(question, given, since)
    return values


def answers_clean(
    checks: Sequence[Check],
    answers: Any,
    members: Sequence[int],
    *,
    since: date | None = None,
) -> dict[str, Any]:
    """The household's answers to the form, checked and normalised; members are the household's
    member ids from the register. Raises ValidationError naming each wrong question."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "答复应为对象 / answers must be an object"})
    keys = {question.key: question for check in checks for question in check.questions}
    unknown = sorted(set(answers) - set(keys))
    errors: dict[str, str] = {}
    if unknown:
        errors["answers"] = f"不在本表中的问题：{', '.join(unknown)} / questions not on this form"
    member_ids = [str(member) for member in members]
    cleaned: dict[str, Any] = {}
    for key, question in keys.items():
        try:
            value = _clean_question(question, answers.get(key), member_ids, cleaned, since)
        except ValueError as error:
            errors[key] = f"{question.label}：{error}"
            continue
        if value is not None and value != {}:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
