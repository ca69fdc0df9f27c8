"""The "已收到" link: signed per recipient, cannot be forged or moved to another recipient, a
second use keeps the first time, opening it changes nothing, and the page shows nothing personal."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.test_no_inline_script import offences
from wangge.core.models import AuditEntry
from wangge.notify.acks import ack_link, ack_token, recipient_for_token
from wangge.notify.models import Message
from wangge.notify.tests.sent import FROZEN, recipient_of, sent_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(world):
    return recipient_of(sent_message(world), world.persons["zhang_san"])


def _url(token: str) -> str:
    return reverse("notify:ack", args=[token])


def test_a_token_names_its_recipient_and_the_link_is_short_enough_for_an_sms(zhang, settings):
    settings.WANGGE = {**settings.WANGGE, "SITE_URL": "https://wg.example.cn"}
    token = ack_token(zhang.pk)
    assert recipient_for_token(token) == zhang
    assert ack_link(zhang) == f"https://wg.example.cn/a/{token}"
    assert len(token) <= 16 and _url(token) == f"/a/{token}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.split(".")[0],
        lambda t: "zz." + t.split(".")[1],
        lambda t: "../" + t,
        lambda t: "",
    ],
)
def test_a_forged_or_altered_token_names_nobody(zhang, forge):
    assert recipient_for_token(forge(ack_token(zhang.pk))) is None


def test_a_token_made_under_another_key_names_nobody_unless_that_key_is_a_fallback(zhang, settings):
    # given a link made under the key in use, then a new key
    old_key, old = settings.SECRET_KEY, ack_token(zhang.pk)
    settings.SECRET_KEY = "a-new-key-" + "x" * 50

    # then the link works again only while the old key is a fallback
    assert recipient_for_token(old) is None
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert recipient_for_token(old) == zhang


def test_a_token_cannot_be_moved_to_another_recipient(world, zhang):
    # given Li Si, another recipient of the same message
    li = recipient_of(zhang.message, world.persons["li_si"])

    # when Zhang San's MAC is put after Li Si's id
    moved = f"{ack_token(li.pk).split('.')[0]}.{ack_token(zhang.pk).split('.')[1]}"

    # then it names nobody, and the page answers 404 with the same page shape
    assert recipient_for_token(moved) is None
    response = Client().post(_url(moved))
    assert response.status_code == 404
    assert b'data-testid="ack-page"' in response.content
    assert b'data-testid="ack-invalid"' in response.content
    li.refresh_from_db()
    assert li.acknowledged_at is None


def test_opening_the_link_does_not_acknowledge_as_link_scanners_open_links(zhang):
    # when a scanner (or the resident) opens the link, twice
    for _ in range(2):
        response = Client().get(_url(ack_token(zhang.pk)))
        assert response.status_code == 200
        assert b'data-testid="ack-button"' in response.content

    # then nothing is recorded
    zhang.refresh_from_db()
    assert zhang.acknowledged_at is None
    assert not AuditEntry.objects.filter(action="notify.acknowledge").exists()


def test_the_button_acknowledges_without_an_account_and_a_replay_keeps_the_first_time(zhang):
    url = _url(ack_token(zhang.pk))
    with time_machine.travel(FROZEN + timedelta(minutes=3), tick=False):
        first = Client(REMOTE_ADDR="10.1.2.3").post(url)
    with time_machine.travel(FROZEN + timedelta(minutes=30), tick=False):
        second = Client().post(url)

    assert first.status_code == second.status_code == 200
    assert b'data-testid="ack-done"' in second.content
    zhang.refresh_from_db()
    assert zhang.acknowledged_at == FROZEN + timedelta(minutes=3)
    entry = AuditEntry.objects.get(action="notify.acknowledge")
    assert entry.ip == "10.1.2.3" and entry.actor is None


def test_the_post_needs_the_csrf_cookie_the_page_sets(zhang):
    # given a phone's browser with CSRF checks on
    browser = Client(enforce_csrf_checks=True)
    url = _url(ack_token(zhang.pk))

    # when it posts without having opened the page, then after opening it
    blind = browser.post(url)
    browser.get(url)
    posted = browser.post(url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})

    # then only the second is accepted
    assert blind.status_code == 403
    assert posted.status_code == 200
    zhang.refresh_from_db()
    assert zhang.acknowledged_at is not None


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        (
            {"status": Message.Status.CANCELLED},
            "该通知已撤回，无需确认 / this message was withdrawn",
        ),
        ({"ack": False}, "该通知无需确认 / this message asks for no acknowledgement"),
    ],
)
def test_a_cancelled_message_or_one_without_acknowledgement_is_refused_clearly(world, fields, said):
    recipient = recipient_of(sent_message(world, **fields), world.persons["zhang_san"])
    url = _url(ack_token(recipient.pk))

    shown, refused = Client().get(url), Client().post(url)

    assert said in shown.content.decode() and b"ack-button" not in shown.content
    assert refused.status_code == 409 and said in refused.content.decode()
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is None


def test_the_page_shows_the_title_kind_and_street_and_nothing_personal(world, zhang):
    # given a message whose text greets by surname, to Zhang San of 阳光花园1幢1单元101室
    person, household = world.persons["zhang_san"], world.households["a"]
    url = _url(ack_token(zhang.pk))

    # when the page is opened and the button pressed
    pages = [Client().get(url).content.decode(), Client().post(url).content.decode()]

    # then both show the title, the kind and the street, and no name, address, phone or text
    for page in pages:
        assert "核酸检测通知" in page and "紧急通知" in page and "江南街道" in page
        for personal in [
            person.name,
            "张先生",
            str(household),
            household.dwelling_label,
            "阳光花园",
            person.phone,
            person.phone_masked,
            "请今天到小区门口",
        ]:
            assert personal not in page, personal
        assert offences(page) == []
