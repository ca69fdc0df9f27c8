"""Shared by the disinfection tests: a venue in a world grid, a frozen Beijing clock, and home
isolation for world personas."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import World, drill_home_isolation
from wangge.measures.models import MeasureType
from wangge.measures.services.assign import measure_assign
from wangge.regions.models import Grid
from wangge.venues.models import Venue, VenueKind
from wangge.venues.services.register import VenueData, venue_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 7)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def venue_in(world: World, grid: Grid, name: str = "老王面馆") -> Venue:
    data = VenueData(name=name, kind=VenueKind.objects.get(name="餐饮店"), grid=grid)
    return venue_create(by=world.users["alice"], data=data)


def isolate(world: World, *names: str, category: str = MeasureType.Category.HOME_ISOLATION) -> None:
    """Put these personas under a 7-day measure of `category` that started two days before DAY."""
    measure_type = drill_home_isolation(
        name=f"演练{category}", category=category, rule_set=_rule_set()
    )
    measure_assign(
        by=world.users["alice"],
        persons=[world.persons[name] for name in names],
        measure_type=measure_type,
        start=DAY - timedelta(days=2),
        reason="演练",
    )


def _rule_set():
    from wangge.measures.models import RuleSet

    return RuleSet.objects.get_or_create(name="演练方案", defaults={"kind": RuleSet.Kind.LOCAL})[0]
