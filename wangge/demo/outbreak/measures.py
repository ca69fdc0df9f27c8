"""About 200 persons under measures of several types, and their check-ins up to today.

The contacts of each case are put under the types the rules of that day name for close contacts
(the case's household) and contacts of contacts (its unit, two floors up and down); returnees from
elsewhere are put under the street's own 14-day and 2+14 types, a few each day, most of them in
the first grid. Check-ins are recorded by the measure's grid worker at each slot up to now, with
some missed and two residents with fever today; the missed-slot sweep then runs as it would.
"""

import random
from datetime import timedelta
from typing import Any

from django.db.models import Q

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.measures.models import Case, CheckInSlot, MeasureType, PersonMeasure
from wangge.measures.services import Team, checkin_mark_missed, checkin_record, measure_assign
from wangge.measures.services.common import is_team_member

MEASURED_SHARE = 10  # one person in ten under a measure, at most MEASURED_MAX
MEASURED_MAX = 200
RETURNEE_TYPES = ("14天居家隔离（疫区返回）", "14天居家隔离（非疫区返回）", "2+14：14天居家隔离")
MISSED_SHARE = 0.08
FEVERS = ("38.2", "37.9")
NEAR_FLOORS = 2


def _type_for(applies_to: str, on: Any) -> MeasureType:
    found = (
        MeasureType.objects.in_force(on)
        .filter(applies_to=applies_to)
        .order_by("rule_set__kind", "-rule_set__effective_from", "pk")
        .first()
    )
    if found is None:
        raise LookupError(f"no measure type in force for {applies_to}")
    return found


def _free(persons: Any, limit: int | None = None) -> list[Any]:
    busy = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE).values("person")
    return list(persons.exclude(pk__in=busy)[:limit])


def _assign(cast: Cast, day: int, persons: list[Any], measure_type: MeasureType, why: str) -> None:
    """One assignment per grid, with the team the grid's staff make (the demo's doctor and
    police serve the first community, which has the only grid worker)."""
    if not persons or measure_type is None:
        return
    by_grid: dict[int, list[Any]] = {}
    for person in persons:
        by_grid.setdefault(person.household.grid_id, []).append(person)
    with moment(cast.calendar.at(day, 10)):
        for grid_id, members in by_grid.items():
            measure_assign(
                by=cast.commander,
                persons=members,
                measure_type=measure_type,
                start=cast.calendar.day(day),
                reason=why,
                team=cast.team if grid_id == cast.grid.pk else Team(),
            )


def neighbours(cast: Cast, persons: list[Any]) -> Any:
    """Residents of the same unit (单元) within two floors of any of `persons`, their households
    included: the contacts of contacts of a case in a block."""
    near = Q(pk__in=[])
    for person in persons:
        home = person.household
        near |= Q(
            household__building=home.building_id,
            household__unit=home.unit,
            household__floor__range=(
                (home.floor or 0) - NEAR_FLOORS,
                (home.floor or 0) + NEAR_FLOORS,
            ),
        )
    return cast.residents().filter(near)


def contacts_assign(cast: Cast, day: int, case: Case) -> None:
    """The case's household as close contacts, the rest of the building as their contacts."""
    home = case.person.household
    _assign(
        cast,
        day,
        _free(cast.residents(household=home)),
        _type_for(MeasureType.AppliesTo.CLOSE_CONTACT, case.reported_on),
        f"{case.person.name}的同户密接 / household contact of a case",
    )
    _assign(
        cast,
        day,
        _free(neighbours(cast, [case.person]).exclude(household=home)),
        _type_for(MeasureType.AppliesTo.CONTACT_OF_CONTACT, case.reported_on),
        "病例同楼栋居民 / resident of a case's building",
    )


def returnees_choose(
    cast: Cast, rng: random.Random, total_persons: int, patients: list[Any]
) -> list[Any]:
    """Returnees, most in the first grid, so that about one person in ten (at most 200) is
    under a measure on day 6."""
    wanted = min(MEASURED_MAX, total_persons // MEASURED_SHARE)
    missing = wanted - neighbours(cast, patients).count()
    if missing <= 0:
        return []
    near = _free(
        cast.residents(household__grid=cast.grid).exclude(household__building=cast.building)
    )
    far = _free(cast.residents().exclude(household__grid=cast.grid), missing * 4)
    chosen = rng.sample(near, min(len(near) // 2, missing * 2 // 3))
    chosen += rng.sample(far, min(len(far), missing - len(chosen)))
    return sorted(chosen, key=lambda p: p.pk)


def returnees_assign(cast: Cast, day: int, returnees: list[Any]) -> None:
    """Day `day`'s share of the returnees, each under one of the street's own types."""
    types = list(MeasureType.objects.filter(name__in=RETURNEE_TYPES).order_by("pk"))
    for index, person in enumerate(returnees):
        if index % DAYS == day - 1:
            _assign(
                cast, day, [person], types[index % len(types)], "外地返回 / back from elsewhere"
            )


def checkins_record(cast: Cast, rng: random.Random, day: int) -> None:
    """Every slot of day `day` due up to now checked in by the team, except some; on day 6 the
    latest two check-ins of the first grid's residents (once 08:00 has passed) have a fever.
    The missed-slot sweep runs at the end of the day (or now)."""
    now = cast.calendar.now
    end = min(cast.calendar.at(day, 23, 59), now)
    slots = list(
        CheckInSlot.objects.filter(
            status=CheckInSlot.Status.OPEN,
            due_at__lte=end,
            due_at__date=cast.calendar.day(day),
        )
        .select_related("measure__person")
        .order_by("due_at", "pk")
    )
    kept = [slot for slot in slots if rng.random() >= MISSED_SHARE]
    ours = [slot.pk for slot in kept if is_team_member(cast.grid_worker, slot.measure)]
    fever = dict(zip(reversed(ours), FEVERS, strict=False)) if day == DAYS else {}
    for slot in kept:
        by = cast.grid_worker if is_team_member(cast.grid_worker, slot.measure) else cast.commander
        at = min(slot.due_at + timedelta(minutes=rng.randint(0, 40)), now)
        with moment(at):
            checkin_record(
                by=by,
                measure=slot.measure,
                temperature=fever.get(slot.pk, "36.6"),
                client_id=f"demo-{slot.pk}",
                at=at,
            )
    checkin_mark_missed(now=end)
