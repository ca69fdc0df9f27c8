"""The message list and page: scoped (a grid worker sees messages of their grid, and a street's
message for their own households only), status and channel counts, figures, households' states,
recipients masked, polling while sending; the person's and household's logs and the opt-out."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.core.models import AuditEntry
from wangge.notify.models import Message, OptOut, Recipient
from wangge.notify.tests.sent import delivery_of, recipient_of, sent_message

pytestmark = pytest.mark.django_db


def client_of(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


@pytest.fixture
def street_message(world) -> Message:
    """A street's message: Zhang San (grid A) delivered and acknowledged, Wang Wu (grid B) failed."""
    message = sent_message(world, status=Message.Status.SENDING)
    zhang = recipient_of(message, world.persons["zhang_san"])
    delivery_of(zhang, "delivered")
    zhang.acknowledged_at = message.frozen_at
    zhang.save()
    delivery_of(recipient_of(message, world.persons["wang_wu"]), "failed")
    return message


@pytest.fixture
def grid_message(world) -> Message:
    """A message of grid A only."""
    return sent_message(
        world, community=world.east, grid=world.grid_a, title="一网格通知", audience_kind="grid"
    )


def test_the_message_page_shows_counts_figures_households_and_masked_recipients(
    world, street_message
) -> None:
    page = client_of(world, "alice").get(reverse("notify:message", args=[street_message.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="count-recipients">2<' in body
    assert 'data-testid="count-delivered">1<' in body
    assert 'data-testid="count-failed">1<' in body
    assert 'data-testid="count-acknowledged">1<' in body
    assert 'data-testid="households-acknowledged">1<' in body
    assert 'data-testid="households-failed">1<' in body
    assert "张*" in body and "张三" not in body
    assert world.persons["zhang_san"].phone not in body
    assert 'hx-trigger="every 3s"' in body  # still sending: the page follows
    assert reverse("notify:message_calls", args=[street_message.pk]) in body
    assert offences(body) == []


def test_a_grid_worker_sees_their_grids_message_and_their_own_recipients_only(
    world, street_message, grid_message
) -> None:
    gavin, bella = client_of(world, "gavin"), client_of(world, "bella")

    gavin_list = gavin.get(reverse("notify:messages")).content.decode()
    bella_list = bella.get(reverse("notify:messages")).content.decode()
    bella_page = bella.get(reverse("notify:message", args=[street_message.pk])).content.decode()

    assert "一网格通知" in gavin_list and "一网格通知" not in bella_list
    assert bella.get(reverse("notify:message", args=[grid_message.pk])).status_code == 404
    assert "王*" in bella_page and "张*" not in bella_page


def test_the_list_filters_by_status_and_kind(world, street_message, grid_message) -> None:
    alice = client_of(world, "alice")

    sending = alice.get(reverse("notify:messages"), {"status": "sending"}).content.decode()
    notices = alice.get(reverse("notify:messages"), {"kind": "notice"}).content.decode()

    assert sending.count('data-testid="message-row"') == 1
    assert notices.count('data-testid="message-row"') == 0


def test_the_person_log_lists_messages_and_records_an_opt_out(world, street_message) -> None:
    carol = client_of(world, "carol")
    zhang = world.persons["zhang_san"]
    url = reverse("notify:person_log", args=[zhang.pk])

    page = carol.get(url).content.decode()
    saved = carol.post(url, {"kind": "notice", "on": "1"})
    refused = carol.post(url, {"kind": "emergency", "on": "1"})

    assert page.count('data-testid="log-row"') == 1
    assert "核酸检测通知" in page
    assert saved.status_code == 302
    assert refused.status_code == 422
    assert list(OptOut.objects.values_list("person", "kind")) == [(zhang.pk, "notice")]
    assert AuditEntry.objects.filter(target_id=str(zhang.pk), reason__contains="退订").exists()
    assert offences(page) == []


def test_the_logs_are_scoped_by_the_persons_and_households_own_area(world, street_message) -> None:
    bella = client_of(world, "bella")

    person = bella.get(reverse("notify:person_log", args=[world.persons["zhang_san"].pk]))
    household = bella.get(reverse("notify:household_log", args=[world.households["a"].pk]))
    own = bella.get(reverse("notify:household_log", args=[world.households["b"].pk]))

    assert person.status_code == household.status_code == 404
    assert own.status_code == 200
    assert own.content.decode().count('data-testid="log-row"') == 1


def test_the_grid_workers_home_counts_the_households_to_call(world, street_message) -> None:
    Recipient.objects.filter(message=street_message).update(call_listed_at=street_message.frozen_at)
    Recipient.objects.filter(person=world.persons["zhang_san"]).update(acknowledged_at=None)

    body = client_of(world, "gavin").get(reverse("front:home")).content.decode()

    assert "待拨电话 (1)" in body
