"""The demo street on day 6 of an outbreak (seeded once for the package, see conftest.py): every
demo role logs in and finds something to act on at home and in its main lists."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint, Scan
from wangge.command.models import Event, Task, TaskAssignment, VerificationList, VerificationRow
from wangge.demo.staff import DEMO_ACCOUNTS, DEMO_PASSWORD
from wangge.devices.models import Device, DeviceAlert
from wangge.measures.models import Case, CheckIn, CheckInSlot, PersonMeasure
from wangge.people.selectors import assigned_persons
from wangge.regions.choices import ColourReason
from wangge.regions.models import HouseholdColourChange, Zone
from wangge.testing import models as testing


def login(username: str) -> Client:
    """Sign in as the account demo_logins prints, with its published password."""
    user = User.objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD), username
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, name: str, *args: object, query: str = "") -> str:
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_the_outbreak_has_cases_zones_and_measures_of_several_types(street_db):
    cases = Case.objects.select_related("person__household")
    assert cases.count() == 3
    assert {case.person.household.colour for case in cases} == {"red"}
    assert set(Zone.objects.values_list("kind", flat=True)) == {"lockdown", "control", "prevention"}
    active = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE)
    traced = PersonMeasure.objects.filter(reason__endswith="流调确认").count()
    assert active.count() == 200 + traced  # the returnees and neighbours, and the traced contacts
    assert active.values("measure_type").distinct().count() >= 4


def test_checkins_are_done_missed_and_two_have_fever(street_db):
    statuses = set(CheckInSlot.objects.values_list("status", flat=True))
    assert {"done", "missed", "open"} <= statuses
    assert CheckIn.objects.filter(flagged=True, temperature__gte=37.3).count() == 2


def test_checkpoints_of_the_four_kinds_scan_and_refuse(street_db):
    kinds = set(Checkpoint.objects.values_list("kind", flat=True))
    assert {
        "unmanaged_courtyard",
        "work_unit_compound",
        "public_institution",
        "public_place",
    } <= kinds
    assert Scan.objects.filter(verdict="deny").exists()
    shifts = Scan.objects.exclude(client_id__startswith="demo-trace-")
    assert shifts.dates("scanned_at", "day").count() == 3
    assert Event.objects.filter(kind__code="checkpoint_fever").exists()


def test_todays_round_has_results_a_pooled_positive_in_review_and_untested(street_db):
    round = testing.NucleicRound.objects.get()
    results = testing.LabResult.objects.filter(round=round)
    assert results.filter(result="negative").count() > 100
    assert results.filter(review=testing.LabResult.Review.AWAITING).count() == 10
    assert testing.VaccinationDose.objects.exists()


def test_tasks_are_in_every_state_and_some_escalated(street_db):
    states = set(TaskAssignment.objects.values_list("state", flat=True))
    assert states == set(TaskAssignment.State.values)
    assert TaskAssignment.objects.filter(escalations__isnull=False).exists()
    assert Event.objects.filter(kind__code="hotline_12345", status="closed").exists()
    rows = VerificationRow.objects.filter(person__isnull=False)
    assert 0 < rows.exclude(result="").count() < rows.count()


def test_the_register_colours_date_from_before_the_outbreak(street_db):
    # the loading of the register is no change of colour the commander sees in the last 14 days
    recent = HouseholdColourChange.objects.filter(at__gte=timezone.now() - timedelta(days=14))
    assert recent.exists()
    assert not recent.filter(reason=ColourReason.IMPORT).exists()


def test_isolated_homes_carry_devices_and_a_door_opened_alarm(street_db):
    assert Device.objects.filter(kind=Device.Kind.DOOR_SENSOR).count() >= 3
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.INTRUSION).count() == 1
    assert DeviceAlert.objects.filter(kind=DeviceAlert.Kind.BATTERY_LOW).count() == 1
    assert Event.objects.filter(kind__code="device_alert").exists()


HOME_AND_LISTS = {
    "demo-admin": [("front:home", "春晓社区"), ("measures:cases", "case")],
    "demo-commander": [
        ("front:home", "春晓社区"),
        ("measures:cases", "case"),
        ("measures:list", "measure"),
        ("command:events", "event"),
        ("command:board", "task"),
        ("testing:index", "round"),
        ("checkpoints:index", "checkpoint"),
        ("command:verification_lists", "vlist"),
        ("devices:index", "device"),
    ],
    "demo-community": [
        ("front:home", "第一网格"),
        ("measures:list", "measure"),
        ("checkpoints:index", "checkpoint"),
        ("command:board", "task"),
    ],
    "demo-grid": [
        ("front:home", "building"),
        ("measures:mine", "measure"),
        ("measures:cases", "case"),
        ("command:board", "task"),
        ("command:my_rows", "row"),
        ("core:alerts", "未打卡"),
    ],
    "demo-checkpoint": [("front:home", "卡点"), ("checkpoints:index", "gate")],
    "demo-inspector": [("command:board", "own_task")],
    "demo-doctor": [("front:home", "assigned"), ("measures:mine", "measure")],
    "demo-police": [("front:home", "assigned"), ("measures:mine", "measure")],
    "demo-tracer": [("measures:cases", "case"), ("command:verification_lists", "vlist")],
}


def expected(token: str, user: User) -> str:
    """A name the page must show: a row of the demo data that this user should act on."""
    grid_measure = PersonMeasure.objects.filter(
        status=PersonMeasure.Status.ACTIVE, grid_worker__username="demo-grid"
    )
    rows = {
        "case": lambda: Case.objects.order_by("-reported_on").first().person.name,
        "device": lambda: DeviceAlert.objects.get(kind=DeviceAlert.Kind.INTRUSION).device.serial,
        "measure": lambda: grid_measure.order_by("end", "pk").first().person.name,
        "event": lambda: Event.objects.order_by("-raised_at").first().title,
        "task": lambda: (
            Task.objects.filter(status="open", assignments__grid__isnull=False)
            .order_by("-pk")
            .first()
            .title
        ),
        "own_task": lambda: Task.objects.filter(assignments__user=user).get().title,
        "round": lambda: testing.NucleicRound.objects.get().name,
        "checkpoint": lambda: Checkpoint.objects.order_by("pk").first().name,
        "gate": lambda: Checkpoint.objects.order_by("pk").first().name,
        "vlist": lambda: VerificationList.objects.order_by("pk").first().title,
        "row": lambda: VerificationRow.objects.filter(result="", assignee=user).first().name,
        "building": lambda: Case.objects.first().person.household.building.name,
        # 包保: the manual assignments and, since a measure's team is one, the measures' persons.
        "assigned": lambda: assigned_persons(user).first().name,
    }
    return rows[token]() if token in rows else token


@pytest.mark.parametrize("account", [a.username for a in DEMO_ACCOUNTS])
def test_every_demo_role_finds_something_to_act_on(street_db, account):
    client = login(account)
    user = User.objects.get(username=account)
    for name, token in HOME_AND_LISTS[account]:
        shown = page(client, name)
        assert expected(token, user) in shown, (account, name, token)
