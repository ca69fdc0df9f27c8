"""Undo, refused undo, all-or-nothing writes, and the audit of imports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wangge.core.models import AuditEntry
from wangge.people.importing import writer
from wangge.people.importing.service import (
    roster_import_apply,
    roster_import_preview,
    roster_import_upload,
)
from wangge.people.importing.undo import roster_import_undo
from wangge.people.models import ImportBatch, ImportRecord, Person
from wangge.people.services import PersonData, person_update
from wangge.people.tests.roster_files import person_row, write_roster
from wangge.regions.models import Building, Compound, Grid, Household, Street


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_as(user, path):
    with path.open("rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    batch = roster_import_upload(by=user, street_name="江南街道", upload=upload)
    roster_import_preview(batch=batch, by=user)
    return roster_import_apply(batch=batch, by=user)


@pytest.fixture
def imported(world, tmp_path):
    """Carol imports 周一 into a new compound and grid, and gives 张三 a new phone and tag."""
    rows = [
        person_row(101, "周一", 小区="新村", 网格="第九网格", 楼栋="9幢"),
        person_row(
            1,
            "张三",
            小区="阳光花园",
            楼栋="1幢",
            单元="1",
            房号="101",
            联系电话="13911112222",
            标签="楼栋长",
            是否党员="否",
        ),
    ]
    return import_as(world.users["carol"], write_roster(tmp_path / "r.xlsx", rows))


def test_import_keeps_a_record_per_created_and_updated_person(world, imported):
    assert imported.counts == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected": 0,
        "warnings": 0,
    }
    records = ImportRecord.objects.filter(batch=imported)
    assert sorted(records.values_list("created", flat=True)) == [False, True]
    before = records.get(created=False).before
    assert before["tags"] == ["party_member"] and before["phone"]["phone_masked"] == "138****1111"


def test_undo_deletes_created_persons_and_areas_and_restores_updated_ones(world, imported):
    # when
    roster_import_undo(batch=imported, by=world.users["carol"])

    # then
    assert not Person.objects.filter(name="周一").exists()
    assert not Grid.objects.filter(name="第九网格").exists()
    assert not Compound.objects.filter(name="新村").exists()
    assert not Building.objects.filter(name="9幢").exists()
    zhang = Person.objects.get(pk=world.persons["zhang_san"].pk)
    assert zhang.phone == "13800001111"
    assert list(zhang.tags.values_list("code", flat=True)) == ["party_member"]
    assert Household.objects.filter(pk=world.households["a"].pk).exists()
    imported.refresh_from_db()
    assert imported.status == ImportBatch.Status.UNDONE
    entry = AuditEntry.objects.get(action="undo")
    assert entry.changes["deleted"] == 1 and entry.changes["restored"] == 1


def test_undo_is_refused_once_a_person_has_changed_since(world, imported):
    # given someone edits 张三 after the import
    zhang = Person.objects.get(pk=world.persons["zhang_san"].pk)
    person_update(
        by=world.users["alice"],
        person=zhang,
        data=PersonData(name="张三", id_type="resident", id_number=zhang.id_number, note="核实"),
    )

    with pytest.raises(ValidationError, match="已被修改"):
        roster_import_undo(batch=imported, by=world.users["carol"])

    assert Person.objects.filter(name="周一").exists()


def test_only_the_importer_may_undo(world, imported):
    with pytest.raises(PermissionDenied):
        roster_import_undo(batch=imported, by=world.users["alice"])


def test_the_import_is_audited_with_its_counts(world, imported):
    entry = AuditEntry.objects.get(action="import")

    assert entry.actor == world.users["carol"]
    assert entry.changes["created"] == 1 and entry.changes["updated"] == 1
    assert entry.target_id == str(imported.pk)


def test_nothing_is_half_written_when_writing_fails(world, tmp_path, monkeypatch):
    # given the last write step breaks
    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer.Writer, "_set_landlords", broken)
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一", 网格="第九网格")])

    with pytest.raises(RuntimeError):
        import_as(world.users["carol"], path)

    assert not Person.objects.filter(name="周一").exists()
    assert not Grid.objects.filter(name="第九网格").exists()
    assert not AuditEntry.objects.filter(action="import").exists()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert "未写入任何数据" in batch.message


def test_undo_removes_a_street_the_import_created(world, tmp_path):
    # given the administrator imports into a street that did not exist
    admin = world.users["admin"]
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一")])
    with path.open("rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    batch = roster_import_upload(by=admin, street_name="新安街道", upload=upload)
    roster_import_preview(batch=batch, by=admin)
    batch = roster_import_apply(batch=batch, by=admin)
    assert Street.objects.filter(name="新安街道").exists()

    roster_import_undo(batch=batch, by=admin)

    assert not Street.objects.filter(name="新安街道").exists()
    batch.refresh_from_db()
    assert batch.street is None and batch.street_name == "新安街道"
