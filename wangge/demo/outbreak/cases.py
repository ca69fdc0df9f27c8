"""Three confirmed cases and the three zones around them, through the services, each on its day.

Day 1: a resident of the outbreak building is reported confirmed; the street command seals the
building (封控区), controls its compound (管控区) and guards the rest of the community (防范区).
Day 3 and day 5: two more cases among the building's neighbours. Each case turns its household
red under the case measure the rule sets of that day name.
"""

from datetime import timedelta
from typing import Any

from wangge.colours.zones import zone_declare
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import Case
from wangge.measures.services import case_report
from wangge.regions.choices import ZoneKind
from wangge.regions.models import Compound

CASE_DAYS = (1, 3, 5)


def case_persons(cast: Cast) -> list[Any]:
    """One adult of each of three households of the outbreak building."""
    chosen, homes = [], set()
    for person in cast.residents(household__building=cast.building, birth_date__isnull=False):
        if person.household_id not in homes:
            chosen.append(person)
            homes.add(person.household_id)
        if len(chosen) == len(CASE_DAYS):
            break
    return chosen


def case_report_on(cast: Cast, day: int, person: Any) -> Case:
    with moment(cast.calendar.at(day, 9, 30)):
        return case_report(
            person=person,
            kind=Case.Kind.CONFIRMED,
            reported_on=cast.calendar.day(day),
            by=cast.commander,
            note="单管复核阳性 / single-tube retest positive",
        )


def zones_declare(cast: Cast) -> None:
    calendar = cast.calendar
    building, compound = cast.building, cast.building.compound
    around = Compound.objects.exclude(pk=compound.pk).order_by("pk")
    others = list(around.filter(community=cast.community)) or list(
        around.filter(community__street=cast.street)[:3]
    )
    starts = calendar.at(1, 11)
    planned_end = starts + timedelta(days=14)
    with moment(starts):
        for kind, name, areas in (
            (ZoneKind.LOCKDOWN, f"{compound.name}{building.name}封控区", {"buildings": [building]}),
            (ZoneKind.CONTROL, f"{compound.name}管控区", {"compounds": [compound]}),
            (ZoneKind.PREVENTION, f"{cast.community.name}防范区", {"compounds": others}),
        ):
            zone_declare(
                by=cast.commander,
                street=cast.street,
                kind=kind,
                name=name,
                reason="确诊病例所在楼栋及周边 / around the building of a confirmed case",
                starts_at=starts,
                planned_end=planned_end,
                **areas,
            )
