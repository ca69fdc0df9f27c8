"""Where an importer may import: their own areas only; IDs registered elsewhere alert that community."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_id_number
from wangge.accounts.models import RoleAssignment, User
from wangge.core.models import Alert
from wangge.core.roles import Role
from wangge.people.importing.service import (
    roster_import_apply,
    roster_import_file,
    roster_import_preview,
    roster_import_upload,
)
from wangge.people.models import ImportBatch, Person
from wangge.people.tests.roster_files import person_row, write_roster
from wangge.regions.models import Community, Grid, Household, Street


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_as(user, path, street="江南街道"):
    with path.open("rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    batch = roster_import_upload(by=user, street_name=street, upload=upload)
    roster_import_preview(batch=batch, by=user)
    return roster_import_apply(batch=batch, by=user)


def test_rows_outside_the_importers_community_are_rejected(world, tmp_path):
    # given carol works for 东社区; one row names 西社区
    rows = [person_row(101, "周一"), person_row(102, "吴二", 社区="西社区", 网格="第四网格")]
    path = write_roster(tmp_path / "r.xlsx", rows)

    batch = import_as(world.users["carol"], path)

    assert batch.counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "warnings": 0,
    }
    assert "管辖范围" in batch.first_errors[0]["reason"]
    assert not Person.objects.filter(name="吴二").exists()


def test_a_community_worker_may_create_grids_but_not_communities(world, tmp_path):
    rows = [
        person_row(101, "周一", 网格="第九网格"),
        person_row(102, "吴二", 社区="新社区", 网格="第一网格"),
    ]
    path = write_roster(tmp_path / "r.xlsx", rows)

    batch = import_as(world.users["carol"], path)

    assert batch.counts["created"] == 1 and batch.counts["rejected"] == 1
    assert Grid.objects.filter(community=world.east, name="第九网格").exists()
    assert not Community.objects.filter(name="新社区").exists()


def test_a_commander_may_create_communities(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一", 社区="新社区")])

    batch = import_as(world.users["alice"], path)

    assert batch.counts["created"] == 1
    assert Community.objects.filter(street=world.street, name="新社区").exists()
    assert batch.undo_data["created"]["community"]


def test_an_id_registered_where_the_importer_cannot_see_is_rejected_and_alerted(world, tmp_path):
    # given 赵六 lives in 西社区, which has its own community worker
    wendy = User.objects.create_user(username="wendy", password="x")
    RoleAssignment.objects.create(user=wendy, role=Role.COMMUNITY_WORKER, community=world.west)
    path = write_roster(tmp_path / "r.xlsx", [person_row(4, "赵六")])

    # when carol imports him into her community
    batch = import_as(world.users["carol"], path)

    # then the row is rejected, he stays where he is, and 西社区 hears of it
    assert batch.counts["rejected"] == 1
    assert "无权查看" in batch.first_errors[0]["reason"]
    zhao = Person.objects.get(pk=world.persons["zhao_liu"].pk)
    assert zhao.household_id == world.households["d"].pk
    alert = Alert.objects.get(recipient=wendy)
    assert make_id_number(4)[-4:] in alert.text
    assert not Alert.objects.filter(recipient=world.users["carol"]).exists()


def test_the_preview_posts_no_alert(world, tmp_path):
    wendy = User.objects.create_user(username="wendy", password="x")
    RoleAssignment.objects.create(user=wendy, role=Role.COMMUNITY_WORKER, community=world.west)
    path = write_roster(tmp_path / "r.xlsx", [person_row(4, "赵六")])
    with path.open("rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    batch = roster_import_upload(by=world.users["carol"], street_name="江南街道", upload=upload)

    roster_import_preview(batch=batch, by=world.users["carol"])

    assert batch.counts["rejected"] == 1
    assert not Alert.objects.exists()


def test_a_known_person_moves_within_the_importers_area(world, tmp_path):
    # given 王五 lives in grid B; carol (东社区) moves him to 5幢 in grid A
    path = write_roster(tmp_path / "r.xlsx", [person_row(3, "王五", 联系电话="13700003333")])

    batch = import_as(world.users["carol"], path)

    assert batch.counts["updated"] == 1
    wang = Person.objects.get(pk=world.persons["wang_wu"].pk)
    assert wang.household.building.name == "5幢"
    assert wang.household.grid == world.grid_a


def test_an_existing_dwelling_named_in_another_grid_is_rejected(world, tmp_path):
    # given household a (阳光花园 1幢 1单元 101) is in grid A
    row = person_row(101, "周一", 楼栋="1幢", 房号="101", 网格="第二网格")
    path = write_roster(tmp_path / "r.xlsx", [row])

    batch = import_as(world.users["carol"], path)

    assert batch.counts["rejected"] == 1
    assert "第一网格" in batch.first_errors[0]["reason"]


def test_the_command_line_creates_the_street_and_says_so(db, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一"), person_row(102, "吴二")])

    roster_import_file(path=path, street_name="新安街道")

    street = Street.objects.get(name="新安街道")
    assert Person.objects.filter(household__grid__community__street=street).count() == 2
    assert ImportBatch.objects.get().undo_data["created"]["street"] == [street.pk]


def test_the_command_line_sees_only_its_street(world, tmp_path):
    # given 张三 is registered in 江南街道
    path = write_roster(tmp_path / "r.xlsx", [person_row(1, "张三")])

    outcome = roster_import_file(path=path, street_name="新安街道")

    assert outcome.counts["rejected"] == 1


def test_only_administrators_may_name_a_new_street(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一")])
    upload = SimpleUploadedFile("r.xlsx", path.read_bytes())

    with pytest.raises(ValidationError, match="不存在"):
        roster_import_upload(by=world.users["alice"], street_name="新安街道", upload=upload)


def test_a_grid_worker_may_not_import(world, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(101, "周一")])
    upload = SimpleUploadedFile("r.xlsx", path.read_bytes())

    with pytest.raises(PermissionDenied):
        roster_import_upload(by=world.users["gavin"], street_name="江南街道", upload=upload)


def test_relation_landlord_makes_the_household_a_rental_with_that_landlord(world, tmp_path):
    rows = [
        person_row(101, "周一", 与户主关系="房东", 房号="601"),
        person_row(102, "吴二", 与户主关系="租客", 房号="601"),
    ]
    path = write_roster(tmp_path / "r.xlsx", rows)

    import_as(world.users["carol"], path)

    household = Household.objects.get(members__name="吴二")
    assert household.kind == Household.Kind.RENTAL
    assert household.landlord.name == "周一"
    assert Person.objects.get(name="周一").relation == Person.Relation.HEAD


def test_a_landlord_column_names_a_registered_landlord(world, tmp_path):
    # given 张三 (registered in 东社区) lets 5幢1单元701
    tenant = person_row(101, "周一", 与户主关系="租客", 房号="701", 房东身份证号=make_id_number(1))
    unknown = person_row(102, "吴二", 房号="702", 房东身份证号=make_id_number(99))
    path = write_roster(tmp_path / "r.xlsx", [tenant, unknown])

    batch = import_as(world.users["carol"], path)

    household = Household.objects.get(members__name="周一")
    assert household.landlord_id == world.persons["zhang_san"].pk
    assert batch.counts["rejected"] == 1
    assert "房东" in batch.first_errors[0]["reason"]
