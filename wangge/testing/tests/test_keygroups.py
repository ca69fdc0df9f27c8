"""Key groups: members who live elsewhere, results finding them by ID, and the overdue rule."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import make_id_number
from wangge.testing.models import LabResult
from wangge.testing.selectors.overdue import member_statuses, overdue_members
from wangge.testing.services.keygroups import keygroup_create, member_add, members_import
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row

pytestmark = pytest.mark.django_db

WORKER_ID = make_id_number(7, born=date(1990, 1, 2), area="410102")


@pytest.fixture
def site(world):
    return keygroup_create(
        by=world.users["alice"],
        street=world.street,
        name="滨江一号工地",
        kind="construction",
        interval_days=2,
        venue="滨江一号工地",
    )


@pytest.fixture
def worker(world, site):
    return member_add(
        by=world.users["alice"],
        group=site,
        name="周工",
        id_number=WORKER_ID,
        phone="13511112222",
        employer="某建工集团",
        joined_on=date(2022, 4, 1),
    )


def overdue_names(world, today):
    return [s.member.name for s in overdue_members(world.users["alice"], today)]


def test_a_registered_resident_is_linked_to_their_person(world, site):
    member = member_add(
        by=world.users["alice"],
        group=site,
        name="张三",
        id_number=make_id_number(1),
        joined_on=date(2022, 4, 1),
    )

    assert member.person == world.persons["zhang_san"]
    with pytest.raises(ValidationError, match="already a member"):
        member_add(by=world.users["alice"], group=site, name="张三", id_number=make_id_number(1))


def test_a_lab_row_of_a_worker_from_elsewhere_is_matched_to_the_worker(world, lab_file, worker):
    row = ["周工", WORKER_ID, "", "2022-04-10 07:00", "工地采样点", "K1", "阴性", ""]

    batch = results_import(path=lab_file([row]))

    assert batch.counts["matched"] == 1
    result = LabResult.objects.get()
    assert result.person is None and result.subject_hash == worker.id_number_hash


def test_never_tested_is_overdue_from_the_day_after_joining(world, worker):
    assert overdue_names(world, date(2022, 4, 1)) == []
    assert overdue_names(world, date(2022, 4, 2)) == ["周工"]


def test_every_n_days_means_due_on_the_nth_day_and_overdue_after(world, lab_file, worker):
    # given a test on 10 April and a rule of every 2 days
    results_import(
        path=lab_file([["周工", WORKER_ID, "", "2022-04-10 07:00", "", "K1", "阴性", ""]])
    )

    # then due on 12 April, overdue from 13 April
    status = member_statuses(worker.group.members.all(), date(2022, 4, 12))[0]
    assert (status.last_tested_on, status.due_on, status.overdue) == (
        date(2022, 4, 10),
        date(2022, 4, 12),
        False,
    )
    assert overdue_names(world, date(2022, 4, 12)) == []
    late = overdue_members(world.users["alice"], date(2022, 4, 14))
    assert [(s.member.name, s.overdue_days) for s in late] == [("周工", 2)]


def test_an_invalid_result_does_not_count_as_a_test(world, lab_file, worker):
    results_import(
        path=lab_file([["周工", WORKER_ID, "", "2022-04-10 07:00", "", "K1", "无效", ""]])
    )

    assert overdue_names(world, date(2022, 4, 2)) == ["周工"]


def test_a_sample_late_in_the_evening_counts_on_its_shanghai_date(world, lab_file, worker):
    # 23:30 in Shanghai is 15:30 UTC the same day; the next day's 00:30 is still the 10th in UTC
    results_import(
        path=lab_file([["周工", WORKER_ID, "", "2022-04-11 00:30", "", "K1", "阴性", ""]])
    )

    assert member_statuses(worker.group.members.all(), date(2022, 4, 12))[0].last_tested_on == date(
        2022, 4, 11
    )


def test_members_who_left_are_not_overdue(world, worker):
    from wangge.testing.services.keygroups import member_leave

    member_leave(by=world.users["alice"], member=worker, left_on=date(2022, 4, 5))

    assert overdue_names(world, date(2022, 4, 9)) == []


def test_a_registered_member_is_tested_through_their_person(world, lab_file, site):
    member_add(
        by=world.users["alice"],
        group=site,
        name="张三",
        id_number=make_id_number(1),
        joined_on=date(2022, 4, 1),
    )
    results_import(path=lab_file([lab_row(serial=1, sampled="2022-04-10 09:00")]))

    assert overdue_names(world, date(2022, 4, 12)) == []
    assert overdue_names(world, date(2022, 4, 13)) == ["张三"]


def test_members_import_reports_bad_rows_and_duplicates(world, site, lab_file):
    header = ["姓名", "身份证号", "联系电话", "用工单位", "工地"]
    path = lab_file(
        [
            ["周工", WORKER_ID, "13511112222", "某建工", "一号工地"],
            ["周工", WORKER_ID, "13511112222", "某建工", "一号工地"],
            ["吴工", "123", "", "某建工", ""],
            ["", make_id_number(9, area="410102"), "", "", ""],
        ],
        header=header,
    )

    outcome = members_import(by=world.users["alice"], group=site, path=path)

    assert outcome.as_dict() == {"added": 1, "duplicates": 1, "rejected": 2}
    assert [number for number, _ in outcome.rejected] == [4, 5]
    assert site.members.get().venue == "一号工地"


def test_a_grid_worker_sees_no_street_key_group(world, worker):
    assert overdue_members(world.users["gavin"], date(2022, 4, 9)) == []
