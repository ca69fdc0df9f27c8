"""Messages: compose, send (the audience frozen into recipients and deliveries), cancel; group
messages from the escalation ladder; delivery receipts from the SMS provider."""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.notify import rendering, workers
from wangge.notify.audience import Audience, audience_parse, recipients
from wangge.notify.channels import ReceiptIn
from wangge.notify.delivery import messages_complete
from wangge.notify.models import Channel, Delivery, Message, MessageKind, Receipt, Recipient
from wangge.notify.preview import sms_today
from wangge.regions.models import Grid

# Rows written per INSERT when an audience is frozen.
FREEZE_CHUNK = 2000


class NotifyError(ValueError):
    """A message that cannot be made or sent as asked; the text says why (Chinese / English)."""


def message_create(
    *,
    by: User | None,
    origin: Origin,
    audience: Audience,
    channels: Sequence[str],
    text: str,
    kind: str = MessageKind.NOTICE,
    title: str = "",
    ack: bool = False,
    escalate: bool = False,
    mention_after_minutes: int = 5,
    call_after_minutes: int = 10,
    send_at: datetime | None = None,
) -> Message:
    """A draft message to `audience` (checked against `by`'s authority when it was parsed). Only
    staff who may edit the register of an area send to it (not doctors, police or checkpoints)."""
    if by is not None and not user_can(by, "edit"):
        raise NotifyError("无权发送通知 / you may not send messages")
    unknown = [c for c in channels if c not in Channel.values]
    if not channels or unknown:
        raise NotifyError(
            f"渠道无效：{'、'.join(unknown) or '未选择'} / no valid channel: {', '.join(unknown) or 'none chosen'}"
        )
    if not text.strip():
        raise NotifyError("通知内容为空 / the message has no text")
    errors = rendering.template_errors(text)
    if errors:
        raise NotifyError("；".join(errors))
    if not 0 < mention_after_minutes < call_after_minutes:
        raise NotifyError(
            "转电话的时间须晚于群内提醒 / the call list must come after the group mention"
        )
    with transaction.atomic():
        message = Message.objects.create(
            street_id=audience.street_id,
            community_id=audience.community_id,
            grid_id=audience.grid_id,
            kind=kind,
            title=title.strip()[:80],
            text=text.strip(),
            channels=list(dict.fromkeys(channels)),
            audience_kind=audience.kind,
            audience_value=audience.value,
            audience_label=audience.label[:300],
            ack=ack,
            escalate=escalate,
            mention_after_minutes=mention_after_minutes,
            call_after_minutes=call_after_minutes,
            send_at=send_at,
            created_by=by,
        )
        audit_record(actor=by, action=AuditEntry.Action.CREATE, target=message, origin=origin)
    return message


def message_send(
    message: Message, *, by: User | None, origin: Origin, now: datetime | None = None
) -> Message:
    """Send a draft now, or keep it scheduled until its time (the tick sends it then)."""
    now = now or timezone.now()
    if by is not None and not user_can(by, "edit", message):
        raise NotifyError("无权发送该通知 / you may not send this message")
    if message.send_at and message.send_at > now:
        with transaction.atomic():
            changed = Message.objects.filter(pk=message.pk, status=Message.Status.DRAFT).update(
                status=Message.Status.SCHEDULED
            )
            if not changed:
                raise NotifyError(
                    "该通知已发送或已取消 / the message was already sent or cancelled"
                )
            audit_record(
                actor=by,
                action=AuditEntry.Action.UPDATE,
                target=message,
                changes={"status": [Message.Status.DRAFT, Message.Status.SCHEDULED]},
                origin=origin,
            )
        message.refresh_from_db()
        return message
    message = message_freeze(message.pk, now=now, by=by, origin=origin)
    workers.wake(message.channels)
    return message


@transaction.atomic
def message_freeze(message_id: int, *, now: datetime, by: User | None, origin: Origin) -> Message:
    """Resolve the audience once and store it: a recipient per addressee, a delivery per channel it
    can be reached on. Later changes of the register do not change who was meant."""
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.status not in {Message.Status.DRAFT, Message.Status.SCHEDULED}:
        raise NotifyError("该通知已发送或已取消 / the message was already sent or cancelled")
    # The stored value is canonical (full paths), so the system reads the same audience again.
    audience = audience_parse(
        message.audience_kind, message.audience_value, by=None, street=message.street.name
    )
    total = unreachable = deliveries = 0
    rows = recipients(audience, message.channels, message.kind)
    capped = daily_cap(message)
    while chunk := [row for _, row in zip(range(FREEZE_CHUNK), rows, strict=False)]:
        made = Recipient.objects.bulk_create(
            [
                Recipient(
                    message=message,
                    person_id=row.person_id,
                    household_id=row.household_id,
                    user_id=row.user_id,
                    robot_id=row.robot_id,
                    grid_id=row.grid_id,
                    label=row.label[:80],
                    phone_sealed=row.phone_sealed,
                    phone_hash=row.phone_hash,
                    phone_masked=row.phone_masked,
                    email=row.email,
                    variables=row.variables,
                    unreachable=row.unreachable,
                )
                for row in chunk
            ]
        )
        rows_made = [
            capped(Delivery(message=message, recipient=made_row, channel=channel, due_at=now))
            for made_row, row in zip(made, chunk, strict=True)
            for channel in row.channels
        ]
        Delivery.objects.bulk_create(rows_made)
        total += len(chunk)
        unreachable += sum(1 for row in chunk if row.unreachable)
        deliveries += sum(1 for row in rows_made if row.state == Delivery.State.QUEUED)
    message.status = Message.Status.SENDING if deliveries else Message.Status.SENT
    message.frozen_at = now
    message.all_sent_at = None if deliveries else now
    message.recipients_count = total
    message.unreachable_count = unreachable
    message.save(
        update_fields=[
            "status",
            "frozen_at",
            "all_sent_at",
            "recipients_count",
            "unreachable_count",
        ]
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=message,
        changes={"status": ["draft", message.status], "recipients": [0, total]},
        reason="发送 / sent",
        origin=origin,
    )
    return message


def daily_cap(message: Message) -> Callable[[Delivery], Delivery]:
    """The per-number daily cap at freezing: a non-emergency SMS to a number that has had
    NOTIFY_DAILY_CAP_PER_NUMBER today (this message's own counted as they are made) fails at once
    with the code `daily_cap`, as the preview warned. Emergencies are never capped."""
    cap = settings.WANGGE["NOTIFY_DAILY_CAP_PER_NUMBER"]
    if message.kind in {MessageKind.EMERGENCY, MessageKind.ESCALATION}:
        return lambda row: row
    today = Counter(sms_today())

    def capped(row: Delivery) -> Delivery:
        phone = row.recipient.phone_hash
        if row.channel != Channel.SMS or not phone:
            return row
        today[phone] += 1
        if today[phone] > cap:
            row.state = Delivery.State.FAILED
            row.error_code = "daily_cap"
            row.error_reason = "超过每号每日条数上限 / over the daily cap for this number"
        return row

    return capped


def message_cancel(message: Message, *, by: User | None, origin: Origin) -> Message:
    """Cancel a draft or a scheduled message; one that has been sent cannot be called back."""
    if by is not None and not user_can(by, "edit", message):
        raise NotifyError("无权取消该通知 / you may not cancel this message")
    with transaction.atomic():
        changed = Message.objects.filter(
            pk=message.pk, status__in=[Message.Status.DRAFT, Message.Status.SCHEDULED]
        ).update(status=Message.Status.CANCELLED, cancelled_at=timezone.now())
        if not changed:
            raise NotifyError(
                "通知已发出，不能取消 / the message has been sent and cannot be cancelled"
            )
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            target=message,
            changes={"status": [message.status, Message.Status.CANCELLED]},
            origin=origin,
        )
    message.refresh_from_db()
    return message


def messages_due_send(*, now: datetime | None = None) -> list[int]:
    """Send each scheduled message whose time has come (the minute tick); their ids."""
    now = now or timezone.now()
    due = Message.objects.filter(status=Message.Status.SCHEDULED, send_at__lte=now)
    sent = []
    for message_id in due.values_list("pk", flat=True):
        try:
            message = message_freeze(message_id, now=now, by=None, origin=Origin.SYSTEM)
        except NotifyError:
            continue  # cancelled or sent by another worker in between
        workers.wake(message.channels)
        sent.append(message_id)
    return sent


def robot_message_send(
    *, grid: Grid, text: str, mentions: Sequence[str], origin: Origin
) -> Message | None:
    """A system message to the robot groups of `grid` (the escalation ladder's mention); None when
    the grid has no active robot."""
    robots = list(grid.robots.filter(active=True))
    if not robots:
        return None
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            street_id=grid.community.street_id,
            community_id=grid.community_id,
            grid=grid,
            kind=MessageKind.ESCALATION,
            title="未达提醒",
            text=text,
            channels=sorted({robot.kind for robot in robots}),
            audience_kind="grid",
            audience_value=f"{grid.community.name}/{grid.name}",
            audience_label=str(grid),
            status=Message.Status.SENDING,
            frozen_at=now,
            recipients_count=len(robots),
        )
        for robot in robots:
            recipient = Recipient.objects.create(
                message=message,
                robot=robot,
                grid=grid,
                label=robot.name,
                variables={"mentions": list(mentions)},
            )
            Delivery.objects.create(
                message=message, recipient=recipient, channel=robot.kind, due_at=now
            )
        audit_record(actor=None, action=AuditEntry.Action.CREATE, target=message, origin=origin)
    workers.wake(message.channels)
    return message


# A receipt's status may only move a delivery forward: delivered is final; a failure receipt does
# not undo a delivered one (a late duplicate of an earlier failure, out of order).
RECEIPT_MOVES = {
    True: [
        Delivery.State.SENDING,
        Delivery.State.SENT,
        Delivery.State.UNKNOWN,
        Delivery.State.FAILED,
    ],
    False: [Delivery.State.SENDING, Delivery.State.SENT, Delivery.State.UNKNOWN],
}


@transaction.atomic
def receipts_record(receipts: Sequence[ReceiptIn]) -> int:
    """Store the provider's receipts and move their deliveries; a receipt seen before changes
    nothing. Matched by (attempt reference, phone). The number of receipts new to us."""
    now = timezone.now()
    rows = []
    for receipt in receipts:
        try:
            phone = parse_phone(receipt.phone)
        except IdentityError:
            continue
        rows.append((receipt, crypto.blind_index(phone)))
    known = set(
        Receipt.objects.filter(
            reference__in={receipt.reference for receipt, _ in rows}
        ).values_list("reference", "phone_hash", "status")
    )
    fresh = [
        (receipt, hashed)
        for receipt, hashed in rows
        if (receipt.reference, hashed, receipt.status) not in known
    ]
    by_reference: dict[str, list[tuple[ReceiptIn, str]]] = defaultdict(list)
    for receipt, hashed in fresh:
        by_reference[receipt.reference].append((receipt, hashed))
    stored = []
    moves: dict[tuple[bool, Any], list[int]] = defaultdict(list)
    for reference, items in by_reference.items():
        targets = dict(
            Delivery.objects.filter(
                attempt__reference=reference,
                channel=Channel.SMS,
                recipient__phone_hash__in=[hashed for _, hashed in items],
            ).values_list("recipient__phone_hash", "pk")
        )
        for receipt, hashed in items:
            delivery_id = targets.get(hashed)
            stored.append(
                Receipt(
                    reference=reference,
                    phone_hash=hashed,
                    status=receipt.status[:40],
                    delivered=receipt.delivered,
                    reported_at=receipt.reported_at,
                    delivery_id=delivery_id,
                )
            )
            if delivery_id is not None:
                key = receipt.reported_at or now if receipt.delivered else receipt.status[:40]
                moves[receipt.delivered, key].append(delivery_id)
    # One UPDATE per report time (delivered) or per provider code (failed), not per receipt.
    for (delivered, key), ids in moves.items():
        movable = Delivery.objects.filter(pk__in=ids, state__in=RECEIPT_MOVES[delivered])
        if delivered:
            movable.update(
                state=Delivery.State.DELIVERED,
                sent_at=Coalesce(F("sent_at"), now),
                delivered_at=key,
                worker="",
                lease_until=None,
            )
        else:
            movable.update(
                state=Delivery.State.FAILED,
                error_code=key,
                error_reason="回执：未送达 / receipt: not delivered",
                worker="",
                lease_until=None,
            )
    Receipt.objects.bulk_create(stored, ignore_conflicts=True)
    touched = list(
        Delivery.objects.filter(pk__in=[row.delivery_id for row in stored if row.delivery_id])
        .values_list("message_id", flat=True)
        .distinct()
    )
    messages_complete(touched)
    # Seen from inside this transaction, a worker's rows closed meanwhile may still look open, and
    # that worker, not seeing these moves yet, finds this push's rows open: checked again once they
    # are committed, or neither would mark the message sent.
    transaction.on_commit(lambda: messages_complete(touched))
    return len(stored)
