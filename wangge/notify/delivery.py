"""The delivery engine: claim due deliveries under a lease, send them in attempts, record outcomes.

Crash safety rests on the database, not the queue (ADR 0013): a worker claims a batch by setting
itself and a lease on the rows; before a call leaves it records the attempt on the rows (state
`sending`), so a worker that dies mid-call leaves rows whose lease runs out in `sending`. Those may
have reached the provider: they become `unknown` and wait for a receipt until the receipt window
has passed (`reap`). Rows claimed but not yet sending are simply claimed again. A delivery is
therefore sent a second time only when its first call did not leave, or left and was never
confirmed within the window.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from wangge.notify import acks, links, ratelimit, rendering
from wangge.notify.channels import Adapter, Outgoing, Result, adapter_for, robots
from wangge.notify.models import Attempt, Channel, Delivery, Message
from wangge.notify.models.messages import GROUP_CHANNELS

State = Delivery.State
# States a delivery may still leave or change from by itself (not final).
OPEN_STATES = (State.QUEUED, State.SENDING, State.UNKNOWN)


def setting(name: str) -> int:
    return settings.WANGGE[name]


def claimable(channel: str, now: datetime) -> Q:
    """Queued and due, its lease (if any) run out; or unknown with its receipt window passed."""
    free = Q(lease_until=None) | Q(lease_until__lt=now)
    return Q(channel=channel, due_at__lte=now) & (
        Q(state=State.QUEUED) & free | Q(state=State.UNKNOWN)
    )


def claim(channel: str, *, worker: str, limit: int, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due deliveries of `channel` under a lease; the ids taken.

    PostgreSQL skips rows another worker is taking (FOR UPDATE SKIP LOCKED). SQLite has one writer
    at a time: a conditional UPDATE that re-checks the claimable condition takes only rows nobody
    took in between, and the rows taken are read back by this worker's lease."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=setting("NOTIFY_LEASE_SECONDS"))
    due = Delivery.objects.filter(claimable(channel, now)).order_by("due_at", "id")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            Delivery.objects.filter(pk__in=ids).update(
                state=State.QUEUED, worker=worker, lease_until=lease
            )
            return ids
        ids = list(due.values_list("pk", flat=True)[:limit])
        Delivery.objects.filter(claimable(channel, now), pk__in=ids).update(
            state=State.QUEUED, worker=worker, lease_until=lease
        )
        held = Delivery.objects.filter(pk__in=ids, worker=worker, lease_until=lease)
        return list(held.values_list("pk", flat=True))


def reap(*, now: datetime | None = None) -> int:
    """Deliveries whose worker died while their call may have left become unknown and wait for a
    receipt until the window from their attempt's start has passed; the count so marked."""
    now = now or timezone.now()
    window = timedelta(seconds=setting("NOTIFY_RECEIPT_WINDOW_SECONDS"))
    stranded = Delivery.objects.filter(state=State.SENDING, lease_until__lt=now)
    marked = 0
    for attempt_id, started in (
        stranded.values_list("attempt_id", "attempt__started_at").distinct().order_by()
    ):
        marked += stranded.filter(attempt_id=attempt_id).update(
            state=State.UNKNOWN,
            worker="",
            lease_until=None,
            due_at=(started or now) + window,
        )
    return marked


def next_due(channel: str, *, now: datetime | None = None) -> datetime | None:
    """When the next delivery of `channel` becomes claimable (a retry, a lease running out, a
    receipt window passing); None when nothing is open."""
    now = now or timezone.now()
    open_rows = Delivery.objects.filter(channel=channel, state__in=OPEN_STATES)
    due = open_rows.filter(lease_until=None).aggregate(at=Min("due_at"))["at"]
    leased = open_rows.exclude(lease_until=None).aggregate(at=Min("lease_until"))["at"]
    times = [at for at in (due, leased) if at is not None]
    return max(min(times), now) if times else None


def send_claimed(channel: str, ids: Sequence[int], *, worker: str) -> dict[str, int]:
    """Send the deliveries this worker claimed, in attempts of the adapter's batch size; how many
    came to each outcome."""
    adapter = adapter_for(channel)
    rows = list(
        Delivery.objects.filter(pk__in=ids, worker=worker)
        .select_related("recipient", "message")
        .order_by("id")
    )
    counts: dict[str, int] = defaultdict(int)
    grouped = channel in GROUP_CHANNELS
    batches = robot_batches(rows) if grouped else chunks(rows, adapter.batch_size)
    for batch, digest in batches:
        for outcome, n in send_batch(adapter, batch, worker=worker, digest=digest).items():
            counts[outcome] += n
    messages_complete({row.message_id for row in rows})
    return dict(counts)


def chunks(rows: list[Delivery], size: int) -> list[tuple[list[Delivery], bool]]:
    return [(rows[i : i + size], False) for i in range(0, len(rows), size)]


def robot_batches(rows: list[Delivery]) -> list[tuple[list[Delivery], bool]]:
    """One call per delivery while the robot's bucket allows; past that, the rest due for that
    robot go together as one markdown digest (a group is told everything, never dropped).
    Deliveries the bucket has no room for at all go back to the queue."""
    by_robot: dict[int | None, list[Delivery]] = defaultdict(list)
    for row in rows:
        by_robot[row.recipient.robot_id].append(row)
    batches: list[tuple[list[Delivery], bool]] = []
    for items in by_robot.values():
        robot = items[0].recipient.robot
        if robot is None:
            # The robot was removed after the message froze its audience.
            results_fail(
                items, code="no_robot", reason="群机器人已删除 / the group robot was removed"
            )
            continue
        granted = ratelimit.take(robot.bucket_key, len(items), robot.per_minute)
        if granted == 0:
            postpone(items, seconds=max(1, 60 // max(robot.per_minute, 1)))
            continue
        singles = items if granted >= len(items) else items[: granted - 1]
        batches.extend(([item], False) for item in singles)
        if granted < len(items):
            batches.append((items[granted - 1 :], True))
    return batches


def results_fail(rows: Iterable[Delivery], *, code: str, reason: str) -> None:
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        state=State.FAILED, error_code=code, error_reason=reason, worker="", lease_until=None
    )


def postpone(rows: Iterable[Delivery], *, seconds: int) -> None:
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        worker="", lease_until=None, due_at=timezone.now() + timedelta(seconds=seconds)
    )


def outgoing(row: Delivery) -> Outgoing:
    recipient, message = row.recipient, row.message
    link = ""
    if row.channel not in GROUP_CHANNELS and message.ack:
        link = acks.ack_link(recipient)
    elif row.channel not in GROUP_CHANNELS and "链接" in message.text:
        link = links.personal_link(recipient)
    text = rendering.render(message.text, recipient.variables, link=link)
    if row.channel == Channel.SMS:
        address = recipient.phone
    elif row.channel == Channel.EMAIL:
        address = recipient.email
    elif row.channel == Channel.INAPP:
        address = str(recipient.user_id) if recipient.user_id else ""
    else:
        address = str(recipient.robot_id or "")
    mentions = tuple(recipient.variables.get("mentions", ()))
    return Outgoing(
        delivery_id=row.pk,
        address=address,
        text=text,
        params={"text": text},
        mentions=mentions,
        title=message.title,
    )


def send_batch(
    adapter: Adapter, batch: list[Delivery], *, worker: str, digest: bool
) -> dict[str, int]:
    """One attempt: recorded on the rows before the call leaves, then its results applied.

    In-app deliveries are rows in this database: the whole attempt is one transaction, so a worker
    that dies in it leaves the rows claimed but unsent, never "maybe sent"."""
    if adapter.channel == Channel.INAPP:
        with transaction.atomic():
            return attempt_run(adapter, batch, worker=worker, digest=digest)
    return attempt_run(adapter, batch, worker=worker, digest=digest)


def attempt_run(
    adapter: Adapter, batch: list[Delivery], *, worker: str, digest: bool
) -> dict[str, int]:
    now = timezone.now()
    attempt = Attempt.objects.create(
        reference=uuid.uuid4().hex[:20],
        channel=adapter.channel,
        worker=worker,
        size=len(batch),
        started_at=now,
    )
    ids = [row.pk for row in batch]
    lease = now + timedelta(seconds=setting("NOTIFY_LEASE_SECONDS"))
    Delivery.objects.filter(pk__in=ids, worker=worker, state=State.QUEUED).update(
        state=State.SENDING, attempt=attempt, tries=F("tries") + 1, lease_until=lease
    )
    # Rows whose lease ran out while the batch waited may belong to another worker now.
    taken = set(Delivery.objects.filter(attempt=attempt).values_list("pk", flat=True))
    batch = [row for row in batch if row.pk in taken]
    if not batch:
        attempt.delete()
        return {}
    items = [outgoing(row) for row in batch]
    if digest:
        items = [robots.digest(items)]
    results = adapter.send(attempt.reference, items)
    if digest and results:
        results = [
            Result(row.pk, results[0].outcome, results[0].code, results[0].reason) for row in batch
        ]
    return results_apply(attempt, results, tries={row.pk: row.tries + 1 for row in batch})


def results_apply(
    attempt: Attempt, results: list[Result], *, tries: dict[int, int]
) -> dict[str, int]:
    now = timezone.now()
    window = timedelta(seconds=setting("NOTIFY_RECEIPT_WINDOW_SECONDS"))
    mine = Delivery.objects.filter(attempt=attempt, state=State.SENDING)
    by_outcome: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_outcome[result.outcome].append(result)
    done = {"worker": "", "lease_until": None}

    def ids(outcome: str) -> list[int]:
        return [result.delivery_id for result in by_outcome.get(outcome, [])]

    mine.filter(pk__in=ids("sent")).update(state=State.SENT, sent_at=now, **done)
    mine.filter(pk__in=ids("delivered")).update(
        state=State.DELIVERED, sent_at=now, delivered_at=now, **done
    )
    mine.filter(pk__in=ids("unknown")).update(
        state=State.UNKNOWN, due_at=attempt.started_at + window, **done
    )
    for result in by_outcome.get("failed", []):
        mine.filter(pk=result.delivery_id).update(
            state=State.FAILED,
            error_code=result.code[:40],
            error_reason=result.reason[:200],
            **done,
        )
    for result in by_outcome.get("retry", []):
        tried = tries.get(result.delivery_id, 1)
        changes: dict[str, Any]
        if tried >= setting("NOTIFY_MAX_TRIES"):
            changes = {"state": State.FAILED}
        else:
            wait = setting("NOTIFY_BACKOFF_SECONDS") * 2 ** (tried - 1)
            changes = {"state": State.QUEUED, "due_at": now + timedelta(seconds=wait)}
        mine.filter(pk=result.delivery_id).update(
            error_code=result.code[:40], error_reason=result.reason[:200], **changes, **done
        )
    outcomes = {result.outcome for result in results}
    Attempt.objects.filter(pk=attempt.pk).update(
        finished_at=now,
        outcome=attempt_outcome(outcomes),
        detail="; ".join(sorted({r.code for r in results if r.code}))[:300],
    )
    return {outcome: len(items) for outcome, items in by_outcome.items()}


def attempt_outcome(outcomes: set[str]) -> str:
    if outcomes & {"sent", "delivered"}:
        return Attempt.Outcome.ACCEPTED
    if "unknown" in outcomes:
        return Attempt.Outcome.TIMEOUT
    if "failed" in outcomes:
        return Attempt.Outcome.REJECTED
    return Attempt.Outcome.ERROR


def messages_complete(message_ids: Iterable[int]) -> None:
    """A message whose deliveries have all left (none queued, sending or unknown) is sent."""
    now = timezone.now()
    for message_id in message_ids:
        if not Delivery.objects.filter(message_id=message_id, state__in=OPEN_STATES).exists():
            Message.objects.filter(pk=message_id, all_sent_at=None).update(
                all_sent_at=now, status=Message.Status.SENT
            )


def has_due(channel: str, *, now: datetime | None = None) -> bool:
    return Delivery.objects.filter(claimable(channel, now or timezone.now())).exists()
