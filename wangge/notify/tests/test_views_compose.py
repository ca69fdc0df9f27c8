"""Compose: the form offers what the user may address; the preview counts the recipients per
channel, those without a phone, the SMS length and parts and those over the daily cap; sending
makes and freezes the message; an audience outside the user's area, a bad placeholder or a role
that may not send ends with a clear message, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.notify import workers
from wangge.notify.models import Delivery, Message, Template

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def woken(monkeypatch) -> list[list[str]]:
    """The workers are not started: the channels they would be woken for."""
    calls: list[list[str]] = []
    monkeypatch.setattr(workers, "wake", lambda channels: calls.append(list(channels)))
    return calls


def client_of(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def form(**given: object) -> dict[str, object]:
    return {
        "audience_kind": "street",
        "audience_value": "江南街道",
        "channels": ["sms"],
        "kind": "notice",
        "title": "核酸通知",
        "text": "{称呼}，请今天到小区门口做核酸。",
        "mention_after_minutes": 5,
        "call_after_minutes": 10,
        **given,
    }


def test_the_form_offers_the_users_grids_templates_and_variables(world) -> None:
    Template.objects.create(
        street=world.street, name="核酸", kind="notice", text="{称呼}，请做核酸"
    )

    page = client_of(world, "gavin").get(reverse("notify:compose"))

    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="东社区/第一网格"' in body
    assert 'value="西社区/第四网格"' not in body
    assert 'data-text="{称呼}，请做核酸"' in body
    assert 'data-insert="{链接}"' in body
    assert "notify/compose.js" in body
    assert offences(body) == []


def test_the_preview_counts_recipients_phones_and_sms_parts(world) -> None:
    world.persons["li_si"].phone_sealed = world.persons["li_si"].phone_hash = ""
    world.persons["li_si"].save()

    page = client_of(world, "alice").post(
        reverse("notify:compose_preview"), form(text="通" * 80), HTTP_HX_REQUEST="true"
    )

    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="preview-recipients">4<' in body
    assert 'data-testid="preview-channel-sms">3<' in body
    assert 'data-testid="preview-without-phone">1<' in body
    assert "2 条" in body  # 80 characters: two parts of 67
    assert 'data-testid="preview-over-cap">0<' in body


def test_the_preview_of_an_area_the_user_does_not_hold_says_why(world) -> None:
    page = client_of(world, "gavin").post(
        reverse("notify:compose_preview"),
        form(audience_kind="grid", audience_value="西社区/第四网格"),
    )

    assert page.status_code == 200
    assert 'data-testid="preview-error"' in page.content.decode()


def test_sending_freezes_the_audience_and_opens_the_message_page(world, woken) -> None:
    response = client_of(world, "alice").post(reverse("notify:compose"), form())

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notify:message", args=[message.pk])
    assert message.status == Message.Status.SENDING
    assert message.recipients_count == 4
    assert Delivery.objects.filter(message=message, channel="sms").count() == 4
    assert woken == [["sms"]]


def test_a_grid_worker_cannot_send_to_another_grid(world) -> None:
    response = client_of(world, "gavin").post(
        reverse("notify:compose"), form(audience_kind="grid", audience_value="西社区/第四网格")
    )

    assert response.status_code == 422
    assert 'data-testid="error-audience_value"' in response.content.decode()
    assert not Message.objects.exists()


def test_an_unknown_placeholder_is_refused_in_the_form(world) -> None:
    response = client_of(world, "alice").post(reverse("notify:compose"), form(text="{地址}你好"))

    assert response.status_code == 422
    assert "地址" in response.content.decode()
    assert not Message.objects.exists()


def test_a_later_time_schedules_the_message_and_it_can_be_cancelled(world, woken) -> None:
    alice = client_of(world, "alice")

    alice.post(reverse("notify:compose"), form(send_at="2099-01-01T08:00"))
    message = Message.objects.get()
    page = alice.get(reverse("notify:message", args=[message.pk])).content.decode()
    cancelled = alice.post(reverse("notify:message_cancel", args=[message.pk]))

    assert 'data-testid="cancel"' in page
    assert cancelled.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.CANCELLED
    assert woken == []


def test_a_doctor_may_not_compose(world) -> None:
    assert client_of(world, "dora").get(reverse("notify:compose")).status_code == 403
