"""Lab-result import: matching priorities and the counting rules of issue 7, row by row."""

import json
from io import StringIO

import openpyxl
import pytest
from django.core.files import File
from django.core.management import call_command

from conftest import make_id_number
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed
from wangge.core.jobs.services import job_create
from wangge.testing.models import (
    LabResult,
    RejectedRow,
    ResultCorrection,
    ResultImport,
    UnmatchedResult,
)
from wangge.testing.services import unmatched_dismiss, unmatched_resolve
from wangge.testing.services.lab.importing import results_import
from wangge.testing.services.lab.jobs import lab_import_job
from wangge.testing.tests.conftest import lab_row

pytestmark = pytest.mark.django_db


def counts(batch) -> tuple[int, int, int, int]:
    c = batch.counts
    return c["matched"], c["unmatched"], c["duplicates"], c["rejected"]


def test_a_filled_id_matches_by_id_even_when_the_name_is_misspelt(world, lab_file):
    # given the lab wrote 张叁 but 张三's ID number
    path = lab_file([lab_row(name="张叁", serial=1)])

    # when
    batch = results_import(path=path)

    # then
    assert counts(batch) == (1, 0, 0, 0)
    result = LabResult.objects.get()
    assert result.person == world.persons["zhang_san"]
    assert result.result == "negative" and result.round is None  # routine testing


def test_a_valid_unknown_id_is_unmatched_without_falling_back_to_the_phone(world, lab_file):
    # given a valid ID nobody holds, with 张三's phone and name
    path = lab_file([lab_row(name="张三", serial=77, phone="13800001111")])

    batch = results_import(path=path)

    assert counts(batch) == (0, 1, 0, 0)
    row = UnmatchedResult.objects.get()
    assert row.reason == "unknown_id" and row.status == "open"
    assert row.id_number_masked.startswith("330") and row.phone_masked == "138****1111"
    assert not LabResult.objects.exists()


def test_phone_and_name_match_only_when_the_id_cell_is_empty(world, lab_file):
    path = lab_file(
        [
            lab_row(name="李四", serial=None, phone="139 0000 2222", tube="T1"),
            lab_row(name="李五", serial=None, phone="13900002222", tube="T2"),
        ]
    )

    batch = results_import(path=path)

    assert counts(batch) == (1, 1, 0, 0)
    assert LabResult.objects.get().person == world.persons["li_si"]
    assert UnmatchedResult.objects.get().reason == "no_match"


def test_a_phone_and_name_that_fit_two_persons_is_unmatched_as_ambiguous(world, lab_file):
    # given 王五 has a namesake sharing his phone (father and son)
    from conftest import _person

    _person(world.households["b"], "王五", 30, "13700003333")
    path = lab_file([lab_row(name="王五", serial=None, phone="13700003333")])

    batch = results_import(path=path)

    assert counts(batch) == (0, 1, 0, 0)
    assert UnmatchedResult.objects.get().reason == "ambiguous"


def test_rejected_rows_keep_their_row_number_and_reason(world, lab_file):
    bad_check_digit = make_id_number(1)[:-1] + ("0" if make_id_number(1)[-1] != "0" else "1")
    path = lab_file(
        [
            lab_row(serial=1),  # row 2: fine
            ["张三", bad_check_digit, "", "2022-04-10 08:15", "", "T9", "阴性", ""],  # row 3
            ["", "", "13800001111", "2022-04-10 08:15", "", "T9", "阴性", ""],  # row 4: no name
            [],  # row 5: blank, not a data row
            lab_row(serial=2, sampled="明天上午"),  # row 6
            lab_row(serial=3, result="弱阳"),  # row 7
        ]
    )

    batch = results_import(path=path)

    assert counts(batch) == (1, 0, 0, 4)
    reasons = dict(RejectedRow.objects.values_list("row_number", "reason"))
    assert sorted(reasons) == [3, 4, 6, 7]
    assert "校验位" in reasons[3]
    assert "neither an ID number nor phone and name" in reasons[4]
    assert "sample time" in reasons[6] and "result" in reasons[7]


def test_every_data_row_is_counted_once(world, lab_file):
    path = lab_file(
        [
            lab_row(serial=1, tube="A"),
            lab_row(serial=1, tube="A"),  # duplicate in the file
            lab_row(serial=99, tube="B"),  # unmatched
            lab_row(serial=None, phone="", tube="C"),  # rejected: no ID, no phone
            lab_row(serial=2, tube="D", result="negative"),
            lab_row(serial=3, tube="E", result="Positive"),
        ]
    )

    batch = results_import(path=path)

    assert counts(batch) == (3, 1, 1, 1)
    assert sum(batch.counts.values()) == 6
    assert set(LabResult.objects.values_list("result", flat=True)) == {"negative", "positive"}


def test_reimporting_the_same_file_changes_nothing(world, lab_file):
    path = lab_file([lab_row(serial=1, tube="A"), lab_row(serial=99, tube="B")])
    results_import(path=path)
    before = (LabResult.objects.count(), UnmatchedResult.objects.count())

    batch = results_import(path=path)

    assert counts(batch) == (0, 0, 2, 0)
    assert (LabResult.objects.count(), UnmatchedResult.objects.count()) == before


def test_a_lab_correction_updates_the_result_and_keeps_the_history(world, lab_file):
    results_import(path=lab_file([lab_row(serial=1, tube="A", result="待复核")]))

    batch = results_import(path=lab_file([lab_row(serial=1, tube="A", result="阴性")]))

    assert counts(batch) == (1, 0, 0, 0)
    result = LabResult.objects.get()
    assert result.result == "negative"
    correction = ResultCorrection.objects.get()
    assert (correction.result_record, correction.old_result, correction.new_result) == (
        result,
        "pending",
        "negative",
    )


def test_a_correction_later_in_the_same_file_counts_as_matched(world, lab_file):
    path = lab_file([lab_row(serial=1, result="阴性"), lab_row(serial=1, result="阳性")])

    batch = results_import(path=path)

    assert counts(batch) == (2, 0, 0, 0)
    assert LabResult.objects.get().result == "positive"
    assert ResultCorrection.objects.get().old_result == "negative"


def test_staff_decisions_are_remembered(world, lab_file):
    # given two unknown persons in the resolution list
    path = lab_file(
        [
            lab_row(name="张三", serial=None, phone="13800009999", tube="A"),
            lab_row(name="外地人", serial=88, tube="B"),
        ]
    )
    results_import(path=path)
    mistyped, stranger = UnmatchedResult.objects.order_by("row_number")
    carol = world.users["carol"]

    # when staff say the first is 张三 and the second is not ours
    unmatched_resolve(by=carol, row=mistyped, person=world.persons["zhang_san"])
    unmatched_dismiss(by=carol, row=stranger, note="外区人员")

    # then re-importing queues nothing and counts both as duplicates
    again = results_import(path=path)
    assert counts(again) == (0, 0, 2, 0)
    assert not UnmatchedResult.objects.filter(status="open").exists()
    assert LabResult.objects.get().person == world.persons["zhang_san"]

    # and the next round's rows of the same identities follow the decisions
    later = results_import(
        path=lab_file(
            [
                lab_row(
                    name="张三",
                    serial=None,
                    phone="13800009999",
                    tube="X",
                    sampled="2022-04-12 09:00",
                ),
                lab_row(name="外地人", serial=88, tube="Y", sampled="2022-04-12 09:00"),
            ]
        )
    )
    assert counts(later) == (1, 1, 0, 0)
    assert LabResult.objects.filter(person=world.persons["zhang_san"]).count() == 2
    assert UnmatchedResult.objects.filter(status="open").count() == 0


def test_without_a_round_a_result_joins_the_round_that_contains_it(world, lab_file, east_round):
    path = lab_file(
        [
            lab_row(serial=1, tube="A", sampled="2022-04-10 09:00"),  # 东社区, in the window
            lab_row(serial=4, tube="B", sampled="2022-04-10 09:00"),  # 西社区: outside the scope
            lab_row(serial=2, tube="C", sampled="2022-04-11 09:00"),  # 东社区, after the window
        ]
    )

    results_import(path=path)

    rounds = dict(LabResult.objects.values_list("person__name", "round_id"))
    assert rounds == {"张三": east_round.pk, "赵六": None, "李四": None}


def test_with_a_round_every_result_joins_it_even_out_of_scope(world, lab_file, east_round):
    batch = results_import(path=lab_file([lab_row(serial=4)]), round=east_round)

    assert counts(batch) == (1, 0, 0, 0)
    assert LabResult.objects.get().round == east_round


def test_an_xlsx_with_a_title_row_and_synonyms(world, tmp_path):
    path = tmp_path / "迪安检验.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["江南街道核酸检测结果（2022-04-10）"])
    sheet.append(["序号", "姓名", "身份证号", "联系电话", "采样时间", "管码", "检测结果"])
    sheet.append([1, "张三", make_id_number(1), 13800001111, "2022/4/10 8:15", "G01", "阴性"])
    sheet.append([2, "李四", None, 13900002222, "2022/4/10 8:16", "G01", "阴性"])
    book.save(path)

    batch = results_import(path=path)

    assert counts(batch) == (2, 0, 0, 0)
    assert set(LabResult.objects.values_list("tube_code", flat=True)) == {"G01"}


def test_the_command_prints_the_counts_as_its_last_line(world, lab_file, east_round):
    path = lab_file([lab_row(serial=1), lab_row(serial=5, result="??")])
    out = StringIO()

    call_command("import_results", str(path), "--round", str(east_round.pk), stdout=out)

    last = out.getvalue().strip().splitlines()[-1]
    assert json.loads(last) == {"matched": 1, "unmatched": 0, "duplicates": 0, "rejected": 1}
    assert list(json.loads(last)) == ["matched", "unmatched", "duplicates", "rejected"]


def test_the_command_import_is_a_job_record_with_its_counts(world, lab_file, east_round):
    path = lab_file([lab_row(serial=1), lab_row(serial=5, result="??")])
    out = StringIO()

    call_command(
        "import_results", str(path), "--round", str(east_round.pk), "--user", "alice", stdout=out
    )

    batch = ResultImport.objects.select_related("job").get()
    job = batch.job
    assert job is not None and job.kind == "lab.import" and job.status == Job.Status.DONE
    assert job.command == "import_results" and job.owner == world.users["alice"]
    assert job.counts == batch.counts == json.loads(out.getvalue().strip().splitlines()[-1])
    assert not batch.file  # the results keep what is needed; the file is deleted


def test_a_job_whose_importer_is_gone_imports_nothing_rather_than_as_the_system(
    world, lab_file, east_round
):
    path = lab_file([lab_row(serial=1)])
    job = job_create(kind="lab.import", owner=None, total=1)
    with path.open("rb") as stream:
        batch = ResultImport.objects.create(
            round=east_round, file=File(stream, name=path.name), original_name=path.name, job=job
        )

    with pytest.raises(JobFailed, match="已删除"):
        lab_import_job(job, lambda done, total: None)

    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.FAILED and not LabResult.objects.exists()


@pytest.mark.parametrize("bad_id", ["12345", "3.30102199001011E+17", "33010219800517001A"])
def test_ids_that_cannot_be_resident_ids_are_rejected(world, lab_file, bad_id):
    batch = results_import(
        path=lab_file([["张三", bad_id, "", "2022-04-10 08:15", "", "T1", "阴性", ""]])
    )

    assert counts(batch) == (0, 0, 0, 1)


def test_a_passport_number_is_matched_as_a_document_of_its_own(world, lab_file):
    from conftest import _person
    from wangge.people.models import Person

    visitor = _person(world.households["a"], "John Smith", 60)
    Person.objects.filter(pk=visitor.pk).update(id_type="passport")
    visitor.set_id_number("E12345678")
    Person.objects.filter(pk=visitor.pk).update(id_number_hash=visitor.id_number_hash)

    batch = results_import(
        path=lab_file([["John Smith", "e12345678", "", "2022-04-10 08:15", "", "T1", "阴性", ""]])
    )

    assert counts(batch) == (1, 0, 0, 0)
    assert LabResult.objects.get().person_id == visitor.pk


def test_of_two_rounds_that_contain_a_result_the_latest_starting_wins(world, lab_file, east_round):
    from wangge.testing.services import round_create
    from wangge.testing.tests.conftest import local

    street_round = round_create(
        by=world.users["alice"],
        street=world.street,
        name="全街道补检",
        starts_at=local(2022, 4, 10, 8, 0),
        ends_at=local(2022, 4, 10, 20, 0),
    )
    path = lab_file(
        [
            lab_row(serial=1, tube="A", sampled="2022-04-10 07:00"),  # before the street round
            lab_row(serial=2, tube="B", sampled="2022-04-10 09:00"),  # both: the later start
            lab_row(serial=4, tube="C", sampled="2022-04-10 09:00"),  # 西社区: street round only
        ]
    )

    results_import(path=path)

    rounds = dict(LabResult.objects.values_list("person__name", "round_id"))
    assert rounds == {"张三": east_round.pk, "李四": street_round.pk, "赵六": street_round.pk}
