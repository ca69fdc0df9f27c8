"""Buildings, units and rooms in natural order everywhere — 1幢, 2幢, 10幢; 2单元 before 10单元;
302 before 1101 — by a stored, indexed key the database orders by (core.natural)."""

import importlib
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from conftest import _person
from wangge.checkpoints.forms import CheckpointForm
from wangge.colours.floorplan import INTERNAL, build_plan
from wangge.core.exports import result_path
from wangge.core.natural import natural_sort_key
from wangge.people.exporting import person_export
from wangge.regions.models import Building, Household

BUILDINGS = ["1幢", "2幢", "3幢", "10幢", "十二幢"]
TOWER = [("2单元", "302"), ("2单元", "1101"), ("10单元", "302"), ("10单元", "1101")]


@pytest.mark.parametrize(
    "ordered",
    [
        ["1幢", "2幢", "10幢"],
        ["2单元", "10单元"],
        ["302", "1101"],
        ["九幢", "十幢", "十二幢", "二十幢", "一百零五幢"],
        ["一单元", "2单元", "三单元", "10单元"],
        ["３幢", "12幢"],  # full-width digits
        ["", "1", "1A", "1B", "2"],
        ["A座", "b座", "C座"],
    ],
)
def test_the_key_orders_names_naturally(ordered):
    keys = [natural_sort_key(name) for name in ordered]
    assert sorted(keys) == keys
    assert len(set(keys)) == len(keys)
    assert all(set(key) <= set("0123456789abcdef") for key in keys)


@pytest.fixture
def tower(world):
    """阳光花园 gets 10幢 and 十二幢; 10幢 holds four homes, saved in the wrong order and with no
    floor given, each with one resident."""
    sunny = world.households["a"].building.compound
    ten = Building.objects.create(compound=sunny, grid=world.grid_a, name="10幢", units=10)
    Building.objects.create(compound=sunny, grid=world.grid_a, name="十二幢")
    for serial, (unit, room) in enumerate(reversed(TOWER), start=11):
        home = Household.objects.create(building=ten, grid=world.grid_a, unit=unit, room=room)
        _person(home, f"住户{unit}{room}", serial)
    return ten


def test_keys_are_kept_on_save_update_fields_and_bulk_create(world, tower):
    assert tower.sort_key == natural_sort_key("10幢")
    tower.name = "11幢"
    tower.save(update_fields=["name"])
    assert Building.objects.get(pk=tower.pk).sort_key == natural_sort_key("11幢")
    (bulk,) = Building.objects.bulk_create(
        [Building(compound=tower.compound, grid=world.grid_a, name="9幢")]
    )
    assert Building.objects.get(pk=bulk.pk).sort_key == natural_sort_key("9幢")


def test_the_data_migration_backfills_stored_rows(world, tower):
    Building.objects.update(sort_key="")
    Household.objects.update(unit_key="", room_key="")
    migration = importlib.import_module("wangge.regions.migrations.0005_natural_order")
    migration.backfill(apps, None)
    home = Household.objects.get(building=tower, unit="10单元", room="1101")
    assert (home.unit_key, home.room_key) == (natural_sort_key("10单元"), natural_sort_key("1101"))
    assert not Building.objects.filter(sort_key="").exists()


def test_the_api_lists_buildings_in_natural_order_across_pages(world, tower, api_client_for):
    carol = api_client_for(world.users["carol"])
    first = carol.get("/api/buildings/?page_size=3").json()
    second = carol.get("/api/buildings/?page_size=3&page=2").json()
    names = [row["name"] for row in first["results"] + second["results"]]
    assert names == BUILDINGS


def test_the_building_page_lists_its_homes_in_natural_order(client, world, tower):
    client.force_login(world.users["carol"])
    page = client.get(reverse("regions:building_detail", args=[tower.pk]))
    listed = [(home.unit, home.room) for home in page.context["page"]]
    assert listed == TOWER


def test_the_building_select_offers_buildings_in_natural_order(world, tower):
    form = CheckpointForm(user=world.users["carol"])
    labels = [label for _, label in form.fields["building"].choices][1:]
    assert [label.removeprefix("阳光花园") for label in labels] == BUILDINGS


def test_the_floor_plan_draws_buildings_units_and_rooms_in_natural_order(world, tower):
    sunny = tower.compound
    plan = build_plan(
        user=world.users["carol"],
        compound=sunny,
        buildings=Building.objects.filter(compound=sunny),
        version=INTERNAL,
    )
    assert [building.name for building in plan.buildings] == BUILDINGS
    drawn = next(building for building in plan.buildings if building.name == "10幢")
    assert [unit.name for unit in drawn.units] == ["2单元", "10单元"]
    rooms = [cell.room for _, cell in drawn.units[0].rows[None]]
    assert rooms == ["302", "1101"]


def test_the_roster_export_lists_residents_in_natural_order_of_their_homes(world, tower):
    exported = person_export(by=world.users["carol"], reason="screening")
    rows = list(
        load_workbook(BytesIO(result_path(exported).read_bytes())).active.iter_rows(
            values_only=True
        )
    )
    names = [row[0] for row in rows[2:]]
    assert names == ["张三", "李四", "王五"] + [f"住户{unit}{room}" for unit, room in TOWER]
