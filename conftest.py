"""Personas shared by every app's tests (healthchecks' BaseTestCase, as fixtures).

The world: street 江南街道 with communities 东社区 (grids A and B; grid A holds small grid A1) and
西社区 (grid D). Alice commands the street, Carol works for 东社区, Gavin is grid A's grid worker,
Bella grid B's, Dora is a doctor with one person assigned, Kim mans a checkpoint and sees no register.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings

from wangge.core.identity import gb11643_check_digit
from wangge.core.roles import Role

if TYPE_CHECKING:
    from wangge.accounts.models import User
    from wangge.people.models import Person
    from wangge.regions.models import Community, Grid, Household, Street

hypothesis_settings.register_profile("ci", max_examples=30, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PASSWORD = "Demo-Pass-2026"


def make_id_number(
    serial: int, born: date = date(1980, 5, 17), male: bool = True, area: str = "330102"
) -> str:
    """A valid 18-digit resident ID number; `serial` keeps them apart."""
    sequence = (serial % 500) * 2 + (1 if male else 0)
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + gb11643_check_digit(first17)


def drill_home_isolation(**overrides: object):
    """7天居家隔离（演练）: a home isolation of an admin's undated local rule set 演练方案, with
    tests on days 1, 4 and 7 and check-ins at 08:00 and 16:00 unless `overrides` say otherwise."""
    from wangge.measures.models import MeasureType, RuleSet

    values: dict[str, object] = {
        "name": "7天居家隔离（演练）",
        "category": MeasureType.Category.HOME_ISOLATION,
        "household_colour": MeasureType.Colour.ORANGE,
        "duration_days": 7,
        "test_days": [1, 4, 7],
        "checkin_times": ["08:00", "16:00"],
        **overrides,
    }
    if "rule_set" not in values:
        values["rule_set"] = RuleSet.objects.create(name="演练方案", kind=RuleSet.Kind.LOCAL)
    return MeasureType.objects.create(**values)


@dataclass
class World:
    street: "Street"
    east: "Community"
    west: "Community"
    grid_a: "Grid"
    grid_a1: "Grid"
    grid_b: "Grid"
    grid_d: "Grid"
    users: "dict[str, User]" = field(default_factory=dict)
    persons: "dict[str, Person]" = field(default_factory=dict)
    households: "dict[str, Household]" = field(default_factory=dict)


def _staff(username: str, role: str | None, **area: object):
    from wangge.accounts.models import RoleAssignment, User

    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=username.title()
    )
    user.must_change_password = False
    user.save()
    if role:
        RoleAssignment.objects.create(user=user, role=role, **area)
    return user


def _person(household, name: str, serial: int, phone: str = "13800138000", tags=()):
    from wangge.people.models import Person, Tag

    person = Person(household=household)
    person.set_name(name)
    person.set_id_number(make_id_number(serial))
    person.set_phone(phone)
    person.birth_date = date(1980, 5, 17)
    person.sex = "M"
    person.save()
    if tags:
        person.tags.set(Tag.objects.filter(code__in=tags))
    return person


@pytest.fixture
def world(db) -> World:
    from wangge.people.models import Assignment
    from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

    street = Street.objects.create(name="江南街道", code="330783001")
    east = Community.objects.create(street=street, name="东社区")
    west = Community.objects.create(street=street, name="西社区")
    grid_a = Grid.objects.create(community=east, name="第一网格")
    grid_a1 = Grid.objects.create(community=east, name="第一网格一小格", parent=grid_a)
    grid_b = Grid.objects.create(community=east, name="第二网格")
    grid_d = Grid.objects.create(community=west, name="第四网格")
    w = World(street, east, west, grid_a, grid_a1, grid_b, grid_d)

    sunny = Compound.objects.create(community=east, name="阳光花园")
    river = Compound.objects.create(community=west, name="江景苑")
    for key, compound, grid, building_name, room in [
        ("a", sunny, grid_a, "1幢", "101"),
        ("a1", sunny, grid_a1, "2幢", "201"),
        ("b", sunny, grid_b, "3幢", "301"),
        ("d", river, grid_d, "1幢", "101"),
    ]:
        building, _ = Building.objects.get_or_create(
            compound=compound, name=building_name, defaults={"grid": grid}
        )
        w.households[key] = Household.objects.create(
            building=building, grid=grid, unit="1", floor=int(room[0]), room=room
        )

    w.persons["zhang_san"] = _person(
        w.households["a"], "张三", 1, "13800001111", tags=["party_member"]
    )
    w.persons["li_si"] = _person(w.households["a1"], "李四", 2, "13900002222")
    w.persons["wang_wu"] = _person(w.households["b"], "王五", 3, "13700003333")
    w.persons["zhao_liu"] = _person(w.households["d"], "赵六", 4, "13600004444")

    w.users["admin"] = _staff("admin", Role.ADMIN)
    w.users["alice"] = _staff("alice", Role.COMMANDER, street=street)
    w.users["carol"] = _staff("carol", Role.COMMUNITY_WORKER, community=east)
    w.users["gavin"] = _staff("gavin", Role.GRID_WORKER, grid=grid_a)
    w.users["bella"] = _staff("bella", Role.GRID_WORKER, grid=grid_b)
    w.users["dora"] = _staff("dora", Role.DOCTOR, community=west)
    w.users["kim"] = _staff("kim", Role.CHECKPOINT, street=street)
    w.users["tracy"] = _staff("tracy", Role.TRACER, street=street)
    Assignment.objects.create(
        holder_user=w.users["dora"], person=w.persons["zhao_liu"], duty=Role.DOCTOR
    )
    return w


@pytest.fixture
def fuller_world(world: World) -> World:
    """The world, with one object of the capabilities' main kinds, made the way staff make them,
    and the two roles it lacks: 阳光花园东门 (a checkpoint of 东社区), a testing round over the
    street, Zhang San under a 7-day home isolation (tests on days 1, 4 and 7) started two days
    ago, an event reported by a grid worker, Paul (police of 东社区, Wang Wu assigned), Ian
    (inspector), a door sensor at Zhang San's home that reported the door open, Alice's
    finished roster export (its file not written), a street-wide SMS asking for an
    acknowledgement, frozen, with Zhang San on the call list, a message template, a saved list,
    grid A's DingTalk robot, 老街面馆 (a venue of grid A, Zhang San on its staff, one visit), a
    disinfection log of the elevator of Zhang San's building, the street's duty list with one
    position (社区党委书记, Carol holding it) and 区卫生健康局 (a co-building unit of 东社区 with a
    letter, holding Zhang San's building), 东社区's volunteer team called to a post, Wang Wu under
    one-to-one care by Bella, and a running sweep of grid A where Zhang San's household answered
    with a new phone (a finding to confirm), an approved shopping list of that household, and Li Si's
    confirmed case of today, which named Wang Wu, traced by Tracy (Wang Wu a candidate), and
    yesterday's daily report, approved by Carol for 东社区 and sent upward in the district's table."""
    from wangge.accounts.models import RoleAssignment, User
    from wangge.checkpoints.models import Checkpoint
    from wangge.checkpoints.services import CheckpointData, checkpoint_create
    from wangge.command.services.events import event_raise
    from wangge.measures.services.assign import measure_assign
    from wangge.people.models import Assignment
    from wangge.testing.services import round_create

    alice = world.users["alice"]
    gate = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园东门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            compound=world.households["a"].building.compound,
        ),
    )
    start = datetime(2022, 7, 1, 6, tzinfo=ZoneInfo("Asia/Shanghai"))
    round_create(
        by=alice,
        street=world.street,
        name="第一轮全员核酸",
        starts_at=start,
        ends_at=start + timedelta(hours=16),
    )
    home = drill_home_isolation()
    measure_assign(
        by=alice,
        persons=[world.persons["zhang_san"]],
        measure_type=home,
        start=datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=2),
        reason="密接",
    )
    event_raise(
        kind="grid_report",
        title="发现未报备返乡人员",
        household=world.households["a"],
        source="grid",
    )
    police = User.objects.create_user(username="paul", full_name="Paul")
    RoleAssignment.objects.create(user=police, role=Role.POLICE, community=world.east)
    Assignment.objects.create(holder_user=police, person=world.persons["wang_wu"], duty=Role.POLICE)
    inspector = User.objects.create_user(username="ian", full_name="Ian")
    RoleAssignment.objects.create(user=inspector, role=Role.INSPECTOR, street=world.street)
    world.users["paul"], world.users["ian"] = police, inspector
    # a door sensor at Zhang San's home, and the door opened while he is isolated
    from wangge.devices.intake import mqtt_topic, take_mqtt
    from wangge.devices.services import DeviceData, device_register
    from wangge.measures.models import PersonMeasure

    isolation = PersonMeasure.objects.get(person=world.persons["zhang_san"])
    sensor, token = device_register(
        by=alice,
        data=DeviceData(measure=isolation, kind="door_sensor", vendor="Aqara", serial="door-1"),
    )
    take_mqtt(mqtt_topic(sensor.serial, token), b'{"contact": false, "battery": 87}')
    from wangge.core.jobs.models import Job

    Job.objects.create(
        kind="people.roster",
        owner=alice,
        status=Job.Status.DONE,
        reason="疫情防控排查",
        counts={"rows": 4},
        result_file="exports/0/人员名单.xlsx",
        expires_at=datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(hours=24),
    )
    # a street-wide SMS asking for acknowledgement, frozen (never sent), Zhang San on the call list
    from wangge.core.origin import Origin
    from wangge.notify.audience import audience_parse
    from wangge.notify.models import Recipient
    from wangge.notify.services import message_create, message_freeze

    message = message_create(
        by=alice,
        origin=Origin.SYSTEM,
        audience=audience_parse("street", world.street.name, by=alice),
        channels=["sms"],
        title="核酸检测通知",
        text="{称呼}，请今天到小区门口做核酸。{链接}",
        ack=True,
        escalate=True,
    )
    message_freeze(message.pk, now=start, by=alice, origin=Origin.SYSTEM)
    Recipient.objects.filter(person=world.persons["zhang_san"]).update(call_listed_at=start)
    # what staff keep for messages: a template, a saved list, grid A's DingTalk robot
    from wangge.notify.models import Robot, SavedList, SavedListEntry, Template

    Template.objects.create(
        street=world.street, name="核酸", kind="notice", text="{称呼}，请做核酸"
    )
    saved = SavedList.objects.create(street=world.street, name="楼栋长", owner=alice)
    SavedListEntry.objects.create(saved_list=saved, person=world.persons["zhang_san"])
    robot = Robot(grid=world.grid_a, kind=Robot.Kind.DINGTALK, name="第一网格工作群")
    robot.set_token("dingtalk-token")
    robot.save()
    # 老街面馆, a restaurant of grid A whose poster carries the code "fuller-world-venue", with
    # Zhang San on its staff and one visit, carded yellow by Ian's failed inspection
    from wangge.checkpoints.tokens import token_hash
    from wangge.core import crypto
    from wangge.venues.models import Venue, VenueKind, VenueStaff
    from wangge.venues.services.inspections import (
        InspectionInput,
        ItemResult,
        checklist_of,
        inspection_record,
    )
    from wangge.venues.services.register import VenueData, venue_create
    from wangge.venues.services.visits import VisitInput, visit_record

    noodles = venue_create(
        by=alice,
        data=VenueData(
            name="老街面馆",
            kind=VenueKind.objects.get(name="餐饮店"),
            grid=world.grid_a,
            address="阳光路1号",
            uscc="91350100M000100Y43",
            responsible_name="王老板",
            responsible_phone="13800138000",
        ),
    )
    Venue.objects.filter(pk=noodles.pk).update(
        code_sealed=crypto.seal("fuller-world-venue"), code_hash=token_hash("fuller-world-venue")
    )
    VenueStaff.objects.create(venue=noodles, person=world.persons["zhang_san"], name="张三")
    visit_record(data=VisitInput(token="fuller-world-venue", phone="13800001111"))
    failed = [ItemResult(item.pk, False) for item in checklist_of(noodles)]
    inspection_record(
        by=inspector, venue=noodles, data=InspectionInput(client_id="fuller-1", items=failed)
    )
    # the elevator of Zhang San's building disinfected
    from wangge.venues.models import DisinfectionLog

    DisinfectionLog.objects.create(
        client_id="fuller-elevator",
        place="elevator",
        building=world.households["a"].building,
        agent="含氯消毒液擦拭按键",
        done_at=start,
        done_by=alice,
    )
    # the street's duty list with a held position; a co-building unit that took a building
    from wangge.teams.services import duties, units

    secretary = duties.position_create(
        by=alice,
        street=world.street,
        data=duties.PositionData(name="社区党委书记"),
        duties=["统筹社区疫情防控工作"],
    )
    duties.holder_assign(by=alice, position=secretary, user=world.users["carol"])
    bureau = units.unit_create(
        by=alice,
        street=world.street,
        data=units.UnitData(
            name="区卫生健康局", kind="agency", community=world.east, contact_user=alice
        ),
    )
    units.letter_add(by=alice, unit=bureau, signed_on=start.date())
    units.building_take(by=alice, unit=bureau, building=world.households["a"].building)
    # 东社区's volunteers called to a post; Wang Wu under one-to-one care by Bella, called once
    from django.utils import timezone

    from wangge.teams.services.calls import call_send
    from wangge.teams.services.care import call_log, care_plan_create
    from wangge.teams.tests.call_fixtures import make_call, member, posts, team

    volunteers = team(world.street, world.east)
    member(volunteers, "钱医", "13811110001", skills=["medical"])
    now = timezone.now()
    call = make_call(
        world.users["carol"],
        world.street,
        world.east,
        [volunteers],
        now=now,
        posts=posts(start=now + timedelta(days=1)),
    )
    call_send(by=world.users["carol"], call=call, now=now)
    plan = care_plan_create(
        by=world.users["carol"],
        person=world.persons["wang_wu"],
        reason="living_alone",
        interval_hours=24,
        carer=world.users["bella"],
        started=timezone.localdate() - timedelta(days=2),
    )
    call_log(by=world.users["bella"], plan=plan, outcome="ok", at=now - timedelta(hours=1))
    # a sweep of grid A, running, Zhang San's household answered with a new phone (a finding)
    from wangge.sweeps.services.campaigns import campaign_create, campaign_start
    from wangge.sweeps.services.visits import attempt_record

    sweep = campaign_create(
        by=alice,
        name="扫楼清村",
        grids=[world.grid_a],
        checks=["travel"],
        since=now.date() - timedelta(days=14),
        deadline=now + timedelta(days=3),
    )
    campaign_start(by=alice, campaign=sweep)
    zhang = world.persons["zhang_san"]
    attempt_record(
        by=world.users["gavin"],
        visit=sweep.visits.get(household=world.households["a"]),
        client_id="6f1c1d4e-2b7a-4c51-9a53-2f0f3f3c9a01",
        at=now - timedelta(minutes=5),
        result="answered",
        answers={
            "residents.present": {str(zhang.pk): True},
            "residents.phone": {str(zhang.pk): "13911112222"},
            "travel.away": {str(zhang.pk): False},
        },
    )
    # 东社区物资点 with a donated lot of masks, one issued to the checkpoint, and a submitted count
    from wangge.supplies.models import ItemCategory, PlaceKind, StockCount, StockCountLine
    from wangge.supplies.services import stock
    from wangge.supplies.services.catalogue import item_save, place_save
    from wangge.supplies.services.donations import donation_register

    masks = item_save(
        by=alice,
        street=world.street,
        values={"name": "口罩", "category": ItemCategory.PROTECTION, "unit": "个"},
    )
    store = place_save(
        by=alice,
        street=world.street,
        community=world.east,
        values={"name": "东社区物资点", "kind": PlaceKind.COMMUNITY_STORE},
    )
    gift = donation_register(
        by=alice,
        place=store,
        receipt_no="JZ-0001",
        donor_name="江南药业",
        donor_kind="company",
        lines=[(masks, 500, "M-1", timezone.localdate() + timedelta(days=300))],
    )
    stock.issue(
        by=alice,
        place=store,
        item=masks,
        quantity=50,
        recipient=stock.Recipient("checkpoint", checkpoint=gate),
    )
    count = StockCount.objects.create(place=store, counted_at=now, by=world.users["carol"])
    StockCountLine.objects.create(
        count=count, item=masks, batch=gift.batches.get(), expected=450, counted=449
    )
    # Zhang San's household asked for a shopping list, approved by Carol (a need on its way)
    from wangge.supplies.services.needs import need_approve, need_create

    need = need_create(
        by=world.users["gavin"], kind="household", household=world.households["a"], wishes="米"
    )
    need_approve(by=world.users["carol"], need=need)
    # Li Si reported a confirmed case today; the case named Wang Wu; Tracy ran the trace
    # (recorded as the case row alone, without the case's measure: the other fixtures' measure
    # and colour counts stay as they were)
    from wangge.measures.models import Case
    from wangge.tracing.services.decisions import named_contact_add
    from wangge.tracing.services.trace import trace_run

    case = Case.objects.create(
        person=world.persons["li_si"],
        kind=Case.Kind.CONFIRMED,
        reported_on=timezone.localdate(),
        recorded_by=alice,
    )
    named_contact_add(by=world.users["tracy"], case=case, person=world.persons["wang_wu"])
    trace_run(by=world.users["tracy"], case=case)
    # yesterday's daily report, approved by Carol for 东社区 and sent upward in the district's table
    from wangge.reports.services import report_build
    from wangge.reports.services.approvals import report_approve
    from wangge.reports.services.upstream import template_create, upstream_fill
    from wangge.reports.tests.builders import MAPPING, template

    yesterday = timezone.localdate() - timedelta(days=1)
    report_build(street=world.street, on=yesterday)
    report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    table = template_create(
        by=alice,
        street=world.street,
        name="疫情防控日报表",
        recipient="区防控办",
        file_name="日报表.xlsx",
        content=template(),
        mapping=MAPPING,
    )
    upstream_fill(by=alice, template=table, day=yesterday)
    return world


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in English (LocaleMiddleware) leaves
    English active in the worker's thread after it, and a later test would read English text."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with empty per-process caches (core/process_cache.py): a test's rollback
    takes back its writes and the counter they raised, and the next test may reuse the same ids."""
    from wangge.core import process_cache

    process_cache.clear_all()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client_for(db):
    """An APIClient that sends `Authorization: Token <key>` for a fresh token of `user`."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.test import APIClient

    from wangge.accounts.models import ApiToken

    def client_for(user, expires_in: timedelta = timedelta(days=1)) -> APIClient:
        raw = secrets.token_urlsafe(32)
        ApiToken.objects.create(
            name=f"test-{user.username}",
            user=user,
            prefix=raw[:8],
            digest=ApiToken.digest_of(raw),
            expires_at=timezone.now() + expires_in,
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return client_for


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render `{% static %}` without a collected manifest (tests never run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def replay_data_migrations() -> None:
    """Load the rows our data migrations load (tags, rule sets, task kinds, marker rules, venue
    kinds…) by running their RunPython operations in migration order against today's models."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython
    from django.test import override_settings

    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("wangge.")}
    with override_settings(MIGRATION_MODULES={}):
        loader = MigrationLoader(None)
    done: set[tuple[str, str]] = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in done or key[0] not in ours:
                continue
            done.add(key)
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython):
                    code: Any = operation.code  # today's models, no schema editor
                    code(apps, None)


def _delete_flush_on_postgresql() -> None:
    """A transactional test (live server, threads, killed processes) empties the database at its
    end. On PostgreSQL, Django does so with one TRUNCATE of every table, which makes a new file for
    each of the ~250 tables and took 3–8 s per test on these machines; the test tables hold a few
    rows, and deleting them takes a fraction of that. Foreign keys are DEFERRABLE INITIALLY DEFERRED
    and the flush runs in one transaction, so the order of the deletes does not matter. A flush that
    must also reset sequences keeps Django's TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, **options: Any
    ) -> list[str]:
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, **options)
        delete = style.SQL_KEYWORD("DELETE FROM")
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each worker's test database is made from the models (`--nomigrations`: under a second,
    where running the 43 migrations took 15–25 s of CPU per worker and per database), then given
    the rows of our data migrations. The migrations themselves are applied from zero by
    tests/test_migrations.py, and `make lint` checks they match the models."""
    _delete_flush_on_postgresql()
    with django_db_blocker.unblock():
        replay_data_migrations()


@pytest.fixture(autouse=True)
def _presets_after_flush(request):
    """Transactional tests (live server, threads) flush the database at their end, and with it the
    rows that data migrations load. When they are gone, load them again. A test is transactional
    by its fixtures or by its marker (`django_db(transaction=True)`, as the SIGKILL tests are)."""
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and marker.kwargs.get("transaction", False)
    fixtures = request.fixturenames
    if not marked and "transactional_db" not in fixtures and "live_server" not in fixtures:
        return
    request.getfixturevalue("transactional_db")
    from wangge.people.models import Tag

    if not Tag.objects.exists():
        replay_data_migrations()


ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def browser_page(monkeypatch, base_url: str, width: int, height: int, needs: str) -> Iterator[Any]:
    """A page of Debian's chromium on a `width` × `height` screen against `base_url`, once the
    vendored static file `needs` is there. Playwright's sync API runs an event loop in this
    thread; the test body's ORM calls are still synchronous, hence the async-unsafe flag."""
    from playwright.sync_api import sync_playwright

    vendor = Path(__file__).resolve().parent / "wangge" / "static" / "vendor" / needs
    assert vendor.exists(), f"run scripts/vendor_static.py: the pages need their vendored {needs}"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", base_url=base_url
        )
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture
def phone(live_server, monkeypatch):
    """A page of Debian's chromium on a 390 × 844 phone, against the live server. Screenshots go to
    test-artifacts/ (git-ignored)."""
    yield from browser_page(monkeypatch, live_server.url, 390, 844, "htmx.min.js")


def sign_in(page, username: str) -> None:
    """Log in through the real login page as one of the personas."""
    from django.urls import reverse

    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url(f"**{reverse('front:home')}")
