"""规则设置: the street's dated card rules and its disinfection requirements, set on a page by the
street's staff; a rule in force is history and stays as it was."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wangge.core.models import AuditEntry
from wangge.venues.models import CardRules, DisinfectionRule, PlaceKind, Requirement
from wangge.venues.services.cards import rules_on
from wangge.venues.services.rules import card_rules_set, disinfection_rule_save

TODAY = date(2026, 12, 7)
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def today():
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):
        yield


def test_new_rules_take_effect_from_their_day_and_the_past_keeps_its_own(world):
    card_rules_set(
        by=world.users["alice"],
        street=world.street,
        valid_from=TODAY + timedelta(days=2),
        yellow_days=5,
        repeat_days=14,
    )
    assert rules_on(world.street.pk, TODAY + timedelta(days=1)).yellow_days == 3
    assert rules_on(world.street.pk, TODAY + timedelta(days=2)).yellow_days == 5
    assert rules_on(world.street.pk, TODAY + timedelta(days=2)).repeat_days == 14


def test_a_day_already_in_force_cannot_be_set_again(world):
    with pytest.raises(ValidationError) as error:
        card_rules_set(
            by=world.users["alice"],
            street=world.street,
            valid_from=TODAY - timedelta(days=1),
            yellow_days=5,
            repeat_days=30,
        )
    assert "valid_from" in error.value.message_dict
    assert not CardRules.objects.exists()


def test_a_future_day_set_twice_is_changed_not_doubled(world):
    for days in (4, 6):
        card_rules_set(
            by=world.users["alice"],
            street=world.street,
            valid_from=TODAY,
            yellow_days=days,
            repeat_days=30,
        )
    assert list(CardRules.objects.values_list("yellow_days", flat=True)) == [6]
    assert AuditEntry.objects.filter(action="venue.card_rules").count() == 2


@pytest.mark.parametrize("yellow_days, repeat_days", [(0, 30), (31, 30), (3, 0), (3, 366)])
def test_periods_out_of_range_are_refused(world, yellow_days, repeat_days):
    with pytest.raises(ValidationError):
        card_rules_set(
            by=world.users["alice"],
            street=world.street,
            valid_from=TODAY,
            yellow_days=yellow_days,
            repeat_days=repeat_days,
        )


@pytest.mark.parametrize("username", ["carol", "gavin", "kim"])
def test_only_the_streets_staff_set_its_rules(world, username):
    with pytest.raises(PermissionDenied):
        card_rules_set(
            by=world.users[username],
            street=world.street,
            valid_from=TODAY,
            yellow_days=3,
            repeat_days=30,
        )
    with pytest.raises(PermissionDenied):
        disinfection_rule_save(
            by=world.users[username],
            street=world.street,
            requirement=Requirement.ISOLATION_ELEVATOR,
            place=PlaceKind.ELEVATOR,
            times_per_day=3,
            alert_hour=17,
            active=True,
        )


def test_a_disinfection_requirement_is_created_then_changed(world):
    common = {
        "by": world.users["alice"],
        "street": world.street,
        "requirement": Requirement.ISOLATION_ELEVATOR,
        "place": PlaceKind.ELEVATOR,
    }
    disinfection_rule_save(**common, times_per_day=2, alert_hour=18, active=True)
    disinfection_rule_save(**common, times_per_day=3, alert_hour=16, active=False)
    rule = DisinfectionRule.objects.get()
    assert (rule.times_per_day, rule.alert_hour, rule.active) == (3, 16, False)
    with pytest.raises(ValidationError):
        disinfection_rule_save(**common, times_per_day=3, alert_hour=24, active=True)
    with pytest.raises(ValidationError):
        disinfection_rule_save(
            **{**common, "place": "roof"}, times_per_day=3, alert_hour=16, active=True
        )


def test_the_page_saves_both_forms_and_answers_bad_input_with_its_errors(world, client):
    client.force_login(world.users["alice"])
    url = reverse("venues:rules")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "op": "card",
            "street": world.street.pk,
            "valid_from": "2026-12-09",
            "yellow_days": "5",
            "repeat_days": "20",
        },
    )
    assert response.status_code == 302
    assert CardRules.objects.get().yellow_days == 5
    response = client.post(
        url,
        {
            "op": "card",
            "street": world.street.pk,
            "valid_from": "2026-12-01",
            "yellow_days": "5",
            "repeat_days": "20",
        },
    )
    assert response.status_code == 422
    assert "生效日期不能早于今天" in response.content.decode()
    response = client.post(
        url,
        {
            "op": "disinfection",
            "street": world.street.pk,
            "requirement": Requirement.ISOLATION_ELEVATOR,
            "place": PlaceKind.ELEVATOR,
            "times_per_day": "3",
            "alert_hour": "17",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert DisinfectionRule.objects.get().times_per_day == 3
    page = client.get(url).content.decode()
    assert "2026-12-09" in page and "待生效" in page


def test_the_page_is_closed_to_staff_below_the_street(world, client):
    client.force_login(world.users["carol"])
    assert client.get(reverse("venues:rules")).status_code == 403
