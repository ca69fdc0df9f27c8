"""Admins add local rule sets and configure measure types; presets are edited the same way."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.measures.models import MeasureType, PersonMeasure, RuleSet
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh


def may_configure(user: User) -> bool:
    """Rule sets and measure types are configuration: admins (and superusers) only."""
    return holds(user, Action.MANAGE_STAFF, None)


def _require(by: User) -> None:
    if not may_configure(by):
        raise PermissionDenied(
            "仅系统管理员可配置防控方案 / only administrators configure rule sets"
        )


@transaction.atomic
def rule_set_create(
    *,
    by: User,
    name: str,
    effective_from: date | None = None,
    effective_until: date | None = None,
    source: str = "",
) -> RuleSet:
    """A local rule set, in force from one date (or always) until another (or for good)."""
    _require(by)
    rule_set = RuleSet(
        name=name.strip(),
        kind=RuleSet.Kind.LOCAL,
        effective_from=effective_from,
        effective_until=effective_until,
        source=source.strip(),
    )
    rule_set.full_clean()
    rule_set.save()
    audit_record(
        actor=by,
        action="create",
        target=rule_set,
        changes={
            "effective_from": str(effective_from or ""),
            "effective_until": str(effective_until or ""),
        },
    )
    return rule_set


@dataclass(frozen=True)
class MeasureTypeData:
    name: str
    category: str
    household_colour: str
    duration_days: int
    test_days: list[int]
    checkin_times: list[str]
    applies_to: str = ""
    follow_on: MeasureType | None = None
    release_needs_negative: bool = True
    note: str = ""


FIELDS = tuple(MeasureTypeData.__dataclass_fields__)


def _snapshot(measure_type: MeasureType) -> dict[str, Any]:
    data = {name: getattr(measure_type, name) for name in FIELDS if name != "follow_on"}
    data["follow_on"] = measure_type.follow_on_id
    return data


@transaction.atomic
def measure_type_save(
    *, by: User, rule_set: RuleSet, data: MeasureTypeData, measure_type: MeasureType | None = None
) -> MeasureType:
    """Create a type in a rule set, or change one. Running measures keep what they started with."""
    _require(by)
    if data.follow_on is not None and data.follow_on.rule_set_id != rule_set.pk:
        raise ValidationError(
            {"follow_on": "接续措施须属于同一方案 / the follow-on must be in the same rule set"}
        )
    creating = measure_type is None
    measure_type = measure_type or MeasureType(rule_set=rule_set)
    before = {} if creating else _snapshot(measure_type)
    for name in FIELDS:
        setattr(measure_type, name, getattr(data, name))
    measure_type.full_clean()
    measure_type.save()
    household_colours_refresh(
        household_ids=PersonMeasure.objects.filter(
            measure_type=measure_type, status=PersonMeasure.Status.ACTIVE
        ).values("person__household"),
        reason=ColourReason.MEASURE,
        by=by,
    )
    after = _snapshot(measure_type)
    audit_record(
        actor=by,
        action="create" if creating else "update",
        target=measure_type,
        changes=after
        if creating
        else {k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return measure_type
