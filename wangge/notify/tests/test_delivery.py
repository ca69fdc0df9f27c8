"""The delivery engine's rules, with a recording adapter in place of a provider: claims never
overlap, a maybe-sent delivery waits for its receipt, retries back off, receipts are idempotent,
a robot past its budget gets one digest, and the status counts each recipient once."""

import threading
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from wangge.core import crypto
from wangge.notify import delivery
from wangge.notify.channels import Outgoing, ReceiptIn, Result
from wangge.notify.models import Attempt, Delivery, Message, Recipient, Robot
from wangge.notify.selectors import message_status
from wangge.notify.services import receipts_record

State = Delivery.State
PHONES = ["13800000001", "13800000002", "13800000003", "13800000004"]


@dataclass
class Recording:
    """An adapter that answers each item with `outcome` and remembers what it was given."""

    channel: str = "sms"
    batch_size: int = 2
    receipts: bool = True
    outcome: str = "sent"
    calls: list[tuple[str, list[Outgoing]]] = field(default_factory=list)

    def send(self, reference: str, batch: list[Outgoing]) -> list[Result]:
        self.calls.append((reference, list(batch)))
        return [
            Result(item.delivery_id, self.outcome, "X1" if self.outcome != "sent" else "")
            for item in batch
        ]


@pytest.fixture
def adapter(monkeypatch):
    recording = Recording()
    monkeypatch.setattr(delivery, "adapter_for", lambda channel: recording)
    return recording


def sms_message(world, phones=PHONES) -> Message:
    now = timezone.now()
    message = Message.objects.create(
        street=world.street,
        text="请于今日18点前完成核酸检测",
        channels=["sms"],
        audience_kind="street",
        audience_value=world.street.name,
        status=Message.Status.SENDING,
        frozen_at=now,
        recipients_count=len(phones),
    )
    for phone in phones:
        recipient = Recipient.objects.create(
            message=message,
            grid=world.grid_a,
            label="张*",
            phone_sealed=crypto.seal(phone),
            phone_hash=crypto.blind_index(phone),
        )
        Delivery.objects.create(message=message, recipient=recipient, channel="sms", due_at=now)
    return message


def states(message: Message) -> list[str]:
    return sorted(Delivery.objects.filter(message=message).values_list("state", flat=True))


def test_two_workers_never_claim_the_same_delivery(world):
    sms_message(world)
    first = delivery.claim("sms", worker="w1", limit=3)
    second = delivery.claim("sms", worker="w2", limit=3)
    assert len(first) == 3 and len(second) == 1
    assert not set(first) & set(second)
    assert delivery.claim("sms", worker="w3", limit=3) == []


def test_a_claim_whose_lease_ran_out_is_claimed_again(world):
    sms_message(world)
    taken = delivery.claim("sms", worker="dead", limit=10)
    later = timezone.now() + timedelta(seconds=61)
    assert sorted(delivery.claim("sms", worker="w2", limit=10, now=later)) == sorted(taken)


def test_sending_sends_in_batches_with_one_reference_each(world, adapter):
    message = sms_message(world)
    ids = delivery.claim("sms", worker="w", limit=10)
    delivery.send_claimed("sms", ids, worker="w")
    assert [len(batch) for _, batch in adapter.calls] == [2, 2]
    references = {reference for reference, _ in adapter.calls}
    assert references == set(Attempt.objects.values_list("reference", flat=True))
    assert sorted(item.address for _, batch in adapter.calls for item in batch) == PHONES
    assert states(message) == ["sent"] * 4


def test_a_worker_that_died_mid_call_leaves_unknown_until_the_window_passes(world, settings):
    message = sms_message(world, PHONES[:1])
    ids = delivery.claim("sms", worker="dead", limit=10)
    attempt = Attempt.objects.create(reference="r-dead", channel="sms", started_at=timezone.now())
    Delivery.objects.filter(pk__in=ids).update(state=State.SENDING, attempt=attempt)
    after_lease = timezone.now() + timedelta(seconds=61)
    assert delivery.reap(now=after_lease) == 1
    assert states(message) == ["unknown"]
    assert delivery.claim("sms", worker="w2", limit=10, now=after_lease) == []
    window = settings.WANGGE["NOTIFY_RECEIPT_WINDOW_SECONDS"]
    after_window = attempt.started_at + timedelta(seconds=window + 1)
    assert delivery.claim("sms", worker="w2", limit=10, now=after_window) == ids


def test_a_receipt_settles_an_unknown_delivery_so_it_is_not_sent_again(world):
    message = sms_message(world, PHONES[:1])
    ids = delivery.claim("sms", worker="dead", limit=10)
    attempt = Attempt.objects.create(reference="r-late", channel="sms", started_at=timezone.now())
    Delivery.objects.filter(pk__in=ids).update(state=State.UNKNOWN, attempt=attempt)
    receipts_record([ReceiptIn("r-late", PHONES[0], "DELIVERED", True, None)])
    assert states(message) == ["delivered"]
    window = timedelta(days=1)
    assert delivery.claim("sms", worker="w2", limit=10, now=timezone.now() + window) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two writers at once: PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_a_receipt_and_a_worker_closing_the_last_deliveries_at_once_mark_the_message_sent(
    world, adapter
):
    # given a message whose two deliveries are still open: one left with a worker that died (its
    # receipt is on the way), the other claimed by a live worker
    message = sms_message(world, PHONES[:2])
    first, second = Delivery.objects.filter(message=message).order_by("id")
    now = timezone.now()
    lease = now + timedelta(seconds=60)
    attempt = Attempt.objects.create(reference="r-race", channel="sms", started_at=now)
    Delivery.objects.filter(pk=second.pk).update(
        state=State.SENDING, attempt=attempt, worker="dead", lease_until=lease
    )
    Delivery.objects.filter(pk=first.pk).update(worker="w", lease_until=lease)
    pushed, answered = threading.Event(), threading.Event()

    def receipt_push() -> None:
        # the receipt's transaction is held open until the worker has sent the other one
        try:
            with transaction.atomic():
                receipts_record([ReceiptIn("r-race", PHONES[1], "DELIVERED", True, None)])
                pushed.set()
                answered.wait(10)
        finally:
            connections.close_all()

    webhook = threading.Thread(target=receipt_push)
    webhook.start()
    assert pushed.wait(10)

    # when the worker sends its delivery while the receipt is not yet committed
    delivery.send_claimed("sms", [first.pk], worker="w")
    answered.set()
    webhook.join(10)

    # then each saw the other's delivery open, yet the message is marked sent
    assert states(message) == ["delivered", "sent"]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.all_sent_at is not None


def test_receipts_late_twice_and_out_of_order_change_nothing_the_second_time(world, adapter):
    message = sms_message(world, PHONES[:2])
    delivery.send_claimed("sms", delivery.claim("sms", worker="w", limit=10), worker="w")
    reference = Attempt.objects.get().reference
    ok = ReceiptIn(reference, f"+86 {PHONES[0]}", "DELIVERED", True, None)
    bad = ReceiptIn(reference, PHONES[1], "MK:0001", False, None)
    assert receipts_record([ok, bad]) == 2
    assert receipts_record([bad, ok]) == 0
    # a failure reported after the delivery only adds its row; delivered stays
    receipts_record([ReceiptIn(reference, PHONES[0], "MK:0005", False, None)])
    assert states(message) == ["delivered", "failed"]
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT


def test_a_transient_refusal_is_tried_again_later_and_failed_after_the_last_try(
    world, adapter, settings
):
    message = sms_message(world, PHONES[:1])
    adapter.outcome = "retry"
    for _ in range(settings.WANGGE["NOTIFY_MAX_TRIES"]):
        far = timezone.now() + timedelta(days=1)
        delivery.send_claimed(
            "sms", delivery.claim("sms", worker="w", limit=1, now=far), worker="w"
        )
    row = Delivery.objects.get(message=message)
    assert row.state == State.FAILED and row.tries == settings.WANGGE["NOTIFY_MAX_TRIES"]
    assert row.error_code == "X1"


def test_a_queued_retry_waits_for_its_backoff(world, adapter):
    sms_message(world, PHONES[:1])
    adapter.outcome = "retry"
    delivery.send_claimed("sms", delivery.claim("sms", worker="w", limit=1), worker="w")
    assert delivery.claim("sms", worker="w", limit=1) == []


def test_a_timed_out_call_is_unknown(world, adapter):
    message = sms_message(world, PHONES[:1])
    adapter.outcome = "unknown"
    delivery.send_claimed("sms", delivery.claim("sms", worker="w", limit=1), worker="w")
    assert states(message) == ["unknown"]
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENDING


def test_a_robot_past_its_budget_gets_the_rest_as_one_digest(world, monkeypatch):
    robot = Robot(grid=world.grid_a, kind="dingtalk", name="第一网格工作群", per_minute=3)
    robot.set_token("T1")
    robot.save()
    recording = Recording(channel="dingtalk", batch_size=1, receipts=False, outcome="delivered")
    monkeypatch.setattr(delivery, "adapter_for", lambda channel: recording)
    now = timezone.now()
    for n in range(5):
        message = Message.objects.create(
            street=world.street,
            text=f"第{n}条",
            channels=["dingtalk"],
            audience_kind="grid",
            status=Message.Status.SENDING,
            frozen_at=now,
        )
        recipient = Recipient.objects.create(message=message, robot=robot, grid=world.grid_a)
        Delivery.objects.create(
            message=message, recipient=recipient, channel="dingtalk", due_at=now
        )
    delivery.send_claimed("dingtalk", delivery.claim("dingtalk", worker="w", limit=10), worker="w")
    sizes = [len(batch) for _, batch in recording.calls]
    assert sizes == [1, 1, 1]
    assert "第2条" in recording.calls[2][1][0].text and "第4条" in recording.calls[2][1][0].text
    assert set(Delivery.objects.values_list("state", flat=True)) == {State.DELIVERED}


def test_status_counts_each_recipient_once(world, adapter):
    message = sms_message(world)
    Recipient.objects.create(message=message, label="无电话", unreachable=True)
    ids = delivery.claim("sms", worker="w", limit=2)
    delivery.send_claimed("sms", ids, worker="w")
    reference = Attempt.objects.get().reference
    sent = Delivery.objects.filter(pk__in=ids).select_related("recipient")
    receipts_record([ReceiptIn(reference, sent[0].recipient.phone, "DELIVERED", True, None)])
    Recipient.objects.filter(pk=sent[0].recipient_id).update(acknowledged_at=timezone.now())
    status = message_status(message)
    assert status.as_dict() == {
        "recipients": 5,
        "sent": 1,
        "delivered": 1,
        "failed": 1,
        "acknowledged": 1,
        "pending": 2,
    }
