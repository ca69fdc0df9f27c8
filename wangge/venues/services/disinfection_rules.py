"""消杀要求: a street's requirements as rules, the state of today's requirement per building, and
the alert that goes out once a day at the rule's hour.

The one requirement today (seed 001): the elevator of every building with a household under home
isolation — a person under a measure in force that day whose type's category is `home_isolation`
(`PersonMeasure.objects.active(day)`) — needs `times_per_day` logs of that place that Beijing day.
At `alert_hour` the sweep finds the buildings that miss it, records a `DisinfectionMiss` per rule,
building and day, and tells the grid workers of those buildings through the notify app: one message
per grid to its grid workers (`role:grid_worker@grid:<path>`), listing the grid's buildings. A miss
already recorded is never alerted again, so a second run the same day tells nobody.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import RoleAssignment
from wangge.core.origin import Origin
from wangge.core.roles import Role
from wangge.core.services import audit_record
from wangge.measures.models import MeasureType, PersonMeasure
from wangge.notify.audience import AudienceError, audience_parse
from wangge.notify.models import MessageKind
from wangge.notify.services import NotifyError, message_create, message_send
from wangge.regions.models import Building, Grid, Street
from wangge.venues.models import DisinfectionMiss, DisinfectionRule, PlaceKind, Requirement

ALERT_TITLE = "消杀未达标提醒"
logger = logging.getLogger("wangge.venues")


@dataclass(frozen=True)
class BuildingStatus:
    """One building's state of one requirement on one day."""

    building: Building
    logged: int
    needed: int
    alerted: bool = False

    @property
    def met(self) -> bool:
        return self.logged >= self.needed


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Beijing day as [start, end) in aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time()))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


def isolation_buildings(day: date, buildings: QuerySet[Building]) -> QuerySet[Building]:
    """The buildings among `buildings` with a household under home isolation on `day`."""
    isolated = PersonMeasure.objects.active(day).filter(
        measure_type__category=MeasureType.Category.HOME_ISOLATION,
        person__household__isnull=False,
    )
    return buildings.filter(pk__in=isolated.values("person__household__building"))


REQUIRED_BUILDINGS = {Requirement.ISOLATION_ELEVATOR: isolation_buildings}


def requirement_status(
    rule: DisinfectionRule, day: date, buildings: QuerySet[Building] | None = None
) -> list[BuildingStatus]:
    """The buildings of the rule's street (among `buildings`, all by default) the rule applies to
    on `day`, with how many logs of its place each has that day, in the buildings' order."""
    rows = buildings if buildings is not None else Building.objects.all()
    rows = REQUIRED_BUILDINGS[Requirement(rule.requirement)](
        day, rows.filter(grid__community__street=rule.street_id)
    )
    start, end = day_bounds(day)
    logged = Count(
        "disinfection_logs",
        filter=Q(
            disinfection_logs__place=rule.place,
            disinfection_logs__done_at__gte=start,
            disinfection_logs__done_at__lt=end,
        ),
    )
    alerted = set(
        DisinfectionMiss.objects.filter(rule=rule, day=day).values_list("building", flat=True)
    )
    return [
        BuildingStatus(building, building.logged, rule.times_per_day, building.pk in alerted)
        for building in rows.annotate(logged=logged).select_related("compound", "grid")
    ]


def rules_for(streets: Iterable[int]) -> QuerySet[DisinfectionRule]:
    return DisinfectionRule.objects.filter(street__in=list(streets), active=True).select_related(
        "street"
    )


@transaction.atomic
def disinfection_rule_default(*, street: Street, by: Any = None) -> DisinfectionRule:
    """The street's rule for the elevators of buildings with home isolation (seed 001: twice a
    day), made with the defaults when the street has none."""
    rule, created = DisinfectionRule.objects.get_or_create(
        street=street, requirement=Requirement.ISOLATION_ELEVATOR, place=PlaceKind.ELEVATOR
    )
    if created:
        audit_record(actor=by, action="create", target=rule)
    return rule


def _grid_path(grid: Grid) -> str:
    return f"{grid.community.name}/{grid.name}"


def _addressed_grids(grids: Iterable[Grid]) -> dict[int, Grid]:
    """Grid id → the grid whose grid workers answer for it: its own when it has any, else its
    big grid's (as `accounts.selectors.grid_workers_of` reads them); grids with neither are left
    out (nobody to tell)."""
    grids = list(grids)
    wanted = {g.pk for g in grids} | {g.parent_id for g in grids if g.parent_id}
    manned = set(
        RoleAssignment.objects.filter(
            role=Role.GRID_WORKER, grid__in=wanted, user__is_active=True
        ).values_list("grid", flat=True)
    )
    parents = Grid.objects.select_related("community").in_bulk(
        {g.parent_id for g in grids if g.parent_id}
    )
    answer = {}
    for grid in grids:
        if grid.pk in manned:
            answer[grid.pk] = grid
        elif grid.parent_id in manned:
            answer[grid.pk] = parents[grid.parent_id]
    return answer


def _alert_text(rule: DisinfectionRule, day: date, statuses: list[BuildingStatus]) -> str:
    listed = "、".join(f"{s.building}（{s.logged}/{s.needed}次）" for s in statuses)
    return (
        f"{day.month}月{day.day}日，以下有居家隔离户的楼栋{rule.get_place_display()}消杀"
        f"未达每日{rule.times_per_day}次：{listed}。请尽快安排消杀并登记。"
    )


@transaction.atomic
def rule_alert(rule_id: int, *, now: datetime) -> tuple[int, int]:
    """Record today's misses of one rule and tell the grid workers; (misses, messages). The rule
    row is locked, so two sweeps at once record and tell once."""
    rule = DisinfectionRule.objects.select_for_update().select_related("street").get(pk=rule_id)
    day = timezone.localdate(now)
    missing = [s for s in requirement_status(rule, day) if not s.met and not s.alerted]
    if not missing:
        return 0, 0
    DisinfectionMiss.objects.bulk_create(
        [
            DisinfectionMiss(
                rule=rule, building=s.building, day=day, logged=s.logged, alerted_at=now
            )
            for s in missing
        ]
    )
    addressed = _addressed_grids({s.building.grid_id: s.building.grid for s in missing}.values())
    by_grid: dict[int, list[BuildingStatus]] = defaultdict(list)
    for status in missing:
        grid = addressed.get(status.building.grid_id)
        if grid is not None:
            by_grid[grid.pk].append(status)
    grids = Grid.objects.select_related("community").in_bulk(list(by_grid))
    for grid_id, statuses in sorted(by_grid.items()):
        audience = audience_parse(
            "role",
            f"{Role.GRID_WORKER}@grid:{_grid_path(grids[grid_id])}",
            by=None,
            street=rule.street.name,
        )
        message = message_create(
            by=None,
            origin=Origin.SYSTEM,
            audience=audience,
            channels=["inapp"],
            kind=MessageKind.REMINDER,
            title=ALERT_TITLE,
            text=_alert_text(rule, day, statuses),
        )
        message_send(message, by=None, origin=Origin.SYSTEM, now=now)
    return len(missing), len(by_grid)


def disinfection_alerts_send(*, now: datetime | None = None) -> dict[str, int]:
    """Every active rule whose alert hour has come today (Beijing time): its misses recorded and
    alerted once. Runs every few minutes; a worker that was down catches up at its next run."""
    now = now or timezone.now()
    hour = timezone.localtime(now).hour
    misses = messages = 0
    for rule_id in DisinfectionRule.objects.filter(active=True, alert_hour__lte=hour).values_list(
        "pk", flat=True
    ):
        try:
            found, sent = rule_alert(rule_id, now=now)
        except (AudienceError, NotifyError):
            # one street's unaddressable grid must not keep the other streets' alerts back; the
            # rule's misses were rolled back with it, so the next run tries again
            logger.exception("disinfection alert of rule %s failed", rule_id)
            continue
        misses += found
        messages += sent
    return {"misses": misses, "messages": messages}
