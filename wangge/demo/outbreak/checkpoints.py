"""Checkpoints of the four kinds and more around the outbreak, their duty rosters for the last
three days, and three days of scans — refused ones (residents under home isolation, the sealed
building) and one with fever among them — recorded by whoever was on duty."""

import random
from datetime import time, timedelta
from typing import Any

from wangge.checkpoints.models import Checkpoint, Shift, ShiftAssignment
from wangge.checkpoints.rules import Direction
from wangge.checkpoints.services.checkpoints import CheckpointData, checkpoint_create
from wangge.checkpoints.services.rosters import shift_assign, shifts_plan, volunteer_clock
from wangge.checkpoints.services.scans import ScanInput, scan_record
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.measures.models import PersonMeasure
from wangge.regions.models import Compound
from wangge.teams.models import Member, Team

Kind = Checkpoint.Kind
ROSTER_DAYS = 3
SCANS_AT_GATE = 24
SCANS_ELSEWHERE = 6


def _plan(cast: Cast) -> list[CheckpointData]:
    compound = cast.building.compound
    others = list(Compound.objects.filter(community=cast.community).exclude(pk=compound.pk))
    second = others[0] if others else compound
    third = others[1] if len(others) > 1 else second
    day: dict[str, Any] = {"opens_at": time(6), "closes_at": time(22)}
    return [
        CheckpointData(
            f"{compound.name}南门", Kind.COMPOUND_GATE, cast.community, compound=compound
        ),
        CheckpointData(
            f"{compound.name}北门", Kind.COMPOUND_GATE, cast.community, compound=compound
        ),
        CheckpointData(
            f"{second.name}楼院", Kind.UNMANAGED_COURTYARD, cast.community, compound=second
        ),
        CheckpointData(
            f"{third.name}家属院", Kind.WORK_UNIT_COMPOUND, cast.community, compound=third
        ),
        CheckpointData(
            "社区卫生服务站", Kind.PUBLIC_INSTITUTION, cast.community, address="春晓路18号", **day
        ),
        CheckpointData(
            "春晓农贸市场", Kind.PUBLIC_PLACE, cast.community, address="春晓路66号", **day
        ),
        CheckpointData("江南大道卡口", Kind.TRAFFIC, cast.community, address="江南大道与春晓路口"),
    ]


def checkpoints_create(cast: Cast, volunteer_team: Team) -> list[Checkpoint]:
    """Set up on day 1, with shifts for the last three days: the checkpoint staff on the gate's
    day shifts (every shift today), the volunteer team's confirmed members elsewhere."""
    calendar, by = cast.calendar, cast.community_worker
    with moment(calendar.at(1, 12)):
        checkpoints = [checkpoint_create(by=by, data=data) for data in _plan(cast)]
    volunteers = list(Member.objects.confirmed().filter(team=volunteer_team).order_by("pk"))
    first = DAYS - ROSTER_DAYS + 1
    with moment(calendar.at(first, 6)):
        for checkpoint in checkpoints:
            shifts_plan(by=by, checkpoint=checkpoint, start=calendar.day(first), days=ROSTER_DAYS)
        for checkpoint, volunteer in zip(checkpoints[1:], volunteers, strict=False):
            for shift in Shift.objects.filter(checkpoint=checkpoint).order_by("starts_at")[::2]:
                shift_assign(by=by, shift=shift, volunteer=volunteer)
        for shift in Shift.objects.filter(checkpoint=checkpoints[0]).order_by("starts_at"):
            today = shift.starts_at.date() == calendar.today
            if today or shift.starts_at.hour == 8:
                shift_assign(by=by, shift=shift, user=cast.checkpoint)
    _volunteers_clock(cast)
    return checkpoints


def _volunteers_clock(cast: Cast) -> None:
    """The volunteers of the shifts that are over were clocked on and off as they came and went;
    their hours served grow by it."""
    done = ShiftAssignment.objects.filter(
        volunteer__isnull=False, shift__ends_at__lte=cast.calendar.now
    ).select_related("shift__checkpoint")
    for assignment in done.order_by("shift__starts_at", "pk"):
        shift = assignment.shift
        for at in (shift.starts_at, shift.ends_at):
            with moment(at):
                volunteer_clock(by=cast.community_worker, assignment=assignment, at=at)


def _passers(cast: Cast, rng: random.Random, count: int, around: Any) -> list[Any]:
    """Residents passing: mostly free ones, some under home isolation, some from the sealed
    building (both are refused)."""
    isolated = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE).values("person")
    free = list(cast.residents(**around).exclude(pk__in=isolated)[: count * 3])
    held = list(cast.residents(pk__in=isolated, **around)[:count])
    chosen = rng.sample(free, min(len(free), count - count // 6))
    return chosen + rng.sample(held, min(len(held), count // 6))


def scans_record(cast: Cast, rng: random.Random, checkpoints: list[Checkpoint]) -> None:
    calendar = cast.calendar
    compound = cast.building.compound
    fever_left = 1
    for day in range(DAYS - ROSTER_DAYS + 1, DAYS + 1):
        for index, checkpoint in enumerate(checkpoints):
            at_gate = index == 0
            count = SCANS_AT_GATE if at_gate else SCANS_ELSEWHERE
            around = {"household__building__compound": compound} if at_gate else {}
            by = cast.checkpoint if at_gate else cast.community_worker
            for number, person in enumerate(_passers(cast, rng, count, around)):
                at = calendar.at(day, 8, 5) + timedelta(minutes=number * 17 + rng.randint(0, 9))
                at = min(at, calendar.now)
                temperature = "36.5"
                if at_gate and fever_left and day == DAYS - 1 and number == 3:
                    temperature, fever_left = "38.3", 0
                with moment(at):
                    scan_record(
                        by=by,
                        checkpoint_id=checkpoint.pk,
                        data=ScanInput(
                            client_id=f"demo-scan-{checkpoint.pk}-{day}-{number}",
                            direction=Direction.OUT if number % 2 else Direction.IN,
                            scanned_at=at,
                            temperature=temperature,
                            id_number=person.id_number,
                        ),
                    )
