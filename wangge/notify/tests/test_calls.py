"""The call list: a grid worker sees the households of their own grids only, grouped by building,
with masked names; the call button reveals the frozen phone and the reveal is audited; the mark
"reached by phone" and its note are recorded and audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.core.models import AuditEntry
from wangge.notify.calls import CALL_REASON, call_phone_reveal, call_record
from wangge.notify.escalation import escalation_run
from wangge.notify.models import Recipient
from wangge.notify.tests.sent import FROZEN, Group, at, delivery_of, recipient_of, sent_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    """A message nobody got: Zhang San (grid A), Wang Wu (grid B) and Zhao Liu (grid D) are on
    the call list ten minutes after the freeze."""
    message = sent_message(world)
    for key in ("zhang_san", "wang_wu", "zhao_liu"):
        delivery_of(recipient_of(message, world.persons[key]), "failed")
    escalation_run(now=at(10), send_to_grid=Group())
    return message


def _client(world, username: str) -> Client:
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.force_login(world.users[username])
    return client


def _recipient(world, key: str) -> Recipient:
    return Recipient.objects.get(person=world.persons[key])


def test_the_grid_worker_sees_their_households_by_building_with_masked_names(world, listed):
    page = _client(world, "gavin").get(reverse("notify:message_calls", args=[listed.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    assert str(world.households["a"].building) in body
    assert world.households["a"].dwelling_label in body
    assert "张*" in body and "张三" not in body
    assert world.persons["zhang_san"].phone_masked in body
    assert world.persons["zhang_san"].phone not in body
    assert "名单 1 户，已联系上 0 户" in body
    assert offences(body) == []


def test_a_grid_worker_cannot_see_another_grids_call_list(world, listed):
    bella = _client(world, "bella")
    zhang = _recipient(world, "zhang_san")

    # when Bella (grid B) opens the message's list and the open calls, and tries Zhang San's row
    page = bella.get(reverse("notify:message_calls", args=[listed.pk])).content.decode()
    open_calls = bella.get(reverse("notify:calls")).content.decode()
    dial = bella.post(reverse("notify:call_dial", args=[zhang.pk]))
    mark = bella.post(reverse("notify:call_mark", args=[zhang.pk]), {"reached": "1"})

    # then she sees her own household only, and Zhang San's row does not exist for her
    for body in (page, open_calls):
        assert world.households["b"].dwelling_label in body
        assert str(world.households["a"].building) not in body
        assert str(world.households["d"].building) not in body
    assert dial.status_code == mark.status_code == 404
    zhang.refresh_from_db()
    assert zhang.called_at is None
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_a_message_with_no_recipient_in_the_users_grids_does_not_exist_for_them(world):
    message = sent_message(world)
    delivery_of(recipient_of(message, world.persons["zhao_liu"]), "failed")
    escalation_run(now=at(10), send_to_grid=Group())

    page = _client(world, "gavin").get(reverse("notify:message_calls", args=[message.pk]))

    assert page.status_code == 404


def test_the_call_button_reveals_the_phone_and_the_reveal_is_audited(world, listed):
    zhang = _recipient(world, "zhang_san")

    answer = _client(world, "gavin").post(
        reverse("notify:call_dial", args=[zhang.pk]), HTTP_HX_REQUEST="true"
    )

    assert answer.status_code == 200
    assert f'href="tel:{world.persons["zhang_san"].phone}"' in answer.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert entry.actor == world.users["gavin"] and entry.ip == "10.9.8.7"
    assert entry.target_type == "notify.recipient" and entry.target_id == str(zhang.pk)
    assert entry.reason == CALL_REASON and entry.changes == {"field": "phone"}
    assert "张三" not in entry.target_label


def test_only_a_user_allowed_to_reveal_gets_the_phone(world, listed):
    with pytest.raises(PermissionDenied):
        call_phone_reveal(recipient=_recipient(world, "zhang_san"), by=world.users["kim"])
    assert not AuditEntry.objects.filter(action="reveal").exists()


def test_marking_reached_by_phone_is_recorded_audited_and_counted(world, listed):
    gavin = _client(world, "gavin")
    zhang = _recipient(world, "zhang_san")

    # when Gavin marks Zhang San's household reached, with a note, through htmx
    row = gavin.post(
        reverse("notify:call_mark", args=[zhang.pk]),
        {"reached": "1", "note": "已告知，明早复查"},
        HTTP_HX_REQUEST="true",
    )

    # then the row says so, the call is recorded and audited, and the progress counts it
    assert row.status_code == 200 and 'data-testid="reached"' in row.content.decode()
    zhang.refresh_from_db()
    assert zhang.reached_by_phone and zhang.call_note == "已告知，明早复查"
    assert zhang.called_by == world.users["gavin"] and zhang.called_at is not None
    entry = AuditEntry.objects.get(action="notify.call")
    assert entry.changes["after"] == {"reached_by_phone": True, "call_note": "已告知，明早复查"}
    page = gavin.get(reverse("notify:message_calls", args=[listed.pk])).content.decode()
    assert "名单 1 户，已联系上 1 户" in page
    assert (
        world.households["a"].dwelling_label
        not in gavin.get(reverse("notify:calls")).content.decode()
    )


def test_a_note_too_long_is_refused_and_nothing_changes(world, listed):
    zhang = _recipient(world, "zhang_san")
    row = _client(world, "gavin").post(
        reverse("notify:call_mark", args=[zhang.pk]),
        {"reached": "1", "note": "长" * 201},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 422 and 'data-testid="call-error"' in row.content.decode()
    zhang.refresh_from_db()
    assert zhang.called_at is None


def test_a_user_who_may_not_edit_cannot_record_a_call(world, listed):
    zhang = _recipient(world, "zhang_san")
    with pytest.raises(PermissionDenied):
        call_record(recipient=zhang, by=world.users["tracy"], reached=True)
    row = _client(world, "tracy").post(
        reverse("notify:call_mark", args=[zhang.pk]), {"reached": "1"}, HTTP_HX_REQUEST="true"
    )
    assert row.status_code == 403
    zhang.refresh_from_db()
    assert zhang.called_at is None


def test_a_recipient_not_call_listed_has_no_row(world):
    message = sent_message(world)
    zhang = recipient_of(message, world.persons["zhang_san"])
    delivery_of(zhang, "sent", sent_at=FROZEN)
    answer = _client(world, "gavin").post(reverse("notify:call_mark", args=[zhang.pk]))
    assert answer.status_code == 404
