"""Co-building units: a unit takes buildings of its own area only, one unit per building at a time,
each take a people.Assignment row (duty COBUILDING, source UNIT) that release ends; its letter's
scan must be a PDF or an image."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import World
from wangge.people.models import Assignment, Duty
from wangge.teams.models import CobuildingUnit, UnitKind
from wangge.teams.services import units

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def unit_of(world: World, name: str = "区卫生健康局", **more) -> CobuildingUnit:
    data = {
        "name": name,
        "kind": UnitKind.AGENCY,
        "community": world.east,
        "contact_name": "陈国平",
        "contact_phone": "139 0579 1000",
        "contact_user": world.users["carol"],
        **more,
    }
    return units.unit_create(
        by=world.users["alice"], street=world.street, data=units.UnitData(**data)
    )


def building(world: World, key: str):
    return world.households[key].building


def test_a_unit_keeps_its_contact_phone_sealed_and_masked(world: World):
    unit = unit_of(world)
    assert unit.contact_phone == "13905791000"
    assert unit.contact_phone_masked == "139****1000"
    assert "13905791000" not in unit.contact_phone_sealed


def test_a_unit_name_is_unique_in_its_street(world: World):
    unit_of(world)
    with pytest.raises(ValidationError):
        unit_of(world)


def test_taking_a_building_writes_the_assignment_and_releasing_ends_it(world: World):
    # given
    unit = unit_of(world)
    # when
    row = units.building_take(by=world.users["carol"], unit=unit, building=building(world, "a"))
    # then
    assert (row.duty, row.source, row.source_id) == (
        Duty.COBUILDING,
        Assignment.Source.UNIT,
        unit.pk,
    )
    assert row.building == building(world, "a") and row.holder_user == world.users["carol"]
    assert row.ended is None
    units.building_release(by=world.users["carol"], unit=unit, building=building(world, "a"))
    row.refresh_from_db()
    assert row.ended == timezone.localdate()
    assert not Assignment.objects.active().filter(source=Assignment.Source.UNIT).exists()


def test_one_unit_per_building_at_a_time(world: World):
    first, second = unit_of(world), unit_of(world, "国网供电公司", kind=UnitKind.ENTERPRISE)
    units.building_take(by=world.users["alice"], unit=first, building=building(world, "a"))
    with pytest.raises(ValidationError, match="区卫生健康局"):
        units.building_take(by=world.users["alice"], unit=second, building=building(world, "a"))
    units.building_release(by=world.users["alice"], unit=first, building=building(world, "a"))
    units.building_take(by=world.users["alice"], unit=second, building=building(world, "a"))


def test_a_unit_takes_only_buildings_of_its_area(world: World):
    unit = unit_of(world)  # of 东社区
    with pytest.raises(ValidationError, match="辖区"):
        units.building_take(by=world.users["alice"], unit=unit, building=building(world, "d"))


def test_a_unit_without_a_contact_account_or_person_takes_nothing(world: World):
    unit = unit_of(world, contact_user=None)
    with pytest.raises(ValidationError, match="联系人"):
        units.building_take(by=world.users["alice"], unit=unit, building=building(world, "a"))


def test_the_contact_may_be_a_person_of_the_register(world: World):
    unit = unit_of(world, contact_user=None, contact_person=world.persons["li_si"])
    row = units.building_take(by=world.users["alice"], unit=unit, building=building(world, "b"))
    assert row.holder_person == world.persons["li_si"] and row.holder_user is None


def test_only_those_who_edit_the_units_community_manage_it(world: World):
    unit = unit_of(world)
    with pytest.raises(PermissionDenied):
        units.building_take(by=world.users["gavin"], unit=unit, building=building(world, "a"))
    with pytest.raises(PermissionDenied):
        units.unit_create(
            by=world.users["carol"],
            street=world.street,
            data=units.UnitData(name="越权单位", kind=UnitKind.OTHER, community=world.west),
        )


def test_a_letter_keeps_a_pdf_scan_and_carries_the_standard_commitments(world: World):
    unit = unit_of(world)
    letter = units.letter_add(
        by=world.users["carol"],
        unit=unit,
        signed_on=date(2026, 12, 1),
        scan=SimpleUploadedFile("责任书.pdf", PDF, content_type="application/pdf"),
    )
    assert letter.scan_type == "application/pdf"
    assert letter.scan.read().startswith(b"%PDF-")
    assert "组织领导" in letter.commitments and "健康宣教" in letter.commitments


def test_a_letter_scan_photo_is_stored_as_an_image(world: World):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    letter = units.letter_add(
        by=world.users["carol"],
        unit=unit_of(world),
        signed_on=date(2026, 12, 1),
        scan=SimpleUploadedFile("scan.png", out.getvalue()),
    )
    assert letter.scan_type == "image/png"


@pytest.mark.parametrize(
    "name, content",
    [
        ("letter.pdf", b"MZ\x90\x00 not a pdf"),
        ("scan.jpg", b"<html>hello</html>"),
        ("a.docx", b"PK\x03\x04"),
    ],
)
def test_a_letter_scan_that_is_not_a_pdf_or_image_is_refused(world: World, name, content):
    unit = unit_of(world)
    with pytest.raises(ValidationError, match="PDF"):
        units.letter_add(
            by=world.users["carol"],
            unit=unit,
            signed_on=date(2026, 12, 1),
            scan=SimpleUploadedFile(name, content),
        )
    assert not unit.letters.exists()
