"""Notifications on the outbreak's last day: the grids' work-group robots, three templates, and
messages in every state, each delivery played through the real engine (notify.delivery) with a
scripted provider standing in for the network: most numbers accepted, a few refused, one batch
timed out; receipts, the residents' "已收到", and the escalation ladder up to the grid worker's
call list follow at the times they would have happened.

Times (the clock set with `moment`): the testing notice went to the community this morning, the
emergency to the outbreak building two hours ago (acknowledged by about 60 % of its households,
the rest mentioned to the grid's DingTalk group at +5 minutes and listed for calls at +10), the
staff notice an hour ago, the reminder to the community's party members a few minutes ago (its
batch timed out: unknown until receipts come), and tomorrow morning's notice is scheduled."""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.notify import acks, calls, delivery, escalation
from wangge.notify.audience import audience_parse
from wangge.notify.channels import (
    DELIVERED,
    FAILED,
    SENT,
    UNKNOWN,
    Adapter,
    Outgoing,
    ReceiptIn,
    Result,
    adapter_for,
)
from wangge.notify.models import Channel, Delivery, Message, MessageKind, Recipient, Robot, Template
from wangge.notify.services import message_create, message_send, receipts_record, robot_message_send
from wangge.regions.models import Grid

WORKER = "demo-seed"
ORIGIN = Origin.SYSTEM
# Aliyun's refusal of a malformed or unassigned number, and an operator's "not delivered" receipt.
REFUSED = ("isv.MOBILE_NUMBER_ILLEGAL", "号码格式非法 / the number is not a valid mobile")
FAILED_RECEIPT = "MK:0005"

TEMPLATES = (
    (
        "核酸检测通知",
        MessageKind.NOTICE,
        "{称呼}您好：{日期}7:00—11:00在小区东门采样点开展全员核酸检测，请携带身份证错峰前往，"
        "全程佩戴口罩、保持一米间距。详情：{链接}",
    ),
    (
        "居家隔离提醒",
        MessageKind.REMINDER,
        "{称呼}您好：您家正在居家隔离，请每天8:00、20:00按时测温打卡，不出门、不串门；"
        "如有发热、咳嗽请立即联系网格员。",
    ),
    (
        "紧急通知",
        MessageKind.EMERGENCY,
        "【紧急通知】{户}所在楼栋即日起实行封控管理，请立即居家、不要外出，等待上门核酸采样。"
        "收到请点击确认：{链接}",
    ),
)


@dataclass
class ScriptedSms:
    """An SMS provider as the demo scripts it (the channels' Adapter protocol): accepts a batch of
    up to 100 numbers (SendBatchSms), refuses about one number in `refuse_one_in`, and times out
    on the calls numbered in `time_out`. Remembers what left, for the receipts to come."""

    rng: random.Random
    refuse_one_in: int = 40
    time_out: frozenset[int] = frozenset()
    channel: str = Channel.SMS
    batch_size: int = 100
    receipts: bool = True
    calls: int = 0
    left: list[tuple[str, str]] = field(default_factory=list)  # (reference, phone)

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        self.calls += 1
        if self.calls in self.time_out:
            self.left.extend((reference, item.address) for item in batch)
            return [Result(item.delivery_id, UNKNOWN, "timeout") for item in batch]
        results = []
        for item in batch:
            if self.rng.randrange(self.refuse_one_in) == 0:
                results.append(Result(item.delivery_id, FAILED, *REFUSED))
                continue
            self.left.append((reference, item.address))
            results.append(Result(item.delivery_id, SENT))
        return results


@dataclass
class ScriptedRobot:
    """A work-group robot answering errcode 0: the group got it, no receipt will come."""

    channel: str
    batch_size: int = 1
    receipts: bool = False

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        return [Result(item.delivery_id, DELIVERED) for item in batch]


def play(channel: str, adapter: Adapter) -> None:
    """Claim and send every due delivery of `channel` through the engine, with `adapter`."""
    while ids := delivery.claim(
        channel, worker=WORKER, limit=settings.WANGGE["NOTIFY_CLAIM_BATCH"]
    ):
        rows = list(
            Delivery.objects.filter(pk__in=ids, worker=WORKER)
            .select_related("recipient", "message")
            .order_by("id")
        )
        for batch, _digest in delivery.chunks(rows, adapter.batch_size):
            delivery.send_batch(adapter, batch, worker=WORKER, digest=False)
        delivery.messages_complete({row.message_id for row in rows})


def receipts_push(
    left: Sequence[tuple[str, str]], rng: random.Random, at: datetime, *, share: float = 0.95
) -> None:
    """Receipts for about `share` of what left, a few of them "not delivered", reported over the
    minutes after `at` and recorded then."""
    receipts = [
        ReceiptIn(
            reference=reference,
            phone=phone,
            status=FAILED_RECEIPT if rng.randrange(60) == 0 else "DELIVERED",
            delivered=True,
            reported_at=at + timedelta(seconds=rng.randint(5, 170)),
        )
        for reference, phone in left
        if rng.random() < share
    ]
    receipts = [
        r if r.status == "DELIVERED" else ReceiptIn(r.reference, r.phone, r.status, False, None)
        for r in receipts
    ]
    with moment(at + timedelta(minutes=3)):
        receipts_record(receipts)


def notify_seed(cast: Cast, rng: random.Random) -> None:
    """The notifications of the outbreak's last day, in the order they happened."""
    robots_create(cast, rng)
    texts = {name: template.text for name, template in templates_create(cast).items()}
    testing_notice_run(cast, rng, texts["核酸检测通知"])
    emergency_run(cast, rng, texts["紧急通知"])
    staff_notice_run(cast)
    party_reminder_run(cast, rng)
    tomorrow_schedule(cast)


def robots_create(cast: Cast, rng: random.Random) -> list[Robot]:
    """DingTalk groups for the demo grid and three more, a WeCom group for one other grid.
    Tokens and secrets look like the real ones; base_url is blank, so the settings' DINGTALK_URL
    and WECOM_URL (the fake gateway under `make run`) decide where they post."""
    others = list(Grid.objects.filter(community__street=cast.street).exclude(pk=cast.grid.pk))
    robots = []
    for number, grid in enumerate([cast.grid, *others[:4]]):
        kind = Robot.Kind.WECOM if number == 4 else Robot.Kind.DINGTALK
        robot = Robot(grid=grid, kind=kind, name=f"{grid.community.name}{grid.name}工作群")
        if kind == Robot.Kind.DINGTALK:
            robot.set_token(rng.randbytes(32).hex())
            robot.set_secret("SEC" + rng.randbytes(32).hex())
        else:
            robot.set_token(str(uuid.UUID(bytes=rng.randbytes(16), version=4)))
        robot.save()
        robots.append(robot)
    return robots


def templates_create(cast: Cast) -> dict[str, Template]:
    return {
        name: Template.objects.create(
            street=cast.street, name=name, kind=kind, text=text, created_by=cast.commander
        )
        for name, kind, text in TEMPLATES
    }


def emergency_run(cast: Cast, rng: random.Random, text: str) -> Message:
    """The outbreak building's emergency two hours ago, with acknowledgement and escalation."""
    sent_at = cast.calendar.now - timedelta(hours=2)
    building = cast.building
    path = f"{cast.community.name}/{building.compound.name}/{building.name}"
    with moment(sent_at):
        audience = audience_parse("building", path, by=cast.commander)
        message = message_create(
            by=cast.commander,
            origin=ORIGIN,
            audience=audience,
            channels=[Channel.SMS],
            text=text,
            kind=MessageKind.EMERGENCY,
            title="封控紧急通知",
            ack=True,
            escalate=True,
        )
        message = message_send(message, by=cast.commander, origin=ORIGIN)
    sms = ScriptedSms(rng, refuse_one_in=25)
    with moment(sent_at + timedelta(seconds=20)):
        play(Channel.SMS, sms)
    receipts_push(sms.left, rng, sent_at + timedelta(seconds=30))
    acks_and_ladder(cast, rng, message, sent_at)
    return message


def acks_and_ladder(cast: Cast, rng: random.Random, message: Message, sent_at: datetime) -> None:
    """About 60 % of the households acknowledge (most within minutes, a few late); the ladder
    runs at +5 and +10 minutes; the grid worker reaches one listed household by phone."""
    first: dict[int, int] = {}
    for pk, household_id in (
        Recipient.objects.filter(message=message, household__isnull=False, phone_sealed__gt="")
        .order_by("pk")
        .values_list("pk", "household_id")
    ):
        first.setdefault(household_id, pk)
    households = sorted(first)
    acking = rng.sample(households, round(len(households) * 0.6))
    times = sorted(
        (sent_at + timedelta(seconds=rng.choice([rng.randint(40, 540), rng.randint(60, 3600)])), h)
        for h in acking
    )
    steps = [
        sent_at + timedelta(minutes=message.mention_after_minutes, seconds=5),
        sent_at + timedelta(minutes=message.call_after_minutes, seconds=5),
    ]
    events = sorted([*times, *((step, 0) for step in steps)])
    for at, household_id in events:
        with moment(at):
            if household_id:
                acks.acknowledge(token=acks.ack_token(first[household_id]))
                continue
            escalation.escalation_run(now=at, send_to_grid=robot_message_send)
            for kind in (Robot.Kind.DINGTALK, Robot.Kind.WECOM):
                play(kind, ScriptedRobot(kind))
    listed = calls.open_calls(cast.grid_worker).filter(message=message).first()
    if listed is not None:
        with moment(steps[1] + timedelta(minutes=12)):
            calls.call_record(
                recipient=listed,
                by=cast.grid_worker,
                reached=True,
                note="已电话联系户主，已知晓封控要求 / reached the head of household by phone",
                origin=ORIGIN,
            )


def testing_notice_run(cast: Cast, rng: random.Random, text: str) -> Message:
    """This morning's testing notice to the whole community by SMS: a few numbers refused, most
    delivered by receipt, a few receipts "not delivered"."""
    sent_at = cast.calendar.now - timedelta(hours=3, minutes=20)
    with moment(sent_at):
        audience = audience_parse("community", cast.community.name, by=cast.community_worker)
        message = message_create(
            by=cast.community_worker,
            origin=ORIGIN,
            audience=audience,
            channels=[Channel.SMS],
            text=text,
            kind=MessageKind.NOTICE,
            title="全员核酸检测通知",
        )
        message = message_send(message, by=cast.community_worker, origin=ORIGIN)
    sms = ScriptedSms(rng)
    with moment(sent_at + timedelta(seconds=15)):
        play(Channel.SMS, sms)
    receipts_push(sms.left, rng, sent_at + timedelta(seconds=30))
    return message


def staff_notice_run(cast: Cast) -> Message:
    """An hour ago: the street tells every grid worker, in their alert inbox, of tonight's call."""
    with moment(cast.calendar.now - timedelta(hours=1)):
        audience = audience_parse("role", "网格员", by=cast.commander)
        message = message_create(
            by=cast.commander,
            origin=ORIGIN,
            audience=audience,
            channels=[Channel.INAPP],
            text="今晚18:00召开视频调度会，请各网格员汇报封控楼栋物资保障和未接通住户情况。",
            title="今晚视频调度会",
        )
        message = message_send(message, by=cast.commander, origin=ORIGIN)
        play(Channel.INAPP, adapter_for(Channel.INAPP))
    return message


def party_reminder_run(cast: Cast, rng: random.Random) -> Message:
    """Minutes ago: a reminder to the community's party members; the provider's answer timed
    out, so its deliveries are unknown until receipts come (half have come so far)."""
    sent_at = cast.calendar.now - timedelta(minutes=6)
    with moment(sent_at):
        audience = audience_parse("tag", "党员", by=cast.community_worker)
        message = message_create(
            by=cast.community_worker,
            origin=ORIGIN,
            audience=audience,
            channels=[Channel.SMS],
            text="{称呼}您好：社区招募党员志愿者，今天14:00到社区党群服务中心报到，"
            "协助核酸采样点秩序维护。",
            kind=MessageKind.REMINDER,
            title="党员志愿者报到提醒",
        )
        message = message_send(message, by=cast.community_worker, origin=ORIGIN)
    sms = ScriptedSms(rng, time_out=frozenset({1}))
    with moment(sent_at + timedelta(seconds=10)):
        play(Channel.SMS, sms)
    receipts_push(sms.left, rng, sent_at + timedelta(seconds=40), share=0.5)
    return message


def tomorrow_schedule(cast: Cast) -> Message:
    """Tomorrow 07:00: the grid worker's notice of the next round, scheduled (they may cancel)."""
    tomorrow = cast.calendar.today + timedelta(days=1)
    send_at = timezone.make_aware(datetime.combine(tomorrow, time(7)))
    with moment(cast.calendar.now - timedelta(minutes=20)):
        audience = audience_parse(
            "grid", f"{cast.community.name}/{cast.grid.name}", by=cast.grid_worker
        )
        message = message_create(
            by=cast.grid_worker,
            origin=ORIGIN,
            audience=audience,
            channels=[Channel.SMS],
            text="{称呼}您好：今天7:00—11:00第二轮全员核酸检测，采样点仍在小区东门，请错峰前往。",
            title="第二轮核酸检测",
            send_at=send_at,
        )
        return message_send(message, by=cast.grid_worker, origin=ORIGIN)
