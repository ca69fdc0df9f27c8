"""The scan at the peak hour: three queries for the common scan (the token, the judgement, the
insert), and the per-process caches of duty and doors that make it so, which every change to the
roster, roles and doors invalidates at once."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wangge.accounts.models import RoleAssignment, User
from wangge.checkpoints.duty import DutyRefused
from wangge.checkpoints.models import DoorController, Scan, ShiftAssignment
from wangge.core import process_cache
from wangge.core.roles import Role

from .conftest import code_of, scan

SCANS = "/api/checkpoints/scans/"


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0].upper() for query in queries.captured_queries]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("on_duty")
def test_the_common_scan_is_three_queries(world, gate, api_client_for):
    """Outside any transaction, as a server runs it: no BEGIN, savepoint or probe of the client
    id; a replay is found by the insert failing on the unique client id."""
    kim = api_client_for(world.users["kim"])
    code = code_of(world, world.persons["zhang_san"])

    def send(direction: str, client_id: str = ""):
        body = {"checkpoint": gate.pk, "client_id": client_id or uuid.uuid4().hex}
        return kim.post(SCANS, {**body, "direction": direction, "code": code}, format="json")

    assert send("in").status_code == 201  # loads the duty into this process's cache
    for direction in ("in", "out"):
        with CaptureQueriesContext(connection) as queries:
            assert send(direction).status_code == 201
        assert statements(queries) == ["SELECT", "SELECT", "INSERT"]
    again = uuid.uuid4().hex
    assert send("out", again).status_code == 201
    assert send("out", again).status_code == 200
    assert Scan.objects.filter(client_id=again).count() == 1


@pytest.mark.usefixtures("on_duty")
def test_taking_someone_off_the_roster_stops_their_next_scan(world, gate, clock):
    code = code_of(world, world.persons["zhang_san"])
    assert scan(world, gate, code=code).created
    ShiftAssignment.objects.filter(user=world.users["kim"]).delete()
    with pytest.raises(DutyRefused):
        scan(world, gate, code=code)


@pytest.mark.usefixtures("on_duty")
def test_a_new_role_lets_someone_scan_at_once(world, gate, clock):
    code = code_of(world, world.persons["zhang_san"])
    with pytest.raises(DutyRefused):
        scan(world, gate, by="dora", code=code)
    RoleAssignment.objects.create(
        user=world.users["dora"], role=Role.COMMUNITY_WORKER, community=world.east
    )
    world.users["dora"] = User.objects.get(pk=world.users["dora"].pk)  # her next request
    assert scan(world, gate, by="dora", code=code).created


@pytest.mark.usefixtures("on_duty")
def test_a_write_that_bypasses_signals_is_seen_within_the_cache_age(
    world, gate, clock, monkeypatch
):
    """QuerySet.update sends no signal: the entry lives at most MAX_AGE_SECONDS."""
    code = code_of(world, world.persons["zhang_san"])
    assert scan(world, gate, code=code).created
    ShiftAssignment.objects.filter(user=world.users["kim"]).update(user=world.users["carol"])
    assert scan(world, gate, code=code).created  # still cached
    later = process_cache.time.monotonic() + process_cache.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    with pytest.raises(DutyRefused):
        scan(world, gate, code=code)


@pytest.mark.usefixtures("on_duty")
def test_a_door_added_opens_on_the_next_scan(world, gate, clock):
    code = code_of(world, world.persons["zhang_san"])
    assert scan(world, gate, code=code, direction="in").doors == []
    DoorController.objects.create(
        checkpoint=gate, kind=DoorController.Kind.MQTT_RELAY, name="东门", address="x/东门"
    )
    assert DoorController.objects.filter(checkpoint=gate, enabled=True).count() == 1
    assert len(scan(world, gate, code=code, direction="in").doors) == 1
