"""The traces of the outbreak's three cases, so the tracing pages have work on them.

Before the building was sealed on day 1, each case moved about: venue visits in the days before
(a market, a supermarket, a restaurant, as the venue codes recorded them) and a scan at the
compound gate on the morning of day 1. Around each movement other residents were there — some
within the 30-minute window (found), one a little outside it (not found), and one at exactly 30
minutes (found: the window's edge). One of the first case's market neighbours later went to a
pharmacy with two more residents: contacts of a contact, the second hop.

The tracing task force runs each case's trace on its report day. The first case's candidates are
decided that day: the co-residents confirmed (they keep the household's close-contact measure),
the co-located ones confirmed by the command (each goes under the close-contact measure, the second
hop's under the contact-of-contact one), one dismissed by the task force with
its reason, and the confirmed sent to the grid workers as a 协查名单. The second case's are half
decided; the third case's, reported yesterday, wait for today's work. Movements before the
checkpoints' shifts existed are written as rows, like the venue visits of venue_traffic; the
trace, the decisions and the list go through the services with the clock set to their moment.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from wangge.checkpoints.models import Checkpoint, Scan
from wangge.checkpoints.rules import Direction, Verdict
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import Case, CheckInSlot, PersonMeasure
from wangge.measures.services.checkins import checkin_mark_missed, checkin_record
from wangge.tracing.models import Candidate, CandidateStatus, Path
from wangge.tracing.services.decisions import (
    AT_LEAST,
    candidate_confirm,
    candidate_dismiss,
    verification_list_for,
)
from wangge.tracing.services.trace import trace_run
from wangge.venues.models import Venue, VenueStatus, Visit

DISMISS_REASON = (
    "电话核实：当日在单位值班，场所码为家人代扫 / on duty at work that day; a relative scanned"
)


@dataclass(frozen=True)
class Movement:
    """One of a case's movements: where, on which outbreak day and when, and the minutes (from the
    case's time) at which other residents were there."""

    place: str  # "gate" or a venue kind
    day: int
    hour: int
    minute: int
    others: tuple[int, ...]


MOVEMENTS: dict[int, tuple[Movement, ...]] = {
    0: (
        Movement("农贸市场", 0, 8, 10, (6, 14, -22, 41)),
        Movement("餐饮店", 0, 18, 35, (3, 25)),
        Movement("gate", 1, 7, 5, (2, 9, -35)),
    ),
    1: (
        Movement("商超", -1, 9, 20, (5, 18, -27, 33)),
        Movement("gate", 1, 8, 10, (30,)),
    ),
    2: (
        Movement("餐饮店", -2, 12, 10, (4, -16)),
        Movement("gate", 1, 9, 20, (7, 12)),
    ),
}
SECOND_HOP = Movement("药店", 0, 15, 0, (4, 12))
VISITORS = 20  # the residents near the movements above, each once


def _free(cast: Cast) -> QuerySet:
    held = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE).values("person")
    return (
        cast.residents()
        .exclude(pk__in=held)
        .exclude(household__building=cast.building)
        .exclude(pk__in=Case.objects.values("person"))
    )


def _visitors(cast: Cast, rng: random.Random, count: int) -> list[Any]:
    """Free residents: about half of the demo grid (the grid worker's worklist), half elsewhere."""
    free = _free(cast)
    near = list(free.filter(household__grid=cast.grid)[:200])
    far = list(free.exclude(household__grid=cast.grid)[:400])
    half = count // 2
    chosen = rng.sample(near, min(half, len(near)))
    return chosen + rng.sample(far, min(count - len(chosen), len(far)))


def _venue(venues: list[Venue], kind: str) -> Venue:
    return next(v for v in venues if v.kind.name == kind and v.status != VenueStatus.RED)


def _scan(gate: Checkpoint, person: Any, at: datetime, by: Any, number: int) -> Scan:
    return Scan(
        client_id=f"demo-trace-{gate.pk}-{person.pk}-{number}",
        checkpoint=gate,
        direction=Direction.OUT,
        method=Scan.Method.CODE,
        person=person,
        household=person.household,
        verdict=Verdict.PASS,
        scanned_at=at,
        by=by,
    )


def movements_record(
    cast: Cast, rng: random.Random, gate: Checkpoint, venues: list[Venue], cases: list[Case]
) -> Any:
    """Every case's movements and who was near; returns the first case's market neighbour who
    later went to the pharmacy (the second hop runs through them)."""
    visitors = _visitors(cast, rng, VISITORS)
    if not visitors:
        return None
    others = itertools.cycle(visitors)
    scans, visits, first_neighbour = [], [], None
    for index, case in enumerate(cases):
        for movement in MOVEMENTS.get(index, ()):
            at = cast.calendar.at(movement.day, movement.hour, movement.minute)
            people = [(case.person, at)] + [
                (next(others), at + timedelta(minutes=m)) for m in movement.others
            ]
            if index == 0 and movement.place == "农贸市场":
                first_neighbour = people[1][0]
            for number, (person, when) in enumerate(people):
                if movement.place == "gate":
                    scans.append(_scan(gate, person, when, cast.checkpoint, number))
                else:
                    visits.append(
                        Visit(venue=_venue(venues, movement.place), at=when, person=person)
                    )
    at = cast.calendar.at(SECOND_HOP.day, SECOND_HOP.hour, SECOND_HOP.minute)
    pharmacy = _venue(venues, SECOND_HOP.place)
    visits.append(Visit(venue=pharmacy, at=at, person=first_neighbour))
    visits += [
        Visit(venue=pharmacy, at=at + timedelta(minutes=m), person=next(others))
        for m in SECOND_HOP.others
    ]
    Scan.objects.bulk_create(scans)
    Visit.objects.bulk_create(visits)
    return first_neighbour


def _decide(cast: Cast, case: Case, confirm: int, dismiss: int, hop2: int, at: datetime) -> None:
    """Confirm the co-residents already under a close contact's measure (it is kept), the first
    `confirm` co-located candidates and `hop2` second-hop ones, dismiss the next `dismiss`
    co-located ones; the newly measured go to the grid workers as a 协查名单."""
    pending = Candidate.objects.filter(case=case, status=CandidateStatus.PENDING).order_by("pk")
    held = PersonMeasure.objects.filter(
        status=PersonMeasure.Status.ACTIVE, measure_type__applies_to__in=AT_LEAST[1]
    )
    housemates = list(pending.filter(path=Path.CO_RESIDENT, person__in=held.values("person")))
    free = set(_free(cast).values_list("pk", flat=True))
    located = [c for c in pending.filter(path=Path.CO_LOCATED) if c.person_id in free]
    second = [c for c in pending.filter(path=Path.SECOND_HOP) if c.person_id in free]
    note = "电话核实，已告知居家 / checked by phone, told to stay home"
    with moment(at):
        for candidate in housemates:
            candidate_confirm(by=cast.commander, candidate=candidate, note="同户，已在管控中")
        measured = [
            candidate_confirm(by=cast.commander, candidate=candidate, note=note)
            for candidate in [*located[:confirm], *second[:hop2]]
        ]
        for candidate in located[confirm : confirm + dismiss]:
            candidate_dismiss(by=cast.tracer, candidate=candidate, reason=DISMISS_REASON)
    if measured:
        with moment(at + timedelta(minutes=20)):
            verification_list_for(by=cast.tracer, case=case, candidates=measured)


def _checkins_fill(cast: Cast, rng: random.Random) -> None:
    """The confirmed contacts' check-ins, done by the team like every other measure's, some
    missed; the missed-slot sweep then runs as of now."""
    now = cast.calendar.now
    slots = CheckInSlot.objects.filter(
        status=CheckInSlot.Status.OPEN,
        due_at__lte=now,
        measure__in=Candidate.objects.exclude(measure=None).values("measure"),
    ).select_related("measure")
    for slot in slots.order_by("due_at", "pk"):
        if rng.random() < 0.1:
            continue
        at = min(slot.due_at + timedelta(minutes=rng.randint(0, 40)), now)
        with moment(at):
            checkin_record(
                by=cast.commander,
                measure=slot.measure,
                temperature="36.5",
                client_id=f"demo-trace-{slot.pk}",
                at=at,
            )
    checkin_mark_missed(now=now)


def tracing_seed(cast: Cast, rng: random.Random, gate: Checkpoint, venues: list[Venue]) -> None:
    cases = list(Case.objects.filter(person__household__grid__community__street=cast.street))
    cases.sort(key=lambda case: (case.reported_on, case.pk))
    if not cases:
        return
    if movements_record(cast, rng, gate, venues, cases) is None:
        return
    calendar = cast.calendar
    for case in cases:
        day = (case.reported_on - calendar.day(1)).days + 1
        with moment(calendar.at(day, 10, 30)):
            trace_run(by=cast.tracer, case=case)
    plan = ((3, 1, 1), (2, 1, 0))  # per case: co-located confirmed, dismissed; second hop confirmed
    for case, (confirm, dismiss, hop2) in zip(cases, plan, strict=False):
        day = (case.reported_on - calendar.day(1)).days + 1
        _decide(cast, case, confirm, dismiss, hop2, calendar.at(day, 11, 30))
    _checkins_fill(cast, rng)
