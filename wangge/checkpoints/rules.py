"""The one rules function of a checkpoint scan: what was found about the person → 通行 / 核查 / 劝返,
with the reasons.

`decide()` reads no database and no clock: the services gather the facts (services/facts.py) and
store what it returns. Which verdict each reason leads to is configuration
(settings.WANGGE["CHECKPOINT_RULES"], merged over DEFAULT_RULES); "off" switches a rule off.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    IN = "in", _("进")
    OUT = "out", _("出")


class Verdict(models.TextChoices):
    PASS = "pass", _("通行")
    CHECK = "check", _("核查")
    DENY = "deny", _("劝返")


class Reason(models.TextChoices):
    RED_CODE = "red_code", _("红码")
    YELLOW_CODE = "yellow_code", _("黄码")
    FEVER = "fever", _("体温异常")
    STAY_HOME_OUT = "stay_home_out", _("居家隔离或健康监测期间外出")
    LOCKDOWN_OUT = "lockdown_out", _("封控区人员外出")
    HOST_LOCKDOWN = "host_lockdown", _("被访户在封控区")
    PASS_MISSING = "pass_missing", _("无有效出入证")
    PASS_USED_UP = "pass_used_up", _("本期外出次数已用完")
    UNREGISTERED = "unregistered", _("未登记人员，请登记访客")
    AMBIGUOUS = "ambiguous", _("尾号对应多人，请选择")
    INVALID_CODE = "invalid_code", _("码无效")
    REVOKED_CODE = "revoked_code", _("码已作废")


class Subject(models.TextChoices):
    """Who stands at the gate, as far as the scan could tell."""

    PERSON = "person", _("登记人员")
    HOUSEHOLD = "household", _("出入证持证户")
    VISITOR = "visitor", _("访客")
    UNREGISTERED = "unregistered", _("未登记")
    AMBIGUOUS = "ambiguous", _("多人匹配")
    INVALID_CODE = "invalid_code", _("无效码")
    REVOKED_CODE = "revoked_code", _("已作废的码")


OFF = "off"
DEFAULT_RULES: dict[str, str] = {
    Reason.RED_CODE: Verdict.DENY,
    Reason.YELLOW_CODE: Verdict.CHECK,
    Reason.FEVER: Verdict.DENY,
    Reason.STAY_HOME_OUT: Verdict.DENY,
    Reason.LOCKDOWN_OUT: Verdict.DENY,
    Reason.HOST_LOCKDOWN: Verdict.DENY,
    Reason.PASS_MISSING: Verdict.DENY,
    Reason.PASS_USED_UP: Verdict.DENY,
    Reason.UNREGISTERED: Verdict.CHECK,
    Reason.AMBIGUOUS: Verdict.CHECK,
    Reason.INVALID_CODE: Verdict.CHECK,
    Reason.REVOKED_CODE: Verdict.CHECK,
}
SEVERITY: dict[str, int] = {Verdict.PASS: 0, Verdict.CHECK: 1, Verdict.DENY: 2}
_SUBJECT_REASONS: dict[str, str] = {
    Subject.UNREGISTERED: Reason.UNREGISTERED,
    Subject.AMBIGUOUS: Reason.AMBIGUOUS,
    Subject.INVALID_CODE: Reason.INVALID_CODE,
    Subject.REVOKED_CODE: Reason.REVOKED_CODE,
}
# Colours as the measures capability stores them (measures.models.CodeColour).
RED, YELLOW = "red", "yellow"


@dataclass(frozen=True)
class PassCheck:
    """The household's 出入证 at the moment of an exit that needs one."""

    has_pass: bool
    exits_left: int = 0
    next_exit_on: date | None = None


@dataclass(frozen=True)
class Facts:
    direction: str
    subject: str
    temperature: Decimal | None = None
    code_colour: str = ""
    stays_home: bool = False
    in_lockdown: bool = False
    host_in_lockdown: bool = False
    pass_check: PassCheck | None = None  # None: this exit needs no pass


@dataclass(frozen=True)
class Decision:
    verdict: str
    reasons: tuple[str, ...] = ()
    next_exit_on: date | None = None


def decide(facts: Facts, *, fever_threshold: Decimal, rules: Mapping[str, str]) -> Decision:
    """通行 unless a reason says otherwise; the most severe reason decides (劝返 over 核查)."""
    found: list[str] = []
    if facts.subject in _SUBJECT_REASONS:
        found.append(_SUBJECT_REASONS[facts.subject])
    if facts.code_colour == RED:
        found.append(Reason.RED_CODE)
    elif facts.code_colour == YELLOW:
        found.append(Reason.YELLOW_CODE)
    if facts.temperature is not None and facts.temperature >= fever_threshold:
        found.append(Reason.FEVER)
    going_out = facts.direction == Direction.OUT
    if going_out and facts.stays_home:
        found.append(Reason.STAY_HOME_OUT)
    if going_out and facts.in_lockdown:
        found.append(Reason.LOCKDOWN_OUT)
    if not going_out and facts.host_in_lockdown:
        found.append(Reason.HOST_LOCKDOWN)
    check = facts.pass_check
    if check is not None and check.exits_left <= 0:
        found.append(Reason.PASS_USED_UP if check.has_pass else Reason.PASS_MISSING)
    applied = tuple(reason for reason in found if rules.get(reason, Verdict.CHECK) != OFF)
    verdict = max(
        (rules.get(reason, Verdict.CHECK) for reason in applied),
        key=SEVERITY.__getitem__,
        default=Verdict.PASS,
    )
    next_exit_on = check.next_exit_on if Reason.PASS_USED_UP in applied and check else None
    return Decision(verdict=verdict, reasons=applied, next_exit_on=next_exit_on)
