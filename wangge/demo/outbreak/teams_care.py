"""包保 and one-to-one care on day 6. The commander writes, through the 包保 service:

- 五包一 for every household under a measure in the street: the street cadre (the commander), the
  community's secretary (the community worker), and the grid worker, doctor and police officer where
  the measure's 三包 left one out; about one household in six misses its secretary, so the screen
  has gaps to show.
- 四级包保 on every grid: the commander at street level; at community and grid level the staff in
  the demo community and grid, elsewhere a party member of that community or grid; the building
  leaders of the register on their own buildings where a household is under a measure or in the
  demo grid.

The staff put the street's alone elderly, disabled, pregnant and (from the seriously ill) dialysis
residents under one-to-one care a week ago (the demo grid's and community's first, 36 in all) — the
demo grid worker caring for those of the demo grid, building leaders and party members of their
own community for the others — with a week of calls
at each plan's interval, some unanswered, one needing help, and a few plans left without a
reached call for longer than their interval, so that the overdue sweep alerts today."""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import PersonMeasure
from wangge.people.models import Assignment, Duty, Person
from wangge.regions.models import Building, Grid, Household
from wangge.teams.models import CallOutcome, CareReason
from wangge.teams.services.baobao import baobao_assign
from wangge.teams.services.care import call_log, care_alerts_send, care_plan_create

PLANS = 36
CARE_DAYS = 7
OVERDUE = 4  # the first plans (the demo grid's) stop being called early: overdue today
REASONS = {
    "living_alone": CareReason.LIVING_ALONE,
    "disabled": CareReason.DISABLED,
    "pregnant": CareReason.PREGNANT,
    "serious_illness": CareReason.DIALYSIS,
}
INTERVALS: dict[str, int] = {CareReason.DIALYSIS: 12, CareReason.PREGNANT: 12}
NOTES = ["身体状况良好", "已提醒按时服药", "情绪稳定", "家中物资充足", "血压平稳"]


def teams_care_seed(cast: Cast, rng: random.Random) -> None:
    with moment(cast.calendar.now):
        _five_for_one(cast, rng)
        _four_levels(cast)
    _care(cast, rng)


def _held(household_ids: list[int]) -> set[tuple[int, str]]:
    """(household, duty) already held, by a row on the household or on one of its persons."""
    rows = Assignment.objects.active().filter(
        Q(household__in=household_ids) | Q(person__household__in=household_ids)
    )
    return {
        (household or person_household, duty)
        for household, person_household, duty in rows.values_list(
            "household", "person__household", "duty"
        )
    }


def _five_for_one(cast: Cast, rng: random.Random) -> None:
    ids = sorted(
        set(
            PersonMeasure.objects.active()
            .filter(person__household__grid__community__street=cast.street)
            .values_list("person__household", flat=True)
        )
    )
    held = _held(ids)
    holders = {
        Duty.STREET_CADRE: cast.commander,
        Duty.COMMUNITY_SECRETARY: cast.community_worker,
        Duty.GRID_WORKER: cast.grid_worker,
        Duty.DOCTOR: cast.team.doctor,
        Duty.POLICE: cast.team.police,
    }
    for household in Household.objects.filter(pk__in=ids).order_by("pk"):
        for duty, holder in holders.items():
            if (household.pk, duty) in held:
                continue
            if duty == Duty.COMMUNITY_SECRETARY and rng.random() < 1 / 6:
                continue
            baobao_assign(by=cast.commander, target=household, holder=holder, duty=duty)


def _party_member(where: Q) -> Person | None:
    return (
        Person.objects.filter(where, tags__code="party_member", status=Person.Status.PRESENT)
        .order_by("pk")
        .first()
    )


def _four_levels(cast: Cast) -> None:
    by = cast.commander
    for grid in Grid.objects.filter(community__street=cast.street).order_by("pk"):
        baobao_assign(by=by, target=grid, holder=by, duty=Duty.STREET_LEVEL)
        levels: list[tuple[str, Any]] = [
            (
                Duty.COMMUNITY_LEVEL,
                cast.community_worker
                if grid.community_id == cast.community.pk
                else _party_member(Q(household__grid__community=grid.community_id)),
            ),
            (
                Duty.GRID_LEVEL,
                cast.grid_worker
                if grid.pk == cast.grid.pk
                else _party_member(Q(household__grid=grid)),
            ),
        ]
        for duty, holder in levels:
            if holder is not None:
                baobao_assign(by=by, target=grid, holder=holder, duty=duty)
    measured = PersonMeasure.objects.active().values("person__household__building")
    buildings = Building.objects.filter(
        Q(pk__in=measured) | Q(grid=cast.grid), grid__community__street=cast.street
    )
    leaders = (
        Person.objects.filter(
            tags__code="building_leader",
            status=Person.Status.PRESENT,
            household__building__in=buildings,
        )
        .order_by("household__building", "pk")
        .values_list("household__building", "pk")
    )
    first: dict[int, int] = {}
    for building_id, person_id in leaders:
        first.setdefault(building_id, person_id)
    persons = Person.objects.in_bulk(list(first.values()))
    for building in Building.objects.filter(pk__in=list(first)).order_by("pk"):
        baobao_assign(
            by=by, target=building, holder=persons[first[building.pk]], duty=Duty.BUILDING_LEADER
        )


@dataclass(frozen=True)
class Cared:
    person: Person
    grid_id: int
    community_id: int
    reason: str


def _cared(cast: Cast) -> list[Cared]:
    """The street's residents to care for, the demo grid's and community's first, with their
    reason."""
    residents = cast.residents(tags__code__in=list(REASONS))
    places = {
        pk: (grid_id, community_id)
        for pk, grid_id, community_id in residents.values_list(
            "pk", "household__grid", "household__grid__community"
        )
    }
    chosen: dict[int, Cared] = {}
    for person in residents.prefetch_related("tags"):
        codes = {tag.code for tag in person.tags.all()}
        reason = next(REASONS[code] for code in REASONS if code in codes)
        chosen.setdefault(person.pk, Cared(person, *places[person.pk], reason))
    nearest = sorted(
        chosen.values(),
        key=lambda c: (c.grid_id != cast.grid.pk, c.community_id != cast.community.pk, c.person.pk),
    )
    return nearest[:PLANS]


def _carers(cast: Cast) -> dict[int, list[Person]]:
    """Community id → a few of its building leaders and party members (a carer must be someone
    the plan's writer may see)."""
    carers: dict[int, list[Person]] = {}
    for person in (
        Person.objects.filter(
            household__grid__community__street=cast.street,
            status=Person.Status.PRESENT,
            tags__code__in=["building_leader", "party_member"],
        )
        .select_related("household__grid")
        .distinct()
        .order_by("pk")
    ):
        if person.household is not None:
            carers.setdefault(person.household.grid.community_id, []).append(person)
    return {community: persons[:4] for community, persons in carers.items()}


def _caller(cast: Cast, cared: Cared) -> Any:
    """Who writes for the person: the demo grid's worker, the demo community's, else the
    commander."""
    if cared.grid_id == cast.grid.pk:
        return cast.grid_worker
    if cared.community_id == cast.community.pk:
        return cast.community_worker
    return cast.commander


def _care(cast: Cast, rng: random.Random) -> None:
    start = cast.calendar.today - timedelta(days=CARE_DAYS)
    begin = timezone.make_aware(datetime.combine(start, time(9)))
    volunteers = _carers(cast)
    plans = []
    with moment(begin):
        for index, cared in enumerate(_cared(cast)):
            nearby = volunteers.get(cared.community_id, [])
            carer = (
                cast.grid_worker
                if cared.grid_id == cast.grid.pk or not nearby
                else nearby[index % len(nearby)]
            )
            plan = care_plan_create(
                by=_caller(cast, cared),
                person=cared.person,
                reason=cared.reason,
                interval_hours=INTERVALS.get(cared.reason, 24),
                carer=carer,
                started=start,
            )
            plans.append((plan, cared))
    helped = False
    for index, (plan, cared) in enumerate(plans):
        by = _caller(cast, cared)
        stop = cast.calendar.now - (plan.interval * 2 if index < OVERDUE else timedelta())
        at = begin + timedelta(minutes=rng.randint(0, 90))
        while at < stop:
            outcome = CallOutcome.NO_ANSWER if rng.random() < 0.1 else CallOutcome.OK
            follow_up = ""
            if not helped and outcome == CallOutcome.OK and at > begin + timedelta(days=4):
                outcome, follow_up, helped = CallOutcome.HELP, "降压药快吃完了，请帮忙代购", True
            with moment(at):
                call_log(
                    by=by,
                    plan=plan,
                    outcome=outcome,
                    note=rng.choice(NOTES) if outcome == CallOutcome.OK else "",
                    follow_up=follow_up,
                )
            at += plan.interval - timedelta(minutes=rng.randint(0, 60))
    with moment(cast.calendar.now):
        care_alerts_send(now=cast.calendar.now)
