"""The preview: counts per channel, the unreachable and the phoneless, the SMS length and parts
of the longest rendering (signature included), and the numbers a daily cap would hold back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wangge.notify.audience import audience_parse
from wangge.notify.models import Delivery, Message, MessageKind, Recipient
from wangge.notify.preview import preview

TEXT = "{称呼}您好，{户}今晚核酸，收到请点{链接}"


@pytest.fixture
def signed(settings):
    settings.WANGGE = {
        **settings.WANGGE,
        "SMS_SIGN_NAME": "江南街道",
        "SITE_URL": "https://wg.example",
        "NOTIFY_DAILY_CAP_PER_NUMBER": 2,
    }


def sent_today(places, person, count, *, days_ago=0, state=Delivery.State.SENT):
    message = Message.objects.create(
        street=places.world.street, text="旧通知", audience_kind="street"
    )
    for _ in range(count):
        recipient = Recipient.objects.create(
            message=message, person=person, phone_hash=person.phone_hash
        )
        Delivery.objects.create(
            message=message,
            recipient=recipient,
            channel="sms",
            state=state,
            due_at=timezone.now() - timedelta(days=days_ago),
        )


def test_a_preview_counts_each_channel_and_who_cannot_be_reached(places, signed):
    # given the street (9 living persons, 2 without a phone; grid A has a DingTalk robot)
    audience = audience_parse("street", "", by=None)

    # when
    seen = preview(audience, ["sms", "dingtalk"], MessageKind.NOTICE, TEXT)

    # then 4 grids: one robot, three without; 7 SMS; 2 persons and 3 grids unreachable
    assert seen.channels == {"sms": 7, "dingtalk": 1}
    assert (seen.recipients, seen.unreachable, seen.without_phone) == (9 + 5, 2 + 4, 2)
    assert seen.households == 7


def test_the_sms_length_is_the_longest_rendering_with_signature_and_link(places, signed):
    audience = audience_parse("street", "", by=None)
    seen = preview(audience, ["sms"], MessageKind.NOTICE, TEXT)
    longest = "张先生您好，阳光花园1幢1单元101室今晚核酸，收到请点https://wg.example/a/" + "x" * 22
    assert seen.sms_length == len(longest) + len("【江南街道】")
    assert seen.sms_segments == 2
    short = preview(audience, ["sms"], MessageKind.NOTICE, "今晚核酸")
    assert (short.sms_length, short.sms_segments) == (10, 1)


def test_numbers_already_sent_to_today_pass_the_cap_but_never_for_an_emergency(places, signed):
    # given the cap is 2 and Zhang San's number had 2 SMS today, Li Si's 1 today and 3 yesterday,
    # Wang Wu's 2 that failed
    w = places.world
    sent_today(places, w.persons["zhang_san"], 2)
    sent_today(places, w.persons["li_si"], 1)
    sent_today(places, w.persons["li_si"], 3, days_ago=1)
    sent_today(places, w.persons["wang_wu"], 2, state=Delivery.State.FAILED)
    audience = audience_parse("community", "东社区", by=None)

    # then only Zhang San's would be held back, and nobody's for an emergency
    notice = preview(audience, ["sms"], MessageKind.NOTICE, "通知")
    assert (notice.over_daily_cap, notice.daily_cap) == (1, 2)
    emergency = preview(audience, ["sms"], MessageKind.EMERGENCY, "通知")
    assert (emergency.over_daily_cap, emergency.daily_cap) == (0, None)


def test_a_preview_without_sms_has_no_length(places, signed):
    seen = preview(audience_parse("grid", "东社区/第一网格", by=None), ["dingtalk"], "notice", TEXT)
    assert (seen.sms_length, seen.sms_segments, seen.channels) == (0, 0, {"dingtalk": 1})
