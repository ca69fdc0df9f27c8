"""A message from compose to receipt: the audience frozen at send time, the CLI's JSON lines, the
SMS going out through the fake gateway over real HTTP and its receipts coming back through the
webhook, scheduling and cancelling, the daily cap, and the group message of the ladder."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.notify import workers
from wangge.notify.audience import audience_parse
from wangge.notify.models import Delivery, Message, MessageKind, Recipient, Robot
from wangge.notify.selectors import message_status
from wangge.notify.services import (
    NotifyError,
    message_cancel,
    message_create,
    message_send,
    messages_due_send,
    robot_message_send,
)
from wangge.notify.tests.conftest import wait_for

pytestmark = pytest.mark.django_db


def draft(world, by=None, value="东社区", **fields):
    audience = audience_parse("community", value, by=by)
    defaults = {"channels": ["sms"], "text": "{称呼}您好，今晚8点核酸检测"}
    return message_create(by=by, origin=Origin.SYSTEM, audience=audience, **defaults | fields)


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_the_audience_is_frozen_when_sent_and_a_later_move_does_not_change_it(world):
    message = draft(world, by=world.users["carol"])
    assert message.status == Message.Status.DRAFT and message.community == world.east
    message = message_send(message, by=world.users["carol"], origin=Origin.SYSTEM)
    frozen = set(Recipient.objects.filter(message=message).values_list("person", flat=True))
    assert frozen == {world.persons[k].pk for k in ("zhang_san", "li_si", "wang_wu")}
    assert Delivery.objects.filter(message=message, state=Delivery.State.QUEUED).count() == 3
    # a resident moving into the community later was not meant
    world.persons["zhao_liu"].household = world.households["a"]
    world.persons["zhao_liu"].save()
    assert Recipient.objects.filter(message=message).count() == 3
    assert message.status == Message.Status.SENDING and message.frozen_at is not None


def test_a_grid_worker_cannot_send_a_message_of_the_community(world):
    message = draft(world, by=world.users["carol"])
    with pytest.raises(NotifyError):
        message_send(message, by=world.users["gavin"], origin=Origin.SYSTEM)


def test_a_doctor_may_not_send_messages(world):
    audience = audience_parse("street", "江南街道", by=None)
    with pytest.raises(NotifyError):
        message_create(
            by=world.users["dora"],
            origin=Origin.SYSTEM,
            audience=audience,
            channels=["sms"],
            text="通知",
        )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"channels": ["fax"]}, "fax"),
        ({"text": "  "}, "no text"),
        ({"text": "您好{名字}"}, "名字"),
        ({"mention_after_minutes": 10, "call_after_minutes": 5}, "call list"),
    ],
)
def test_a_message_that_cannot_be_sent_says_why(world, fields, words):
    with pytest.raises(NotifyError, match=words):
        draft(world, **fields)


def test_a_scheduled_message_waits_for_its_time_and_can_be_cancelled(world):
    later = timezone.now() + timedelta(hours=2)
    message = message_send(
        draft(world, send_at=later), by=world.users["alice"], origin=Origin.SYSTEM
    )
    assert message.status == Message.Status.SCHEDULED
    assert not Recipient.objects.filter(message=message).exists()
    assert messages_due_send(now=timezone.now()) == []
    assert messages_due_send(now=later + timedelta(seconds=1)) == [message.pk]
    assert Recipient.objects.filter(message=message).count() == 3

    other = message_send(draft(world, send_at=later), by=None, origin=Origin.SYSTEM)
    message_cancel(other, by=world.users["alice"], origin=Origin.SYSTEM)
    assert messages_due_send(now=later + timedelta(seconds=1)) == []
    with pytest.raises(NotifyError, match="cannot be cancelled"):
        message_cancel(message, by=world.users["alice"], origin=Origin.SYSTEM)
    assert AuditEntry.objects.filter(target_type="notify.message").count() >= 4


def test_the_daily_cap_stops_non_emergency_sms_but_never_an_emergency(world, settings):
    settings.WANGGE = {**settings.WANGGE, "NOTIFY_DAILY_CAP_PER_NUMBER": 1}
    message_send(draft(world), by=None, origin=Origin.SYSTEM)
    second = message_send(draft(world), by=None, origin=Origin.SYSTEM)
    capped = Delivery.objects.filter(message=second)
    assert set(capped.values_list("error_code", flat=True)) == {"daily_cap"}
    assert Message.objects.get(pk=second.pk).status == Message.Status.SENT
    urgent = message_send(draft(world, kind=MessageKind.EMERGENCY), by=None, origin=Origin.SYSTEM)
    assert set(Delivery.objects.filter(message=urgent).values_list("state", flat=True)) == {
        Delivery.State.QUEUED
    }


def test_the_ladders_group_message_goes_to_the_grids_robots_with_the_mentions(world):
    assert (
        robot_message_send(grid=world.grid_b, text="x", mentions=[], origin=Origin.SYSTEM) is None
    )
    robot = Robot(grid=world.grid_a, kind=Robot.Kind.DINGTALK, name="第一网格群")
    robot.set_token("T")
    robot.save()
    message = robot_message_send(
        grid=world.grid_a, text="3幢101 未收到", mentions=["13800138000"], origin=Origin.SYSTEM
    )
    assert message is not None and message.kind == MessageKind.ESCALATION
    recipient = Recipient.objects.get(message=message)
    assert recipient.robot == robot and recipient.variables["mentions"] == ["13800138000"]
    assert Delivery.objects.get(recipient=recipient).channel == "dingtalk"


def test_notify_send_prints_its_json_line_and_notify_status_counts(world):
    out = StringIO()
    call_command(
        "notify_send",
        "--audience",
        "grid:东社区/第一网格",
        "--channel",
        "sms",
        "--text",
        "今晚核酸",
        stdout=out,
    )
    sent = last_json(out.getvalue())
    assert list(sent) == ["message", "recipients", "unreachable"]
    assert sent["recipients"] == Recipient.objects.filter(message=sent["message"]).count() >= 1
    out = StringIO()
    call_command("notify_status", str(sent["message"]), stdout=out)
    status = last_json(out.getvalue())
    assert list(status) == ["recipients", "sent", "delivered", "failed", "acknowledged", "pending"]
    assert status["recipients"] == sent["recipients"] == status["pending"] + status["failed"]


def test_notify_send_with_an_ambiguous_path_exits_2_and_lists_the_candidates(world):
    from wangge.regions.models import Grid

    Grid.objects.create(community=world.west, name="第一网格")
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "notify_send",
            "--audience",
            "grid:第一网格",
            "--channel",
            "sms",
            "--text",
            "x",
            stderr=err,
        )
    assert raised.value.returncode == 2
    assert "东社区/第一网格" in err.getvalue() and "西社区/第一网格" in err.getvalue()
    assert not Message.objects.exists()


def test_notify_status_of_no_message_exits_2(world):
    with pytest.raises(CommandError) as raised:
        call_command("notify_status", "999")
    assert raised.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_an_sms_goes_out_through_the_gateway_and_its_receipts_come_back(
    world, settings, fake_gateway, live_server
):
    token = settings.WANGGE["SMS_RECEIPT_TOKEN"]
    receipts = live_server.url + reverse("notify:receipts", args=[token])
    running = fake_gateway("--receipt-url", receipts, "--duplicate-receipts")
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_URL": f"{running.url}/sms",
        "SMS_ACCESS_KEY_SECRET": "s3cret",
    }
    message = message_send(draft(world), by=None, origin=Origin.SYSTEM)

    assert workers.drain("sms", worker="test") == 3

    def delivered() -> bool:
        return message_status(message).delivered == 3

    assert wait_for(delivered, 15)
    logged = [line["to"] for line in running.lines()]
    assert sorted(logged) == sorted(
        world.persons[k].phone for k in ("zhang_san", "li_si", "wang_wu")
    )
    assert {line["text"] for line in running.lines()} >= {"张先生您好，今晚8点核酸检测"}
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT


def test_the_receipt_webhook_wants_its_token_and_a_json_array(client, settings, world):
    good = reverse("notify:receipts", args=[settings.WANGGE["SMS_RECEIPT_TOKEN"]])
    wrong = reverse("notify:receipts", args=["guess"])
    body = json.dumps([{"phone_number": "13800001111", "success": True, "out_id": "r1"}])
    assert client.post(wrong, body, content_type="application/json").status_code == 404
    assert client.post(good, "{not json", content_type="application/json").status_code == 400
    answer = client.post(good, body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["code"] == 0
    assert client.post(good, body, content_type="application/json").status_code == 200
