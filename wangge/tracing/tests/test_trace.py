"""The trace of an index case: the window's edges, the second hop's bound, one row per person with
every piece of evidence, decisions kept on re-run, the command's JSON line, and who may run it."""

import json
import uuid
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import make_id_number
from wangge.checkpoints.models import Checkpoint, Scan
from wangge.checkpoints.services import CheckpointData, checkpoint_create
from wangge.core.models import AuditEntry
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.tracing.models import Candidate, CandidateStatus, NamedContact, Path, Trace
from wangge.tracing.services.engine import TraceTooLarge, find_candidates
from wangge.tracing.services.trace import trace_run
from wangge.venues.models import VenueKind, Visit
from wangge.venues.services.register import VenueData, venue_create

ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 10)
T = datetime(2026, 3, 8, 10, 0, tzinfo=ZONE)  # the case at the gate
T2 = datetime(2026, 3, 7, 12, 0, tzinfo=ZONE)  # the case at the noodle shop
T3 = datetime(2026, 3, 6, 18, 0, tzinfo=ZONE)  # Li Si at the tea house
T4 = datetime(2026, 3, 9, 9, 0, tzinfo=ZONE)  # Qian at the back gate


def _person(household, name, serial, status=Person.Status.PRESENT):
    person = Person(household=household, status=status, birth_date=date(1980, 5, 17), sex="M")
    person.set_name(name)
    person.set_id_number(make_id_number(serial))
    person.set_phone("13800138000")
    person.save()
    return person


def _scan(checkpoint, person, at):
    Scan.objects.create(
        client_id=uuid.uuid4().hex,
        checkpoint=checkpoint,
        direction="in",
        method="code",
        verdict="pass",
        person=person,
        scanned_at=at,
    )


@pytest.fixture
def scene(world):
    p = world.persons
    households = world.households
    p["wife"] = _person(households["a"], "张妻", 11)
    p["moved"] = _person(households["a"], "张迁", 12, Person.Status.MOVED_OUT)
    p["son"] = _person(households["a1"], "李子", 13)
    for key, name, serial in [("qian", "钱七", 14), ("sun", "孙八", 15), ("xu", "许九", 16)]:
        p[key] = _person(None, name, serial)  # visitors from elsewhere, in no household here
    gate, back = (
        checkpoint_create(
            by=world.users["carol"],
            data=CheckpointData(
                name=name,
                kind=Checkpoint.Kind.COMPOUND_GATE,
                community=world.east,
                compound=households["a"].building.compound,
            ),
        )
        for name in ("阳光花园东门", "阳光花园后门")
    )
    kind = VenueKind.objects.get(name="餐饮店")
    shop = venue_create(by=None, data=VenueData(name="老街面馆", kind=kind, grid=world.grid_a))
    tea = venue_create(by=None, data=VenueData(name="茶馆", kind=kind, grid=world.grid_a))

    _scan(gate, p["zhang_san"], T)
    _scan(gate, p["li_si"], T + timedelta(minutes=30))  # in: exactly the window
    _scan(gate, p["wang_wu"], T - timedelta(minutes=31))  # out
    _scan(back, p["xu"], T)  # another checkpoint at the same minute: out
    Visit.objects.create(venue=shop, person=p["zhang_san"], at=T2)
    Visit.objects.create(venue=shop, person=p["zhao_liu"], at=T2 - timedelta(minutes=30))  # in
    Visit.objects.create(venue=shop, person=p["sun"], at=T2 + timedelta(minutes=31))  # out
    Visit.objects.create(venue=tea, person=p["li_si"], at=T3)
    Visit.objects.create(venue=tea, person=p["qian"], at=T3 + timedelta(minutes=5))  # second hop
    old = datetime(2026, 2, 20, 9, 0, tzinfo=ZONE)  # before the lookback (14 days): not a seed
    Visit.objects.create(venue=tea, person=p["zhang_san"], at=old)
    Visit.objects.create(venue=tea, person=p["wang_wu"], at=old)
    _scan(back, p["qian"], T4)
    _scan(back, p["sun"], T4 + timedelta(minutes=1))  # third hop: never found
    case = Case.objects.create(person=p["zhang_san"], kind="confirmed", reported_on=DAY)
    NamedContact.objects.create(case=case, person=p["zhao_liu"], at=timezone.now())
    return world, case, {"gate": gate, "shop": shop, "tea": tea}


def _candidates(case):
    return {c.person_id: c for c in Candidate.objects.filter(case=case)}


def test_the_trace_finds_within_the_window_up_to_two_hops_and_keeps_decisions(scene):
    world, case, places = scene
    p = world.persons
    trace = trace_run(by=world.users["tracy"], case=case)
    found = _candidates(case)
    assert trace.counts == {
        "co_residents": 1,
        "co_located": 2,
        "second_hop": 2,
        "named": 0,
        "candidates": 5,
    }
    assert {pk: (c.path, c.hop) for pk, c in found.items()} == {
        p["wife"].pk: (Path.CO_RESIDENT, 1),
        p["li_si"].pk: (Path.CO_LOCATED, 1),
        p["zhao_liu"].pk: (Path.CO_LOCATED, 1),
        p["son"].pk: (Path.SECOND_HOP, 2),
        p["qian"].pk: (Path.SECOND_HOP, 2),
    }
    gate_piece = found[p["li_si"].pk].evidence[0]
    assert gate_piece["kind"] == "checkpoint" and gate_piece["place"] == "阳光花园东门"
    assert gate_piece["place_id"] == places["gate"].pk and gate_piece["minutes"] == 30
    # Zhao Liu: at the shop and named, once, with both pieces and the first path.
    assert [e["kind"] for e in found[p["zhao_liu"].pk].evidence] == ["named", "venue"]
    assert found[p["zhao_liu"].pk].evidence[1]["minutes"] == 30
    (qian,) = found[p["qian"].pk].evidence
    assert (qian["kind"], qian["place"], qian["minutes"], qian["through"]) == (
        "venue",
        "茶馆",
        5,
        p["li_si"].pk,
    )
    assert datetime.fromisoformat(qian["case_at"]) == T3
    son = found[p["son"].pk].evidence
    assert son == [{"kind": "household", "place_id": None, "place": "", "through": p["li_si"].pk}]
    assert AuditEntry.objects.filter(action="trace.run", target_id=str(case.pk)).count() == 1

    Candidate.objects.filter(case=case, person=p["li_si"]).update(
        status=CandidateStatus.DISMISSED, decision_note="不在现场"
    )
    again = trace_run(by=world.users["alice"], case=case)
    refound = _candidates(case)
    assert again.counts == trace.counts and Trace.objects.filter(case=case).count() == 2
    assert refound[p["li_si"].pk].status == CandidateStatus.DISMISSED
    assert refound[p["li_si"].pk].decision_note == "不在现场"
    assert {pk: c.evidence for pk, c in refound.items()} == {
        pk: c.evidence for pk, c in found.items()
    }

    one_hop = trace_run(by=None, case=case, hops=1)
    assert one_hop.counts["second_hop"] == 0 and one_hop.counts["candidates"] == 3


def test_the_window_holds_across_time_buckets(scene):
    """The engine buckets times by the window's length from the epoch: a row within the window of
    a seed lies in the seed's bucket or the next or previous one; the exact filter decides."""
    world, case, places = scene
    seed = datetime(2026, 3, 9, 15, 44, 59, 500_000, tzinfo=ZONE)  # late in its 30-minute bucket
    _scan(places["gate"], world.persons["zhang_san"], seed)
    offsets = {
        "后三十": timedelta(minutes=30),  # the next bucket, exactly the window: in
        "前三十": -timedelta(minutes=30),  # the previous bucket: in
        "过一微秒": timedelta(minutes=30, microseconds=1),  # out
        "后七": timedelta(minutes=7),
        "前七零一": -timedelta(minutes=7, seconds=1),
    }
    near = {}
    for serial, (name, offset) in enumerate(offsets.items(), start=20):
        near[name] = _person(None, name, serial)
        _scan(places["gate"], near[name], seed + offset)

    def co_located(window_minutes):
        found = find_candidates(case, window_minutes=window_minutes, hops=1)
        return {name for name, person in near.items() if person.pk in found.co_located}

    assert co_located(30) == {"后三十", "前三十", "后七", "前七零一"}
    assert co_located(7) == {"后七"}  # 420-second buckets: exactly 7 minutes in, 7:01 out


def test_the_command_prints_the_counts_and_only_tracers_and_the_street_may_trace(scene):
    world, case, _places = scene
    number = make_id_number(1).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    out = StringIO()
    call_command("trace_case", id_number=number, stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert json.loads(last) == {
        "case": case.pk,
        "co_residents": 1,
        "co_located": 2,
        "second_hop": 2,
        "candidates": 5,
    }
    with pytest.raises(CommandError) as refused:
        call_command("trace_case", id_number=make_id_number(99), stdout=StringIO())
    assert refused.value.returncode == 2

    for name in ("gavin", "bella", "carol"):
        with pytest.raises(PermissionDenied):
            trace_run(by=world.users[name], case=case)
    assert Trace.objects.filter(case=case).count() == 1


def test_a_trace_beyond_the_pair_limit_stops_with_a_message_and_writes_nothing(scene, settings):
    # given a limit of one co-location pair for each kind of place; the second hop has two visits
    world, case, _places = scene
    settings.WANGGE = {**settings.WANGGE, "TRACE_MAX_PAIRS": 1}

    # then the first hop (one pair per kind) runs, the second hop (two at the tea house) stops
    assert trace_run(by=world.users["tracy"], case=case, hops=1).counts["co_located"] == 2
    with pytest.raises(TraceTooLarge, match="时空交集超过1条"):
        trace_run(by=world.users["tracy"], case=case, hops=2)
    assert Trace.objects.filter(case=case).count() == 1


def test_the_second_hop_is_not_traced_from_too_many_first_hop_persons(scene, settings):
    world, case, _places = scene
    settings.WANGGE = {**settings.WANGGE, "TRACE_MAX_SECOND_HOP_SEEDS": 2}
    with pytest.raises(TraceTooLarge, match="第一层有3人"):
        trace_run(by=world.users["tracy"], case=case, hops=2)
    assert trace_run(by=world.users["tracy"], case=case, hops=1).counts["candidates"] == 3


def test_each_kind_of_place_has_its_window_and_a_run_may_set_one_for_both(scene, settings):
    # given venues traced within 20 minutes, checkpoints within 30
    world, case, _places = scene
    p = world.persons
    settings.WANGGE = {**settings.WANGGE, "TRACE_WINDOW_MINUTES": {"checkpoint": 30, "venue": 20}}

    # then Li Si (at the gate 30 minutes after) is found, Zhao Liu (at the shop 30 before) is not
    trace = trace_run(by=world.users["tracy"], case=case, hops=1)
    assert (trace.window_minutes, trace.windows) == (None, {"checkpoint": 30, "venue": 20})
    located = Candidate.objects.filter(case=case, path=Path.CO_LOCATED)
    assert set(located.values_list("person", flat=True)) == {p["li_si"].pk}
    # and a run with its own window uses it for both kinds
    trace = trace_run(by=world.users["tracy"], case=case, hops=1, window_minutes=30)
    assert trace.windows == {"checkpoint": 30, "venue": 30}
    assert located.filter(person=p["zhao_liu"]).exists()


def test_the_same_unit_s_households_are_co_residents_when_the_setting_says_so(scene, settings):
    # given a neighbour upstairs in Zhang San's unit (building 1幢, 单元 1) and one in another unit
    world, case, _places = scene
    home = world.households["a"]
    upstairs = Household.objects.create(
        building=home.building, grid=home.grid, unit=home.unit, floor=2, room="201"
    )
    other_unit = Household.objects.create(
        building=home.building, grid=home.grid, unit="2", floor=2, room="201"
    )
    neighbour = _person(upstairs, "楼上邻居", 21)
    _person(other_unit, "隔壁单元", 22)

    # then off (the default) the neighbour is not found; on, they are a co-resident of the unit
    assert neighbour.pk not in find_candidates(case, hops=1).paths
    settings.WANGGE = {**settings.WANGGE, "TRACE_CO_RESIDENTS_SAME_UNIT": True}
    found = find_candidates(case, hops=1)
    assert found.co_residents == {world.persons["wife"].pk, neighbour.pk}
    assert found.evidence[neighbour.pk] == [
        {"kind": "household", "place_id": None, "place": "同单元"}
    ]
