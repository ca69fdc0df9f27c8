"""Checkpoint staff (卡点值守) see, scan at and report on only the checkpoints of their duty roster
today; community and street roles see every checkpoint of their area."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from wangge.checkpoints.duty import DutyRefused
from wangge.checkpoints.models import Checkpoint, Shift, ShiftAssignment
from wangge.checkpoints.selectors import hourly_series, scan_report
from wangge.checkpoints.services import CheckpointData, checkpoint_create

from .conftest import DAY, at, roster, scan

SCANS = "/api/checkpoints/scans/"
MINE = "/api/checkpoints/checkpoints/mine/"


@pytest.fixture
def north(world) -> Checkpoint:
    """阳光花园北门, in the same community as the east gate; Kim is on no shift there."""
    return checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园北门", kind="compound_gate", community=world.east, address="北门"
        ),
    )


@pytest.fixture
def kim_at_gate_today(world, gate, north, clock) -> Checkpoint:
    """Kim on today's day shift at the east gate; scans at both gates by whoever mans them."""
    roster(world.users["kim"], gate, {DAY})
    scan(world, gate, by="kim", phone_tail="1111")
    scan(world, north, by="carol", phone_tail="1111")
    scan(world, north, by="carol", phone_tail="1111", direction="in")
    return gate


def body(checkpoint: Checkpoint) -> dict:
    return {
        "checkpoint": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "direction": "out",
        "phone_tail": "1111",
    }


def test_checkpoint_staff_scan_only_where_they_are_rostered_today(world, kim_at_gate_today, north):
    # when Kim scans at the north gate, where the street's checkpoint staff role used to let her
    with pytest.raises(DutyRefused) as refused:
        scan(world, north, by="kim", phone_tail="1111")
    # then refused with the stable code
    assert refused.value.error_code == "not_on_duty"


def test_the_api_refuses_a_scan_off_duty_with_not_on_duty(
    world, kim_at_gate_today, north, api_client_for
):
    kim = api_client_for(world.users["kim"])
    refused = kim.post(SCANS, body(north), format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_on_duty"
    assert " / " in refused.json()["checkpoint"][0]
    assert kim.post(SCANS, body(kim_at_gate_today), format="json").status_code == 201
    assert [row["name"] for row in kim.get(MINE).json()] == ["阳光花园东门"]


def test_the_ui_lists_and_opens_only_the_duty_checkpoints(client, world, kim_at_gate_today, north):
    client.force_login(world.users["kim"])
    index = client.get(reverse("checkpoints:index")).content.decode()
    assert reverse("checkpoints:scan", args=[kim_at_gate_today.pk]) in index
    assert reverse("checkpoints:scan", args=[north.pk]) not in index
    assert client.get(reverse("checkpoints:scan", args=[north.pk])).status_code == 404
    assert client.get(reverse("checkpoints:scan", args=[kim_at_gate_today.pk])).status_code == 200


def test_the_hourly_report_of_checkpoint_staff_counts_their_checkpoints_only(
    client, world, kim_at_gate_today, north
):
    # given one scan at Kim's gate and two at the north gate, all at 09:00
    report = scan_report(world.users["kim"], DAY)
    assert [row.label for row in report.rows] == ["阳光花园东门"]
    assert report.totals.scans_out == 1 and report.totals.scans_in == 0
    assert sum(hourly_series(world.users["kim"], DAY)["in"]) == 0
    assert hourly_series(world.users["kim"], DAY)["out"][9] == 1
    # and the page says the same
    client.force_login(world.users["kim"])
    page = client.get(reverse("checkpoints:report") + f"?day={DAY}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "阳光花园东门" in text and "阳光花园北门" not in text
    assert page.context["chart"]["out"][9] == 1


def test_community_and_street_roles_see_and_report_on_every_checkpoint_of_their_area(
    client, world, kim_at_gate_today, north, api_client_for
):
    for name in ("carol", "alice"):
        mine = api_client_for(world.users[name]).get(MINE).json()
        assert {row["name"] for row in mine} == {"阳光花园东门", "阳光花园北门"}, name
        report = scan_report(world.users[name], DAY)
        assert [row.label for row in report.rows] == ["阳光花园东门", "阳光花园北门"], name
        assert report.totals.scans_out + report.totals.scans_in == 3, name
    client.force_login(world.users["carol"])
    assert client.get(reverse("checkpoints:scan", args=[north.pk])).status_code == 200


def test_yesterdays_shift_gives_no_duty_today(client, world, gate, clock):
    roster(world.users["kim"], gate, {DAY - timedelta(days=1)})
    Shift.objects.update(ends_at=at(DAY, 0))  # ended at midnight
    client.force_login(world.users["kim"])
    index = client.get(reverse("checkpoints:index"))
    assert index.status_code == 200
    assert 'data-testid="no-duty"' in index.content.decode()
    assert client.get(reverse("checkpoints:scan", args=[gate.pk])).status_code == 404
    assert client.get(reverse("checkpoints:report")).status_code == 403


def test_a_night_shift_begun_yesterday_counts_today(world, gate, clock):
    night = Shift.objects.create(
        checkpoint=gate,
        starts_at=at(DAY - timedelta(days=1), 22),
        ends_at=at(DAY, 6),
        needed=1,
    )
    ShiftAssignment.objects.create(shift=night, user=world.users["kim"])
    assert scan(world, gate, by="kim", phone_tail="1111").created


def test_a_checkpoint_outside_ones_area_stays_unknown(world, gate, clock, api_client_for):
    # Dora, a doctor of the west community, learns nothing of the east gate
    response = api_client_for(world.users["dora"]).post(SCANS, body(gate), format="json")
    assert (response.status_code, response.json()["code"]) == (400, "unknown_checkpoint")
