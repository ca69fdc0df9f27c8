"""Audiences: a path from the street down names an area; the sender's authority bounds what they
may address, through every kind; recipients are read set-based (docs/notify.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import _staff, drill_home_isolation
from wangge.core.roles import Role
from wangge.measures.models import PersonMeasure
from wangge.notify.audience import AudienceError, audience_parse, recipients
from wangge.notify.models import MessageKind, OptOut, SavedList, SavedListEntry
from wangge.regions.models import Street


def names(audience, channels=("sms",), kind=MessageKind.NOTICE):
    return sorted(row.label for row in recipients(audience, channels, kind))


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (
            "street",
            "江南街道",
            ["周强", "张三", "李四", "林小雨", "林芳", "欧阳明", "王五", "赵六", "陈小宝"],
        ),
        ("community", "东社区", ["张三", "李四", "王五"]),
        ("grid", "东社区/第一网格", ["张三", "李四"]),
        ("grid", "东社区/第一网格一小格", ["李四"]),
        ("compound", "东社区/阳光花园", ["张三", "李四", "王五"]),
        ("building", "东社区/阳光花园/3幢", ["王五"]),
        ("unit", "西社区/江景苑/2幢/2单元", ["周强", "林小雨", "林芳", "欧阳明", "陈小宝"]),
        ("unit", "江景苑/2幢/2", ["周强", "林小雨", "林芳", "欧阳明", "陈小宝"]),
        ("grid", "江南街道/西社区/第一网格", ["周强", "林小雨", "林芳", "欧阳明", "陈小宝"]),
    ],
)
def test_each_area_kind_reaches_the_living_persons_of_its_path(places, kind, value, expected):
    audience = audience_parse(kind, value, by=None)
    assert names(audience) == expected


def test_an_area_audience_is_scoped_by_the_narrowest_area_holding_it(places):
    w = places.world
    grid = audience_parse("grid", "东社区/第一网格", by=None)
    assert (grid.street_id, grid.community_id, grid.grid_id) == (
        w.street.pk,
        w.east.pk,
        w.grid_a.pk,
    )
    spanning = audience_parse("compound", "东社区/阳光花园", by=None)
    assert (spanning.community_id, spanning.grid_id) == (w.east.pk, None)
    building = audience_parse("building", "阳光花园/3幢", by=None)
    assert building.grid_id == w.grid_b.pk
    street = audience_parse("street", "", by=None)
    assert (street.value, street.community_id, street.grid_id) == ("江南街道", None, None)


def test_a_repeated_grid_name_lists_every_path_it_may_mean(places):
    with pytest.raises(AudienceError) as raised:
        audience_parse("grid", "第一网格", by=None)
    assert raised.value.code == "ambiguous"
    assert raised.value.candidates == ["东社区/第一网格", "西社区/第一网格"]


def test_a_path_that_finds_nothing_offers_the_names_near_it(places):
    with pytest.raises(AudienceError) as raised:
        audience_parse("grid", "东社区/第九网格", by=None)
    assert raised.value.code == "not_found"
    assert "东社区/第一网格" in raised.value.candidates
    with pytest.raises(AudienceError) as raised:
        audience_parse("building", "阳光花园/9幢", by=None)
    assert raised.value.code == "not_found"


def test_a_grid_worker_who_writes_a_shared_name_means_their_own_grid(places):
    audience = audience_parse("grid", "第一网格", by=places.world.users["gavin"])
    assert audience.grid_id == places.world.grid_a.pk


BELLAS_GRID = [
    ("grid", "东社区/第二网格"),
    ("community", "东社区"),
    ("street", "江南街道"),
    ("compound", "东社区/阳光花园"),
    ("building", "阳光花园/3幢"),
    ("unit", "阳光花园/3幢/1单元"),
    ("colour", "red@西社区/第一网格"),
    ("colour", "green@东社区/第二网格"),
    ("tag", "党员@东社区"),
    ("measure", "居家隔离@东社区/第二网格"),
    ("role", "grid_worker@东社区/第二网格"),
]


@pytest.mark.parametrize(("kind", "value"), BELLAS_GRID)
def test_a_grid_worker_cannot_address_beyond_their_grid_through_any_kind(places, kind, value):
    with pytest.raises(AudienceError) as raised:
        audience_parse(kind, value, by=places.world.users["gavin"])
    assert raised.value.code == "forbidden"


def test_a_grid_worker_cannot_use_another_grids_list(places):
    w = places.world
    bellas = SavedList.objects.create(
        street=w.street, grid=w.grid_b, name="二格名单", owner=w.users["bella"]
    )
    with pytest.raises(AudienceError):
        audience_parse("list", str(bellas.pk), by=w.users["gavin"])
    assert audience_parse("list", str(bellas.pk), by=w.users["bella"]).grid_id == w.grid_b.pk


@pytest.mark.parametrize(
    ("user", "kind", "value", "allowed"),
    [
        ("gavin", "grid", "东社区/第一网格", True),
        ("gavin", "grid", "东社区/第一网格一小格", True),
        ("gavin", "building", "阳光花园/1幢", True),
        ("carol", "community", "东社区", True),
        ("carol", "compound", "东社区/阳光花园", True),
        ("carol", "grid", "西社区/第一网格", False),
        ("carol", "community", "西社区", False),
        ("carol", "street", "江南街道", False),
        ("alice", "street", "江南街道", True),
        ("alice", "unit", "江景苑/2幢/2单元", True),
        ("dora", "community", "西社区", False),
        ("kim", "street", "江南街道", False),
    ],
)
def test_each_role_addresses_exactly_its_own_areas(places, user, kind, value, allowed):
    by = places.world.users[user]
    if allowed:
        assert audience_parse(kind, value, by=by).kind == kind
    else:
        with pytest.raises(AudienceError):
            audience_parse(kind, value, by=by)


def test_without_an_area_a_kind_is_drawn_from_the_senders_own_area(places):
    w = places.world
    assert audience_parse("tag", "党员", by=w.users["gavin"]).grid_id == w.grid_a.pk
    carols = audience_parse("tag", "党员", by=w.users["carol"])
    assert (carols.community_id, carols.grid_id) == (w.east.pk, None)
    alices = audience_parse("colour", "红色", by=w.users["alice"])
    assert (alices.community_id, alices.area_level) == (None, "street")
    assert names(audience_parse("tag", "党员", by=w.users["bella"])) == []


def test_a_grid_worker_of_two_grids_must_name_one(places):
    w = places.world
    _staff("gwen", Role.GRID_WORKER, grid=w.grid_a)
    gwen = w.users["gwen"] = __import__(
        "wangge.accounts.models", fromlist=["User"]
    ).User.objects.get(username="gwen")
    gwen.role_assignments.create(role=Role.GRID_WORKER, grid=w.grid_b)
    with pytest.raises(AudienceError) as raised:
        audience_parse("colour", "red", by=gwen)
    assert raised.value.candidates == [
        "community:东社区/第一网格",
        "community:东社区/第二网格",
    ] or set(raised.value.candidates) == {"grid:东社区/第一网格", "grid:东社区/第二网格"}
    assert audience_parse("colour", "red@第二网格", by=gwen).grid_id == w.grid_b.pk


def test_several_streets_need_one_named_unless_the_sender_works_in_one(places):
    Street.objects.create(name="城北街道")
    with pytest.raises(AudienceError) as raised:
        audience_parse("community", "东社区", by=None)
    assert raised.value.candidates == ["城北街道", "江南街道"]
    assert audience_parse("community", "东社区", by=None, street="江南街道").community_id
    assert audience_parse("community", "东社区", by=places.world.users["carol"]).community_id
    with pytest.raises(AudienceError):
        audience_parse("community", "东社区", by=None, street="不存在街道")


def test_a_colour_reaches_one_person_per_household(places):
    # given red households: 302 (head without phone, a child and an adult with phones),
    # 303 (a child without phone), 304 (the head has a phone), 305 (nobody lives there)
    audience = audience_parse("colour", "red", by=None)

    # when
    rows = list(recipients(audience, ["sms"], MessageKind.NOTICE))

    # then the adult with a phone is chosen over the child and the phoneless head; 303 is one
    # unreachable household row; 305 is left out
    by_household = {row.household_id: row for row in rows}
    assert len(rows) == len(by_household) == 3
    assert by_household[places.red["adult"].pk].label == "林芳"
    child = by_household[places.red["child"].pk]
    assert (child.person_id, child.unreachable, child.channels) == (None, True, ())
    assert child.variables["户"] == "江景苑2幢2单元303室"
    assert by_household[places.red["refused"].pk].label == "周强"


def test_opt_outs_drop_persons_but_never_from_an_emergency(places):
    OptOut.objects.create(person=places.world.persons["refuser"], kind=MessageKind.NOTICE)
    audience = audience_parse("colour", "red", by=None)
    assert "周强" not in names(audience, kind=MessageKind.NOTICE)
    assert "周强" in names(audience, kind=MessageKind.EMERGENCY)
    assert "周强" in names(audience, kind=MessageKind.REMINDER)
    street = audience_parse("street", "", by=None)
    assert "周强" not in names(street, kind=MessageKind.NOTICE)
    assert "周强" in names(street, kind=MessageKind.ESCALATION)


def test_a_person_without_a_phone_is_kept_as_unreachable(places):
    rows = {
        r.label: r for r in recipients(audience_parse("street", "", by=None), ["sms"], "notice")
    }
    assert rows["欧阳明"].unreachable and rows["欧阳明"].channels == ()
    assert rows["张三"].channels == ("sms",) and rows["张三"].phone_masked == "138****1111"
    assert rows["张三"].variables == {
        "称呼": "张先生",
        "姓名": "张*",
        "户": "阳光花园1幢1单元101室",
    }
    assert rows["林芳"].variables["称呼"] == "林女士"
    assert all(
        not row.channels
        for row in recipients(audience_parse("street", "", by=None), ["inapp"], "notice")
    )


def test_a_tag_reaches_the_persons_who_carry_it(places):
    assert names(audience_parse("tag", "党员", by=None)) == ["张三"]
    assert names(audience_parse("tag", "party_member@西社区", by=None)) == []
    with pytest.raises(AudienceError) as raised:
        audience_parse("tag", "不存在的标签", by=None)
    assert "党员" in raised.value.candidates


def test_a_measure_reaches_the_persons_under_an_active_one(places):
    w = places.world
    home = drill_home_isolation()
    today = timezone.localdate()
    PersonMeasure.objects.create(
        person=w.persons["li_si"],
        measure_type=home,
        start=today,
        end=today + timedelta(days=7),
        reason="密接",
    )
    PersonMeasure.objects.create(
        person=w.persons["wang_wu"],
        measure_type=home,
        start=today - timedelta(days=9),
        end=today - timedelta(days=2),
        reason="密接",
        status=PersonMeasure.Status.RELEASED,
        ended_on=today - timedelta(days=2),
    )
    for value in ("居家隔离", "home_isolation", "7天居家隔离（演练）"):
        assert names(audience_parse("measure", value, by=None)) == ["李四"]
    assert names(audience_parse("measure", "集中隔离", by=None)) == []
    with pytest.raises(AudienceError) as raised:
        audience_parse("measure", "不存在", by=None)
    assert "居家隔离" in raised.value.candidates


def test_a_role_reaches_the_staff_holding_it_inside_the_area(places):
    w = places.world
    w.users["gavin"].phone, w.users["gavin"].email = "138 0000 9999", "gavin@example.org"
    w.users["gavin"].save()
    audience = audience_parse("role", "网格员@东社区", by=w.users["carol"])
    rows = {row.label: row for row in recipients(audience, ["inapp", "sms", "email"], "notice")}
    assert set(rows) == {"Gavin", "Bella"}
    assert rows["Gavin"].channels == ("inapp", "sms", "email")
    assert (
        rows["Gavin"].phone_masked == "138****9999" and rows["Gavin"].user_id == w.users["gavin"].pk
    )
    assert rows["Bella"].channels == ("inapp",)
    assert names(audience_parse("role", "commander", by=None), ["inapp"]) == ["Alice"]
    with pytest.raises(AudienceError):
        audience_parse("role", "队长", by=None)


def test_a_saved_list_reaches_its_persons_and_phones_once_each(places):
    w = places.world
    saved = SavedList.objects.create(street=w.street, name="楼长名单")
    SavedListEntry.objects.create(saved_list=saved, person=w.persons["zhang_san"])
    twin = SavedListEntry(saved_list=saved, label="重复")
    twin.phone_sealed, twin.phone_hash, twin.phone_masked = (
        "x",
        w.persons["zhang_san"].phone_hash,
        "138****1111",
    )
    twin.save()
    bare = SavedListEntry(saved_list=saved, label="外卖站")
    bare.phone_sealed, bare.phone_hash, bare.phone_masked = "y", "hash-y", "139****0000"
    bare.save()
    refused = SavedListEntry(saved_list=saved, label="退订者")
    refused.phone_sealed, refused.phone_hash, refused.phone_masked = (
        "z",
        w.persons["refuser"].phone_hash,
        "137****3333",
    )
    refused.save()
    OptOut.objects.create(person=w.persons["refuser"], kind=MessageKind.NOTICE)
    audience = audience_parse("list", str(saved.pk), by=None)
    assert names(audience) == ["外卖站", "张三"]
    assert names(audience, kind=MessageKind.EMERGENCY) == ["外卖站", "张三", "退订者"]
    assert audience_parse("phones", str(saved.pk), by=None).label == "手机号名单“楼长名单”"
    with pytest.raises(AudienceError):
        audience_parse("list", "9999", by=None)


def test_a_group_channel_reaches_each_grids_robot_or_marks_the_grid_unreachable(places):
    w = places.world
    rows = list(recipients(audience_parse("community", "东社区", by=None), ["dingtalk"], "notice"))
    robots = [row for row in rows if row.robot_id]
    assert [(r.robot_id, r.grid_id, r.channels) for r in robots] == [
        (places.robot.pk, w.grid_a.pk, ("dingtalk",))
    ]
    assert {row.grid_id for row in rows if row.unreachable} == {w.grid_a1.pk, w.grid_b.pk}
    tagged = list(recipients(audience_parse("tag", "党员", by=None), ["sms", "dingtalk"], "notice"))
    assert [row.robot_id for row in tagged if row.robot_id] == [places.robot.pk]
    assert len(tagged) == 2


def test_unknown_kinds_colours_and_channels_are_refused(places):
    with pytest.raises(AudienceError):
        audience_parse("planet", "x", by=None)
    with pytest.raises(AudienceError) as raised:
        audience_parse("colour", "purple", by=None)
    assert "red" in raised.value.candidates
    with pytest.raises(AudienceError):
        list(recipients(audience_parse("street", "", by=None), ["fax"], "notice"))


@pytest.mark.parametrize(
    ("user", "kind", "value", "kept"),
    [
        ("gavin", "grid", "第一网格", "东社区/第一网格"),
        ("gavin", "tag", "党员", "党员@grid:东社区/第一网格"),
        ("carol", "colour", "红", "red@community:东社区"),
        ("alice", "measure", "居家隔离", "居家隔离@street:江南街道"),
        ("alice", "role", "网格员@阳光花园", "grid_worker@compound:东社区/阳光花园"),
        ("alice", "unit", "2幢/2", "西社区/江景苑/2幢/2单元"),
    ],
)
def test_the_value_kept_finds_the_same_audience_when_the_system_parses_it(
    places, user, kind, value, kept
):
    # given an audience as a sender wrote it (short, or drawn from their own area)
    drill_home_isolation()
    asked = audience_parse(kind, value, by=places.world.users[user])

    # then its value is spelt out, and the system parsing it at send time finds the same one
    assert asked.value == kept
    assert audience_parse(kind, asked.value, by=None) == asked
