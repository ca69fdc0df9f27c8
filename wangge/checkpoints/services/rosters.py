"""Duty rosters: planning shifts over a checkpoint's hours, putting staff and the teams' volunteers
on them, clocking on and off (staff by scanning the checkpoint's own code, volunteers by whoever
rosters the checkpoint), handover notes, and the day-before notice of understaffed shifts (a
periodic task: set-based, idempotent). Clocking off records the shift as service in the teams
(ServiceRecord of kind SHIFT, once per assignment), so hours served grow from the rosters."""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.accounts.selectors import community_workers_of, users_by_id
from wangge.checkpoints import tokens
from wangge.checkpoints.config import config
from wangge.checkpoints.duty import require_duty
from wangge.checkpoints.models import (
    Checkpoint,
    RosterGapNotice,
    Shift,
    ShiftAssignment,
    ShiftNote,
)
from wangge.checkpoints.models.rosters import day_bounds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.teams.models import Member
from wangge.teams.selectors import rosterable_members
from wangge.teams.services import shift_service_record

if TYPE_CHECKING:
    from wangge.accounts.models import User

MAX_PLAN_DAYS = 31


def opening(checkpoint: Checkpoint, day: date) -> tuple[datetime, datetime]:
    """The hours the checkpoint is manned on `day` (24 h when it opens and closes at one time)."""
    opens = timezone.make_aware(datetime.combine(day, checkpoint.opens_at))
    if checkpoint.round_the_clock:
        return opens, opens + timedelta(days=1)
    closes = timezone.make_aware(datetime.combine(day, checkpoint.closes_at))
    if closes <= opens:
        closes += timedelta(days=1)
    return opens, closes


def shift_blocks(checkpoint: Checkpoint, day: date) -> list[tuple[datetime, datetime]]:
    opens, closes = opening(checkpoint, day)
    step = timedelta(hours=checkpoint.shift_hours)
    blocks, start = [], opens
    while start < closes:
        blocks.append((start, min(start + step, closes)))
        start += step
    return blocks


def _require_edit(by: "User", checkpoint: Checkpoint) -> None:
    if not Checkpoint.objects.restrict(by, Action.EDIT).filter(pk=checkpoint.pk).exists():
        raise PermissionDenied("您无权安排该卡点的值守 / you may not roster this checkpoint")


@transaction.atomic
def shifts_plan(
    *, by: User, checkpoint: Checkpoint, start: date, days: int, origin: Origin = Origin.SYSTEM
) -> int:
    """Shifts covering the checkpoint's hours on each of `days` days from `start`; shifts that
    already exist stay as they are. Returns how many were created."""
    _require_edit(by, checkpoint)
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise ValidationError(
            {"days": f"一次排1至{MAX_PLAN_DAYS}天 / plan 1 to {MAX_PLAN_DAYS} days"}
        )
    blocks = [
        b for offset in range(days) for b in shift_blocks(checkpoint, start + timedelta(offset))
    ]
    taken = set(
        Shift.objects.filter(
            checkpoint=checkpoint, starts_at__in=[begin for begin, _ in blocks]
        ).values_list("starts_at", flat=True)
    )
    shifts = [
        Shift(
            checkpoint=checkpoint, starts_at=begin, ends_at=end, needed=checkpoint.staff_per_shift
        )
        for begin, end in blocks
        if begin not in taken
    ]
    Shift.objects.bulk_create(shifts)
    if shifts:
        audit_record(
            actor=by,
            action="create",
            target=checkpoint,
            changes={"shifts": len(shifts), "from": str(start), "days": days},
            origin=origin,
        )
    return len(shifts)


def eligible_staff(checkpoint: Checkpoint) -> QuerySet:
    """Staff who may be rostered here: anyone holding a role on its street, community or grids."""
    from wangge.accounts.models import RoleAssignment, User

    community = checkpoint.community
    roles = RoleAssignment.objects.filter(
        Q(street=community.street_id) | Q(community=community.pk) | Q(grid__community=community.pk)
    )
    return User.objects.filter(is_active=True, pk__in=roles.values("user")).order_by(
        "full_name", "username"
    )


def _overlapping(shift: Shift, **member: Any) -> bool:
    return (
        ShiftAssignment.objects.filter(**member)
        .filter(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .exclude(shift=shift)
        .exists()
    )


@transaction.atomic
def shift_assign(
    *,
    by: User,
    shift: Shift,
    user: "User | None" = None,
    volunteer: Member | None = None,
    origin: Origin = Origin.SYSTEM,
) -> ShiftAssignment:
    """Put a staff member or a team's confirmed member on a shift; nobody stands at two places
    at once."""
    _require_edit(by, shift.checkpoint)
    if (user is None) == (volunteer is None):
        raise ValidationError("请选择一名工作人员或志愿者 / choose one staff member or volunteer")
    if user is not None and not eligible_staff(shift.checkpoint).filter(pk=user.pk).exists():
        raise ValidationError({"user": "该工作人员不在本社区 / not staff of this community"})
    if (
        volunteer is not None
        and not rosterable_members(shift.checkpoint.community).filter(pk=volunteer.pk).exists()
    ):
        raise ValidationError(
            {"volunteer": "该队员不是本社区已确认的队员 / not a confirmed member of a team here"}
        )
    member: dict[str, Any] = {"user": user} if user is not None else {"volunteer": volunteer}
    if _overlapping(shift, **member):
        raise ValidationError("该人员同一时段已有排班 / already on another shift at that time")
    try:
        with transaction.atomic():
            assignment = ShiftAssignment.objects.create(shift=shift, assigned_by=by, **member)
    except IntegrityError as error:
        raise ValidationError("已在该班次 / already on this shift") from error
    audit_record(
        actor=by,
        action="create",
        target=assignment,
        changes={"shift": shift.pk, "member": str(assignment.member)},
        origin=origin,
    )
    return assignment


@transaction.atomic
def shift_unassign(
    *, by: User, assignment: ShiftAssignment, origin: Origin = Origin.SYSTEM
) -> None:
    _require_edit(by, assignment.shift.checkpoint)
    audit_record(
        actor=by,
        action="delete",
        target=assignment,
        changes={"shift": assignment.shift_id, "member": str(assignment.member)},
        origin=origin,
    )
    assignment.delete()


@transaction.atomic
def shift_note_add(
    *, by: User, shift: Shift, text: str, origin: Origin = Origin.SYSTEM
) -> ShiftNote:
    """交接班记录, written by whoever mans the checkpoint or rosters it."""
    require_duty(by, shift.checkpoint)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写交接内容 / write the handover note"})
    note = ShiftNote.objects.create(shift=shift, text=text[:1000], by=by)
    audit_record(actor=by, action="create", target=note, changes={"shift": shift.pk}, origin=origin)
    return note


@transaction.atomic
def shift_clock(
    *, by: User, code: str, at: datetime | None = None, origin: Origin = Origin.SYSTEM
) -> tuple[ShiftAssignment, str]:
    """Scanning the checkpoint's own code: clock off the shift one is on, else clock on the shift
    one is rostered for now (from SHIFT_CLOCK_EARLY_MINUTES before it starts)."""
    kind, digest = tokens.parse_payload(code)
    checkpoint = Checkpoint.objects.filter(code_hash=digest, active=True).first()
    if kind != tokens.CHECKPOINT or checkpoint is None:
        raise ValidationError({"code": "这不是有效的卡点值守码 / not a valid checkpoint code"})
    now = at or timezone.now()
    settings = config()
    mine = (
        ShiftAssignment.objects.select_for_update()
        .select_related("shift")
        .filter(user=by, shift__checkpoint=checkpoint)
        .order_by("shift__starts_at")
    )
    late = timedelta(minutes=settings["SHIFT_CLOCK_LATE_MINUTES"])
    early = timedelta(minutes=settings["SHIFT_CLOCK_EARLY_MINUTES"])
    assignment = mine.filter(
        clocked_on_at__isnull=False, clocked_off_at__isnull=True, shift__ends_at__gte=now - late
    ).first()
    if assignment is not None:
        assignment.clocked_off_at, action = now, "off"
    else:
        assignment = mine.filter(
            clocked_on_at__isnull=True, shift__starts_at__lte=now + early, shift__ends_at__gt=now
        ).first()
        if assignment is None:
            raise ValidationError(
                "您不在本卡点当前班次的排班中 / you are not on this checkpoint's current shift"
            )
        assignment.clocked_on_at, action = now, "on"
    assignment.save(update_fields=["clocked_on_at", "clocked_off_at"])
    audit_record(
        actor=by, action="update", target=assignment, changes={"clock": action}, origin=origin
    )
    if action == "off":
        _service_record(assignment, checkpoint, by)
    return assignment, action


@transaction.atomic
def volunteer_clock(
    *,
    by: User,
    assignment: ShiftAssignment,
    at: datetime | None = None,
    origin: Origin = Origin.SYSTEM,
) -> str:
    """A volunteer without a staff account clocked on, then off, by whoever rosters the
    checkpoint; "on" or "off"."""
    checkpoint = assignment.shift.checkpoint
    _require_edit(by, checkpoint)
    assignment = ShiftAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.volunteer_id is None:
        raise ValidationError(
            "工作人员请扫卡点码打卡 / staff clock by scanning the checkpoint code"
        )
    now = at or timezone.now()
    if assignment.clocked_on_at is None:
        assignment.clocked_on_at, action = now, "on"
    elif assignment.clocked_off_at is None:
        assignment.clocked_off_at, action = max(now, assignment.clocked_on_at), "off"
    else:
        raise ValidationError("该班次已离岗 / already clocked off this shift")
    assignment.save(update_fields=["clocked_on_at", "clocked_off_at"])
    audit_record(
        actor=by, action="update", target=assignment, changes={"clock": action}, origin=origin
    )
    if action == "off":
        _service_record(assignment, checkpoint, by)
    return action


def time_on_shift(assignment: ShiftAssignment) -> Decimal:
    """From clocking on to clocking off, in hours rounded to the nearest half hour."""
    if assignment.clocked_on_at is None or assignment.clocked_off_at is None:
        return Decimal(0)
    hours = Decimal((assignment.clocked_off_at - assignment.clocked_on_at).total_seconds()) / 3600
    return (hours * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _service_record(assignment: ShiftAssignment, checkpoint: Checkpoint, by: User) -> None:
    """The shift's service for the rostered volunteer or, for staff, their confirmed membership
    of a team here (none, no record)."""
    member = assignment.volunteer
    if member is None:
        member = rosterable_members(checkpoint.community).filter(user=assignment.user_id).first()
    if member is None or assignment.clocked_on_at is None:
        return
    shift_service_record(
        member=member,
        source_id=assignment.pk,
        day=timezone.localdate(assignment.clocked_on_at),
        hours=min(time_on_shift(assignment), Decimal(24)),
        activity=f"{checkpoint.name}值守",
        by=by,
    )


def understaffed(shifts: QuerySet[Shift]) -> QuerySet[Shift]:
    """The shifts with fewer people than they need."""
    return shifts.annotate(staffed=Count("assignments")).filter(staffed__lt=F("needed"))


@transaction.atomic
def roster_gap_notices(*, now: datetime | None = None) -> dict[str, int]:
    """From ROSTER_GAP_ALERT_TIME on, tell each community's workers once how many of tomorrow's
    shifts are understaffed and how many of its checkpoints have no shift at all."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < time.fromisoformat(config()["ROSTER_GAP_ALERT_TIME"]):
        return {"communities": 0, "shifts": 0}
    tomorrow = local.date() + timedelta(days=1)
    start, end = day_bounds(tomorrow)
    tomorrows = Shift.objects.filter(
        starts_at__gte=start, starts_at__lt=end, checkpoint__active=True
    )
    short = Shift.objects.filter(pk__in=understaffed(tomorrows).values("pk"))
    short.filter(gap_noticed_at__isnull=True).update(gap_noticed_at=now)
    counts: dict[int, list[int]] = {}
    for row in short.values(community=F("checkpoint__community")).annotate(n=Count("id")):
        counts.setdefault(row["community"], [0, 0])[0] = row["n"]
    unrostered = Checkpoint.objects.filter(active=True).exclude(
        pk__in=tomorrows.values("checkpoint")
    )
    for row in unrostered.values("community").annotate(n=Count("id")):
        counts.setdefault(row["community"], [0, 0])[1] = row["n"]
    done = set(RosterGapNotice.objects.filter(on=tomorrow).values_list("community_id", flat=True))
    workers = community_workers_of(set(counts) - done)
    users = users_by_id({user for ids in workers.values() for user in ids})
    link = f"{reverse('checkpoints:gaps')}?day={tomorrow:%Y-%m-%d}"
    sent = shifts = 0
    for community_id in sorted(set(counts) - done):
        short_count, bare = counts[community_id]
        try:
            with transaction.atomic():
                RosterGapNotice.objects.create(
                    on=tomorrow, community_id=community_id, shifts=short_count + bare
                )
        except IntegrityError:
            continue
        text = f"明日（{tomorrow:%m-%d}）卡点值守：{short_count}个班次缺员，{bare}个卡点未排班"
        recipients = [users[pk] for pk in workers.get(community_id, ()) if pk in users]
        post_alert(recipients, "roster_gap", text, link)
        sent += 1
        shifts += short_count
    return {"communities": sent, "shifts": shifts}
