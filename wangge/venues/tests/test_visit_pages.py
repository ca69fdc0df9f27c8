"""The public venue-code page (no account, CSRF on, nothing about anyone else) and a venue's
visits page for its staff (scoped like the register)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from wangge.checkpoints.services import personal_codes_issue
from wangge.core.origin import client_address
from wangge.people.models import Person
from wangge.venues.models import Venue, VenueStaff, Visit
from wangge.venues.services.visits import VisitInput, visit_record
from wangge.venues.tests.visiting import NOON, code_of, venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def csrf_client(url: str) -> tuple[Client, str]:
    """A visitor's browser that enforces CSRF, after opening the page: (client, form token)."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    return client, page.context["csrf_token"]


def test_a_visitor_records_a_visit_with_a_phone_and_sees_a_large_confirmation(world, clock):
    place = venue(world, "老街面馆")
    url = reverse("venues:visit", args=[code_of(place)])
    client, token = csrf_client(url)

    refused = client.post(url, {"phone": "13800138000"})
    done = client.post(url, {"phone": "13800138000", "csrfmiddlewaretoken": token})

    assert refused.status_code == 403  # no CSRF token, no visit
    page = done.content.decode()
    assert done.status_code == 200 and 'data-testid="visit-done"' in page
    assert "老街面馆" in page and "12:00" in page and "2026-12-07" in page
    assert "138****8000" in page and "13800138000" not in page
    assert Visit.objects.count() == 1
    assert "<script>" not in page


def test_the_page_shows_nothing_about_anyone_else(world, clock):
    place = venue(world, "老街面馆")
    visit_record(data=VisitInput(token=code_of(place), phone="13966667777", address="10.0.0.9"))
    url = reverse("venues:visit", args=[code_of(place)])

    form = Client().get(url).content.decode()
    done = Client().post(url, {"phone": "13800138000"}).content.decode()

    for page in (form, done):
        for private in (
            "13966667777",
            "139****7777",
            "7777",
            "钱老板",
            "13511112222",
            "135****2222",
        ):
            assert private not in page


def test_a_personal_code_visit_shows_the_masked_name(world, clock):
    place = venue(world, "老街面馆")
    personal_codes_issue(by=world.users["alice"], persons=[world.persons["zhang_san"]])
    from wangge.checkpoints import tokens

    code = world.persons["zhang_san"].personal_code
    text = tokens.payload(tokens.PERSON, code.token_sealed)

    done = Client().post(reverse("venues:visit", args=[code_of(place)]), {"personal_code": text})

    assert done.status_code == 200 and "张*" in done.content.decode()
    assert Visit.objects.get().person == world.persons["zhang_san"]


def test_an_unknown_token_answers_a_friendly_404(world, clock):
    place = venue(world, "老街面馆")
    for method in ("get", "post"):
        answer = getattr(Client(), method)(
            reverse("venues:visit", args=["no-such-code"]), {"phone": "13800138000"}
        )
        assert answer.status_code == 404 and "此场所码无效或已更换" in answer.content.decode()
    long = Client().get(reverse("venues:visit", args=["x" * 300]))
    assert long.status_code == 404
    assert not Visit.objects.filter(venue=place).exists()


def test_an_unreadable_phone_answers_422_with_the_form_again(world, clock):
    place = venue(world, "老街面馆")

    answer = Client().post(reverse("venues:visit", args=[code_of(place)]), {"phone": "abc"})

    assert answer.status_code == 422 and 'data-testid="visit-errors"' in answer.content.decode()
    assert not Visit.objects.exists()


def test_too_many_posts_from_one_address_answer_429_bilingually(world, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "VISIT_PER_ADDRESS_PER_MINUTE": 1}
    place = venue(world, "老街面馆")
    url = reverse("venues:visit", args=[code_of(place)])
    Client().post(url, {"phone": "13800000001"})

    answer = Client().post(url, {"phone": "13800000002"})

    assert answer.status_code == 429
    assert (
        "提交过于频繁" in answer.content.decode() and "too many visits" in answer.content.decode()
    )


def test_a_suspended_venue_records_the_visit_and_says_it_is_suspended(world, clock):
    place = venue(world, "老街面馆")
    Venue.objects.filter(pk=place.pk).update(status="red")
    url = reverse("venues:visit", args=[code_of(place)])

    form = Client().get(url)
    done = Client().post(url, {"phone": "13800138000"})

    assert 'data-testid="suspended"' in form.content.decode()
    assert done.status_code == 200 and "红牌停业整顿" in done.content.decode()
    assert Visit.objects.count() == 1


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(rf, settings):
    settings.WANGGE = {**settings.WANGGE, "TRUSTED_PROXIES": ("127.0.0.1",)}
    proxied = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7")
    forged = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="10.0.0.7")
    garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")

    assert client_address(proxied) == "10.0.0.7"
    assert client_address(forged) == "10.9.9.9"
    assert client_address(garbage) == "127.0.0.1"


def test_the_venue_page_shows_visits_per_hour_and_the_staff_codes(world, clock):
    place = venue(world, "老街面馆")
    zhang = world.persons["zhang_san"]
    personal_codes_issue(by=world.users["alice"], persons=[zhang])
    VenueStaff.objects.create(venue=place, person=zhang, name="张三", role="厨师")
    VenueStaff.objects.create(venue=place, name="外来工", role="服务员")
    for minutes, phone in ((-70, "13800000001"), (0, "13800000002"), (5, "13800000003")):
        visit_record(
            data=VisitInput(token=code_of(place), phone=phone),
            now=NOON + timedelta(minutes=minutes),
        )
    gavin = Client()
    gavin.force_login(world.users["gavin"])
    bella = Client()
    bella.force_login(world.users["bella"])

    page = gavin.get(reverse("venues:visits", args=[place.pk]))

    text = page.content.decode()
    hours = {row.hour: row.visits for row in page.context["hours"]}
    assert (
        page.status_code == 200 and hours[10] == 1 and hours[12] == 2 and sum(hours.values()) == 3
    )
    staff = {row.name: row for row in page.context["staff"]}
    assert staff["张*"].code == "active" and staff["张*"].household_colour == "white"
    assert not staff["外**"].linked
    assert "张三" not in text and Person.objects.get(pk=zhang.pk).id_number_masked not in text
    assert bella.get(reverse("venues:visits", args=[place.pk])).status_code == 404
