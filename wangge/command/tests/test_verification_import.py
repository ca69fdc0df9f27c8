import json
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from conftest import make_id_number
from wangge.command.models import VerificationList, VerificationRow
from wangge.command.services.verification import verification_list_import
from wangge.command.tests.lists import standard_rows, write_list
from wangge.core.jobs.models import Job

Row = VerificationRow
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def run_cli(path, *args):
    out, err = StringIO(), StringIO()
    call_command(
        "import_verification_list", str(path), "--street", "江南街道", *args, stdout=out, stderr=err
    )
    return out.getvalue().strip().splitlines(), err.getvalue()


def import_rows(world, tmp_path, rows, name="list.xlsx", **extra):
    path = write_list(tmp_path / name, rows)
    with path.open("rb") as stream:
        return verification_list_import(
            street=world.street, stream=stream, original_name=name, **extra
        )


def test_cli_counts_every_non_blank_row_once(world, tmp_path):
    # given the standard list: 8 non-blank data rows, a blank row and a row with only its 序号
    path = write_list(tmp_path / "第12批.xlsx", standard_rows())

    # when
    lines, errors = run_cli(path, "--deadline", "2026-03-04T12:00")

    # then the last line is exactly the counts, and rows = matched + unmatched + rejected
    counts = json.loads(lines[-1])
    assert counts == {"rows": 8, "matched": 5, "unmatched": 2, "rejected": 1}
    assert list(counts) == ["rows", "matched", "unmatched", "rejected"]
    assert "invalid ID" in errors


def test_matching_priority_and_reasons(world, tmp_path):
    vlist = import_rows(world, tmp_path, standard_rows())
    rows = {row.row_number: row for row in vlist.rows.all()}
    p = world.persons

    # a valid ID decides
    assert (rows[3].person, rows[3].method) == (p["zhang_san"], Row.Method.ID)
    # no ID: phone + name
    assert (rows[4].person, rows[4].method) == (p["li_si"], Row.Method.PHONE_NAME)
    # an invalid ID with a phone and name: matched by those, the ID's problem noted
    assert (rows[5].person, rows[5].method) == (p["wang_wu"], Row.Method.PHONE_NAME)
    assert "invalid ID" in rows[5].problem
    # duplicate rows stay rows
    assert rows[6].person == p["zhang_san"]
    # name + address
    assert (rows[7].person, rows[7].method) == (p["zhao_liu"], Row.Method.NAME_ADDRESS)
    # invalid ID and nothing else: unmatched with the reason "invalid ID"
    assert rows[8].outcome == Row.Outcome.UNMATCHED and "invalid ID" in rows[8].problem
    # a valid ID nobody registered
    assert rows[9].outcome == Row.Outcome.UNMATCHED and "not found" in rows[9].problem
    # neither ID, phone nor name: rejected with the reason, never dropped
    assert (
        rows[10].outcome == Row.Outcome.REJECTED
        and "no ID number, phone or name" in rows[10].problem
    )
    assert [r.position for r in vlist.rows.order_by("position")] == list(range(8))


def test_an_id_beats_phone_and_name_and_a_conflicting_id_blocks_them(world, tmp_path):
    # given a row with 张三's ID but 王五's name and phone, and one with 王五's phone and name
    # but a valid ID that is not 王五's
    vlist = import_rows(
        world,
        tmp_path,
        [
            [1, "王五", make_id_number(1), "13700003333", "", "", "", ""],
            [2, "王五", make_id_number(9), "13700003333", "", "", "", ""],
        ],
    )
    first, second = vlist.rows.order_by("position")

    assert first.person == world.persons["zhang_san"]
    assert second.person is None and second.outcome == Row.Outcome.UNMATCHED


def test_matched_rows_go_to_the_grid_worker_and_unmatched_to_the_tracers(world, tmp_path):
    vlist = import_rows(world, tmp_path, standard_rows())
    rows = {row.row_number: row for row in vlist.rows.all()}
    gavin, bella = world.users["gavin"], world.users["bella"]

    assert (rows[3].assignee, rows[3].grid, rows[3].pool) == (gavin, world.grid_a, Row.Pool.GRID)
    # 李四 lives in small grid A1, which has no grid worker of its own: its big grid's worker
    assert (rows[4].assignee, rows[4].grid) == (gavin, world.grid_a1)
    assert rows[5].assignee == bella
    # grid D has no grid worker at all: its community's pool
    assert (rows[7].assignee, rows[7].pool, rows[7].community) == (
        None,
        Row.Pool.COMMUNITY,
        world.west,
    )
    assert (rows[8].assignee, rows[8].pool) == (None, Row.Pool.TRACERS)


def test_a_communitys_own_list_sends_unmatched_rows_to_the_community(world, tmp_path):
    vlist = import_rows(
        world, tmp_path, standard_rows(), community=world.east, by=world.users["carol"]
    )

    unmatched = vlist.rows.filter(outcome=Row.Outcome.UNMATCHED)
    assert set(unmatched.values_list("pool", "community")) == {(Row.Pool.COMMUNITY, world.east.pk)}


def test_row_deadline_else_list_deadline(world, tmp_path):
    deadline = datetime(2026, 3, 4, 4, 0, tzinfo=UTC)
    with time_machine.travel(T0, tick=False):
        vlist = import_rows(world, tmp_path, standard_rows(), deadline=deadline)
    rows = {row.row_number: row for row in vlist.rows.all()}

    assert rows[3].due_at == deadline
    assert rows[7].due_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai
    assert rows[9].due_at == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # "24小时" after import


def test_the_same_file_is_refused_and_a_changed_file_is_a_new_list(world, tmp_path):
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    first, _ = run_cli(path)
    list_id = VerificationList.objects.get().pk

    with pytest.raises(CommandError, match=f"already imported as list {list_id}"):
        run_cli(path)

    rows = standard_rows()
    rows[0][5] = "密接（更正）"
    changed = write_list(tmp_path / "list-v2.xlsx", rows)
    lines, _ = run_cli(changed)
    assert json.loads(lines[-1])["rows"] == 8
    assert VerificationList.objects.count() == 2


def test_unknown_street_and_unreadable_file_fail_with_a_message(world, tmp_path):
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    with pytest.raises(CommandError, match="no street named"):
        call_command("import_verification_list", str(path), "--street", "北街道", stdout=StringIO())
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError, match="cannot read"):
        run_cli(junk)
    assert not VerificationList.objects.exists()


def test_matching_is_set_based(world, tmp_path, django_assert_max_num_queries):
    # given a list of 300 rows
    rows = [[i, "张三", make_id_number(1), "", "", "", "", ""] for i in range(150)]
    rows += [[i, "李四", "", "13900002222", "", "", "", ""] for i in range(150)]
    path = write_list(tmp_path / "big.xlsx", rows)

    # then importing it takes a fixed number of queries, not one per row
    with django_assert_max_num_queries(40), path.open("rb") as stream:
        vlist = verification_list_import(
            street=world.street, stream=stream, original_name="big.xlsx"
        )
    assert vlist.matched == 300


def test_cli_import_is_a_job_record_with_its_counts_owned_by_the_user_it_names(world, tmp_path):
    path = write_list(tmp_path / "list.xlsx", standard_rows())

    lines, _ = run_cli(path, "--by", "alice")

    vlist = VerificationList.objects.select_related("job").get()
    job = vlist.job
    assert job is not None and job.kind == "verification.import"
    assert job.status == Job.Status.DONE and job.command == "import_verification_list"
    assert job.owner == world.users["alice"] and vlist.created_by == world.users["alice"]
    assert job.counts == vlist.counts == json.loads(lines[-1])
