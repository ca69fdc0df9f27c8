"""规则设置: a street's card rules (dated: a new row takes effect from its day, the rows before it
stay as the history that past cards were judged by) and its disinfection requirements, kept by
staff who edit the street's register, or an administrator."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import scope_for
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.models import Street
from wangge.venues.models import CardRules, DisinfectionRule, PlaceKind, Requirement


def streets_ruled_by(user: Any) -> list[Street]:
    """The streets whose rules `user` may set."""
    scope = scope_for(user, Action.EDIT)
    streets = Street.objects.order_by("name")
    if scope.everything:
        return list(streets)
    return list(streets.filter(pk__in=scope.street_ids))


def _require(by: Any, street: Street) -> None:
    if street not in streets_ruled_by(by):
        raise PermissionDenied("无权设置该街道的规则 / you may not set this street's rules")


def _within(value: int, low: int, high: int, field: str, label: str) -> int:
    if not low <= value <= high:
        raise ValidationError({field: f"{label}须在{low}–{high}之间 / must be {low} to {high}"})
    return value


@transaction.atomic
def card_rules_set(
    *,
    by: Any,
    street: Street,
    valid_from: date,
    yellow_days: int,
    repeat_days: int,
    origin: Origin = Origin.SYSTEM,
) -> CardRules:
    """The street's card rules from `valid_from` (today or later) on. A day already set in the
    future is changed; a day already in force is history and is not."""
    _require(by, street)
    if valid_from < timezone.localdate():
        raise ValidationError(
            {"valid_from": "生效日期不能早于今天 / the rules take effect today or later"}
        )
    values = {
        "yellow_days": _within(yellow_days, 1, 30, "yellow_days", "整改期限"),
        "repeat_days": _within(repeat_days, 1, 365, "repeat_days", "红牌期间"),
    }
    rules, created = CardRules.objects.update_or_create(
        street=street, valid_from=valid_from, defaults={**values, "created_by": by}
    )
    audit_record(
        actor=by,
        action="venue.card_rules",
        target=rules,
        changes={"valid_from": str(valid_from), **values, "created": created},
        origin=origin,
    )
    return rules


@transaction.atomic
def disinfection_rule_save(
    *,
    by: Any,
    street: Street,
    requirement: str,
    place: str,
    times_per_day: int,
    alert_hour: int,
    active: bool,
    origin: Origin = Origin.SYSTEM,
) -> DisinfectionRule:
    """The street's requirement for `place` under `requirement`, created or changed."""
    _require(by, street)
    if requirement not in Requirement.values:
        raise ValidationError({"requirement": "未知的适用范围 / unknown requirement"})
    if place not in PlaceKind.values:
        raise ValidationError({"place": "未知的消杀部位 / unknown place"})
    values = {
        "times_per_day": _within(times_per_day, 1, 12, "times_per_day", "每日次数"),
        "alert_hour": _within(alert_hour, 0, 23, "alert_hour", "提醒时间"),
        "active": active,
    }
    rule, created = DisinfectionRule.objects.update_or_create(
        street=street, requirement=requirement, place=place, defaults=values
    )
    audit_record(
        actor=by,
        action="venue.disinfect_rule",
        target=rule,
        changes={**values, "created": created},
        origin=origin,
    )
    return rule
