"""The escalation ladder of a message, per household (the periodic task runs it every minute).

A household of a message with `escalate` is not reached while none of its recipients has a
delivered delivery or an acknowledgement (an acknowledgement proves the message arrived even when
the receipt is late; a message without `ack` has none, so delivery alone counts there).
`mention_after_minutes` after the audience was frozen, the grid's work group is told once which
households are not reached, naming the grid's grid workers by mobile (the households by address
only, no names); `call_after_minutes` after it, those still not reached join the grid workers'
call list (notify.calls).

One transaction per grid and step. The rows are claimed by a conditional UPDATE of the ones read
under a row lock (`mentioned_at`, `call_listed_at` still empty), so a second run, or a second
worker at the same time, finds nothing left to do. The group message is sent by the function the
caller hands in (`send_to_grid`, the lead's `services.robot_message_send`): notify's services sit
beside this module, and taking the sender as an argument keeps the two free of an import cycle.
A failing send rolls its grid back, to be tried again on the next run.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import RoleAssignment
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.origin import Origin
from wangge.core.roles import Role
from wangge.notify.models import Delivery, Message, Recipient
from wangge.regions.models import Grid, Household


class GridSender(Protocol):
    def __call__(
        self, *, grid: Grid, text: str, mentions: Sequence[str], origin: Origin
    ) -> Message | None: ...


@dataclass
class EscalationRun:
    grids_told: int = 0
    households_mentioned: int = 0
    households_call_listed: int = 0


OPEN = (Message.Status.SENDING, Message.Status.SENT)


def unreached(message: Message) -> QuerySet[Recipient]:
    """The recipients (with a household and a grid) of the households not reached yet. A message
    that asks for acknowledgement reaches a household when someone there acknowledges it (a text
    delivered to a phone nobody read is what the call list is for); one that does not, when a
    delivery to it is delivered."""
    done: Q | Exists
    if message.ack:
        done = Q(acknowledged_at__isnull=False)
    else:
        done = Exists(
            Delivery.objects.filter(recipient=OuterRef("pk"), state=Delivery.State.DELIVERED)
        )
    reached = Recipient.objects.filter(message=message, household__isnull=False).filter(done)
    return Recipient.objects.filter(
        message=message, household__isnull=False, grid__isnull=False
    ).exclude(household_id__in=reached.values("household_id"))


def grid_worker_mobiles(grid: Grid) -> list[str]:
    """The mobiles of the grid workers of `grid` or of a grid it lies in (a grid worker holds the
    small grids of their grid), normalised; numbers that are no mobile are left out."""
    grid_ids: list[int] = []
    current: Grid | None = grid
    while current is not None:
        grid_ids.append(current.pk)
        current = current.parent
    raw = RoleAssignment.objects.filter(
        role=Role.GRID_WORKER, grid_id__in=grid_ids, user__is_active=True
    ).values_list("user__phone", flat=True)
    mobiles = set()
    for phone in raw:
        try:
            parsed = parse_phone(phone) if phone else ""
        except IdentityError:
            continue
        if parsed.isdigit() and len(parsed) == 11:
            mobiles.add(parsed)
    return sorted(mobiles)


def mention_text(message: Message, household_ids: set[int]) -> str:
    """The group message: what was sent, how long ago, and the households' addresses."""
    households = Household.objects.filter(pk__in=household_ids).select_related("building__compound")
    addresses = sorted(str(household) for household in households)
    what = message.title or message.get_kind_display()
    lines = [
        f"#### {_('未达提醒')}",
        _("“%(what)s”发出 %(minutes)s 分钟后，以下 %(count)s 户仍未送达或确认，请联系：")
        % {"what": what, "minutes": message.mention_after_minutes, "count": len(addresses)},
        "",
        *(f"- {address}" for address in addresses),
    ]
    return "\n".join(lines)


def _claim(rows: QuerySet[Recipient], field: str, now: datetime) -> list[tuple[int, int]]:
    """Lock the rows whose `field` is still empty, set it to `now`: (recipient, household) ids."""
    claimed = list(
        rows.filter(**{field: None})
        .select_for_update(of=("self",))
        .values_list("pk", "household_id")
    )
    Recipient.objects.filter(pk__in=[pk for pk, _household in claimed], **{field: None}).update(
        **{field: now}
    )
    return claimed


def _mention(message: Message, now: datetime, send_to_grid: GridSender, run: EscalationRun) -> None:
    due = unreached(message).filter(mentioned_at=None)
    for grid_id in sorted(set(due.values_list("grid_id", flat=True))):
        with transaction.atomic():
            claimed = _claim(due.filter(grid_id=grid_id), "mentioned_at", now)
            if not claimed:
                continue
            households = {household_id for _pk, household_id in claimed}
            grid = Grid.objects.get(pk=grid_id)
            send_to_grid(
                grid=grid,
                text=mention_text(message, households),
                mentions=grid_worker_mobiles(grid),
                origin=Origin.SYSTEM,
            )
            run.grids_told += 1
            run.households_mentioned += len(households)


def _call_list(message: Message, now: datetime, run: EscalationRun) -> None:
    due = unreached(message).filter(call_listed_at=None)
    for grid_id in sorted(set(due.values_list("grid_id", flat=True))):
        with transaction.atomic():
            claimed = _claim(due.filter(grid_id=grid_id), "call_listed_at", now)
            run.households_call_listed += len({household_id for _pk, household_id in claimed})


def escalation_run(*, now: datetime, send_to_grid: GridSender) -> EscalationRun:
    """Take every open message with escalation one step further where its time has come."""
    run = EscalationRun()
    waiting = Recipient.objects.filter(message=OuterRef("pk"), household__isnull=False).filter(
        Q(mentioned_at=None) | Q(call_listed_at=None)
    )
    messages = Message.objects.filter(
        escalate=True, status__in=OPEN, frozen_at__isnull=False, frozen_at__lte=now
    ).filter(Exists(waiting))
    for message in messages.order_by("pk"):
        if message.frozen_at is None:
            continue
        if now >= message.frozen_at + timedelta(minutes=message.mention_after_minutes):
            _mention(message, now, send_to_grid, run)
        if now >= message.frozen_at + timedelta(minutes=message.call_after_minutes):
            _call_list(message, now, run)
    return run
