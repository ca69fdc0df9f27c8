"""消杀记录: stored once per client id, by those who may log the place, visible by area.

Gavin is the grid worker of 第一网格 (its small grid included), Bella of 第二网格; Ian is the
street's inspector; Kim mans a checkpoint and holds no register."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.accounts.models import RoleAssignment, User
from wangge.core.models import AuditEntry
from wangge.core.photos import CleanPhoto
from wangge.core.roles import Role
from wangge.venues.models import DisinfectionLog, EventKind, PlaceKind, VenueEvent
from wangge.venues.services.disinfection import ClientIdConflict, LogData, log_record
from wangge.venues.tests.disinfection_fixtures import at, venue_in

PHOTO = CleanPhoto(b"\xff\xd8\xff\xe0 cleaned", "image/jpeg", ".jpg", 8, 8)


@pytest.fixture
def now(world):
    """10:00 in Beijing, and Ian, the street's inspector."""
    ian = User.objects.create_user(username="ian", full_name="Ian")
    RoleAssignment.objects.create(user=ian, role=Role.INSPECTOR, street=world.street)
    world.users["ian"] = ian
    with time_machine.travel(at(10), tick=False):
        yield


def elevator(world, key="a", **more):
    return LogData(
        place=PlaceKind.ELEVATOR,
        agent="含氯消毒液擦拭按键",
        building=world.households[key].building,
        **more,
    )


def test_a_log_is_stored_once_however_often_the_phone_sends_it(world, now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gavin = world.users["gavin"]
    log, created = log_record(by=gavin, data=elevator(world), client_id="c-1", photo=PHOTO)
    again, created_again = log_record(by=gavin, data=elevator(world), client_id="c-1")
    assert created and not created_again and again.pk == log.pk
    assert DisinfectionLog.objects.count() == 1
    assert log.done_at == at(10) and log.done_by_name == "Gavin"
    assert log.photo.name.endswith(".jpg") and log.photo.read() == PHOTO.content
    assert AuditEntry.objects.filter(target_type="venues.disinfectionlog").count() == 1


def test_another_users_client_id_is_a_conflict_that_shows_nothing(world, now):
    log_record(by=world.users["gavin"], data=elevator(world), client_id="c-1")
    with pytest.raises(ClientIdConflict):
        log_record(by=world.users["carol"], data=elevator(world), client_id="c-1")


def test_only_those_who_may_edit_the_buildings_area_log_it(world, now):
    with pytest.raises(PermissionDenied):
        log_record(by=world.users["bella"], data=elevator(world), client_id="c-1")
    with pytest.raises(PermissionDenied):
        log_record(by=world.users["kim"], data=elevator(world), client_id="c-2")
    # the big grid's worker logs in its small grid
    log_record(by=world.users["gavin"], data=elevator(world, "a1"), client_id="c-3")


def test_an_inspector_logs_a_venue_and_its_timeline_says_so(world, now):
    venue = venue_in(world, world.grid_b)
    data = LogData(place=PlaceKind.STALL, agent="喷洒消毒", venue=venue, location="3号摊位")
    log, _ = log_record(by=world.users["ian"], data=data, client_id="v-1")
    event = VenueEvent.objects.get(venue=venue, kind=EventKind.DISINFECTED)
    assert event.by == world.users["ian"] and "3号摊位" in event.text and event.at == log.done_at
    with pytest.raises(PermissionDenied):
        log_record(by=world.users["ian"], data=elevator(world), client_id="v-2")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"place": PlaceKind.VENUE}, "place"),
        ({"place": "roof"}, "place"),
        ({"agent": "  "}, "agent"),
        ({"done_at": at(10) + timedelta(minutes=10)}, "done_at"),
        ({"building": None}, "building"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, now, data, field):
    values = {
        "place": PlaceKind.ELEVATOR,
        "agent": "消毒",
        "building": world.households["a"].building,
        **data,
    }
    with pytest.raises(ValidationError) as refused:
        log_record(by=world.users["alice"], data=LogData(**values), client_id="x")
    assert field in refused.value.message_dict
    assert not DisinfectionLog.objects.exists()


def test_a_grid_worker_never_sees_another_grids_logs(world, now):
    log_record(by=world.users["gavin"], data=elevator(world, "a1"), client_id="a")
    log_record(by=world.users["bella"], data=elevator(world, "b"), client_id="b")
    venue = venue_in(world, world.grid_d)
    log_record(
        by=world.users["alice"],
        data=LogData(place=PlaceKind.VENUE, agent="消毒", venue=venue),
        client_id="d",
    )

    def seen(name):
        rows = DisinfectionLog.objects.restrict(world.users[name])
        return set(rows.values_list("client_id", flat=True))

    assert seen("gavin") == {"a"}
    assert seen("bella") == {"b"}
    assert seen("carol") == {"a", "b"}
    assert seen("alice") == {"a", "b", "d"}
    assert seen("ian") == {"d"}
    assert seen("kim") == set()
