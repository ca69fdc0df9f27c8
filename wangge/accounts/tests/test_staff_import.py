import json
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from wangge.accounts.grants import SYSTEM
from wangge.accounts.models import RoleAssignment, StaffImport, User
from wangge.accounts.staff_import.reader import StaffImportError, read_staff_sheet
from wangge.accounts.staff_import.services import staff_import_file, staff_import_job
from wangge.accounts.tests.sheets import HEADER, xlsx
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import JobFailed
from wangge.core.jobs.services import job_create
from wangge.core.models import AuditEntry
from wangge.core.roles import Role


def run(world, content, by=SYSTEM):
    return staff_import_file(by=by, street=world.street, filename="staff.xlsx", content=content)


def credentials(result) -> dict[Any, Any]:
    sheet = load_workbook(BytesIO(result.credentials)).active
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}


def test_rows_become_accounts_and_roles(world):
    # given two rows for one new grid worker (two grids) and one for a new police officer
    content = xlsx(
        HEADER,
        ["wangxm", "王小明", "13800138000", "网格员", "东社区", "第一网格"],
        ["wangxm", "王小明", "13800138000", "网格员", "东社区", "第二网格"],
        ["lijing", "李警", "", "片警", "西社区", ""],
    )

    # when
    result = run(world, content)

    # then
    assert result.counts == {"created": 2, "updated": 0, "rejected": 0}
    wang = User.objects.get(username="wangxm")
    assert wang.must_change_password and wang.full_name == "王小明"
    assert set(wang.role_assignments.values_list("grid__name", flat=True)) == {
        "第一网格",
        "第二网格",
    }
    assert User.objects.get(username="lijing").role_assignments.get().community == world.west
    passwords = credentials(result)
    assert wang.check_password(passwords["wangxm"])
    # audited as an upload is: the file read, then the run that wrote
    assert AuditEntry.objects.filter(action="import").count() == 2
    assert AuditEntry.objects.filter(action="permission").count() == 3


def test_reimport_adds_nothing_and_existing_accounts_gain_new_roles_only(world):
    content = xlsx(HEADER, ["gavin", "Gavin", "", "网格员", "东社区", "第一网格"])
    assert run(world, content).counts == {"created": 0, "updated": 0, "rejected": 0}

    content = xlsx(
        HEADER,
        ["gavin", "", "", "网格员", "东社区", "第一网格"],
        ["gavin", "", "", "网格员", "东社区", "第二网格"],
    )
    result = run(world, content)

    assert result.counts == {"created": 0, "updated": 1, "rejected": 0}
    assert result.credentials is None
    assert world.users["gavin"].role_assignments.count() == 2
    assert run(world, content).counts == {"created": 0, "updated": 0, "rejected": 0}


def test_bad_rows_are_rejected_with_row_column_and_reason(world):
    content = xlsx(
        ["江南街道工作人员名单"],  # a title row above the header
        HEADER,
        ["ok1", "好人", "13900001111", "网格员", "东社区", "第一网格"],
        ["", "无名", "", "网格员", "东社区", "第一网格"],
        ["bad phone", "甲", "12345", "网格员", "东社区", "第一网格"],
        ["x3", "乙", "", "队长", "东社区", ""],
        ["x4", "丙", "", "网格员", "北社区", "第一网格"],
        ["x5", "丁", "", "网格员", "东社区", "第九网格"],
        ["x6", "戊", "", "网格员", "东社区", ""],
        ["x7", "", "", "网格员", "东社区", "第一网格"],
        ["gavin", "王刚", "", "网格员", "东社区", "第二网格"],
        [None, None, None, None, None, None],
        ["x8", "己", "", "网格员", "", "第一网格"],
    )

    result = run(world, content)

    assert result.counts == {"created": 1, "updated": 0, "rejected": 9}
    found = {(e["row"], e["column"]) for e in result.errors}
    assert found == {
        (4, "用户名/账号"),
        (5, "用户名/账号"),  # a space is not allowed in a username
        (6, "角色"),
        (7, "社区"),
        (8, "网格"),
        (9, "社区"),
        (10, "姓名"),
        (11, "姓名"),
        (13, "社区"),
    }
    assert all(" / " in e["reason"] for e in result.errors)  # Chinese / English
    assert not User.objects.filter(username__in=["x3", "x4", "x5", "x6", "x7", "x8"]).exists()


def test_a_bad_phone_is_named_as_such(world):
    result = run(world, xlsx(HEADER, ["jia", "甲", "12345", "网格员", "东社区", "第一网格"]))

    assert result.errors == [{"row": 2, "column": "手机号", "reason": result.errors[0]["reason"]}]
    assert "电话号码" in result.errors[0]["reason"]


def test_rows_of_one_username_that_disagree_are_all_rejected(world):
    content = xlsx(
        HEADER,
        ["zhou", "周一", "", "网格员", "东社区", "第一网格"],
        ["zhou", "周二", "", "网格员", "东社区", "第二网格"],
    )

    result = run(world, content)

    assert result.counts == {"created": 0, "updated": 0, "rejected": 2}
    assert not User.objects.filter(username="zhou").exists()


def test_a_community_worker_imports_into_her_community_only(world):
    content = xlsx(
        HEADER,
        ["a1", "甲", "", "网格员", "东社区", "第一网格"],
        ["a2", "乙", "", "网格员", "西社区", "第四网格"],
        ["a3", "丙", "", "街道指挥", "", ""],
        ["carol", "Carol", "", "片警", "东社区", ""],
    )

    result = run(world, content, by=world.users["carol"])

    assert result.counts == {"created": 1, "updated": 0, "rejected": 3}
    assert [e["row"] for e in result.errors] == [3, 4, 5]
    assert User.objects.filter(username="a1").exists()


def test_a_password_column_is_refused(world):
    with pytest.raises(StaffImportError, match="初始密码"):
        read_staff_sheet(
            xlsx([*HEADER, "初始密码"], ["a", "甲", "", "网格员", "东社区", "第一网格", "x"])
        )


def test_an_unreadable_file_or_missing_columns_say_so(world):
    with pytest.raises(StaffImportError, match="cannot read"):
        read_staff_sheet(b"not a workbook")
    with pytest.raises(StaffImportError, match="角色"):
        read_staff_sheet(xlsx(["用户名", "姓名"], ["a", "甲"]))


def test_numbers_typed_as_numbers_are_read_as_text(world):
    rows = read_staff_sheet(
        xlsx(HEADER, [10086, "甲", 13800138000, "网格员", "东社区", "第一网格"])
    )

    assert rows[0]["values"]["username"] == "10086"
    assert rows[0]["values"]["phone"] == "13800138000"


def test_command_prints_errors_and_a_json_last_line(world, tmp_path: Path):
    source = tmp_path / "staff.xlsx"
    source.write_bytes(
        xlsx(
            HEADER,
            ["cli1", "命令", "", "卡点值守", "", ""],
            ["cli2", "", "", "网格员", "东社区", "第一网格"],
        )
    )
    out = StringIO()

    call_command("import_staff", str(source), "--street", "江南街道", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert json.loads(lines[-1]) == {"created": 1, "updated": 0, "rejected": 1}
    assert any("第3行" in line for line in lines)
    saved = tmp_path / "staff-credentials.xlsx"
    assert saved.exists() and oct(saved.stat().st_mode)[-3:] == "600"
    assert RoleAssignment.objects.get(user__username="cli1").street == world.street


def test_command_fails_clearly_when_it_cannot_read(world, tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_staff", str(tmp_path / "missing.xlsx"), "--street", "江南街道")
    with pytest.raises(CommandError, match="no street"):
        (tmp_path / "a.xlsx").write_bytes(xlsx(HEADER))
        call_command("import_staff", str(tmp_path / "a.xlsx"), "--street", "北街道")


def test_upload_runs_as_a_task_and_hands_out_passwords_once(
    client, world, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.users["carol"])
    upload = BytesIO(
        xlsx(
            HEADER,
            ["web1", "网页", "", "网格员", "东社区", "第一网格"],
            ["web2", "错行", "", "网格员", "西社区", "第四网格"],
        )
    )
    upload.name = "staff.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:staff_import"), {"street": world.street.pk, "file": upload}
        )

    job = StaffImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accounts:staff_import_detail", args=[job.pk])
    page = client.get(response.url)
    assert page.context["job"].counts == {"created": 1, "updated": 0, "rejected": 1}
    assert "第四网格" not in str(page.context["job"].rows)
    assert 'data-testid="import-error"' in page.content.decode()

    download = client.post(reverse("accounts:staff_import_credentials", args=[job.pk]))
    assert download.status_code == 200
    password = load_workbook(BytesIO(download.content)).active["C3"].value
    assert User.objects.get(username="web1").check_password(password)
    again = client.post(reverse("accounts:staff_import_credentials", args=[job.pk]))
    assert again.status_code == 404
    job.refresh_from_db()
    assert job.credentials_sealed == "" and job.credentials_taken_at is not None


def test_only_the_importer_downloads_the_passwords(
    client, world, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.users["carol"])
    upload = BytesIO(xlsx(HEADER, ["web1", "网页", "", "网格员", "东社区", "第一网格"]))
    upload.name = "staff.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:staff_import"), {"street": world.street.pk, "file": upload})
    job = StaffImport.objects.get()

    client.force_login(world.users["alice"])

    assert (
        client.post(reverse("accounts:staff_import_credentials", args=[job.pk])).status_code == 404
    )
    assert client.get(reverse("accounts:staff_import_detail", args=[job.pk])).status_code == 404

    # the passwords are still sealed, waiting for the importer, who gets them once
    job.refresh_from_db()
    assert job.credentials_sealed != "" and job.credentials_taken_at is None
    client.force_login(world.users["carol"])
    download = client.post(reverse("accounts:staff_import_credentials", args=[job.pk]))
    password = load_workbook(BytesIO(download.content)).active["C3"].value
    assert User.objects.get(username="web1").check_password(password)


def test_upload_of_a_bad_file_answers_422(client, world):
    client.force_login(world.users["carol"])
    upload = BytesIO(b"junk")
    upload.name = "staff.xlsx"

    response = client.post(
        reverse("accounts:staff_import"), {"street": world.street.pk, "file": upload}
    )

    assert response.status_code == 422
    assert "cannot read" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_template_has_the_canonical_headers(client, world):
    client.force_login(world.users["carol"])

    response = client.get(reverse("accounts:staff_import_template"))

    header = next(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(header) == HEADER
    assert Role.GRID_WORKER.label in [
        c.value for c in load_workbook(BytesIO(response.content)).active[2]
    ]


def test_a_running_import_polls_its_progress(client, world):
    carol = world.users["carol"]
    job = StaffImport.objects.create(
        street=world.street,
        created_by=carol,
        original_name="staff.xlsx",
        job=job_create(kind="staff.import", owner=carol, total=40),
    )
    Job.objects.filter(pk=job.job_id).update(done=10)
    client.force_login(carol)

    page = client.get(reverse("accounts:staff_import_detail", args=[job.pk]))
    part = client.get(
        reverse("accounts:staff_import_detail", args=[job.pk]), headers={"HX-Request": "true"}
    )

    assert 'hx-trigger="load delay:1s"' in page.content.decode()
    assert part.content.decode().lstrip().startswith("<div")
    assert 'value="25"' in part.content.decode()


def test_an_import_whose_importer_is_gone_fails_and_writes_nothing(world):
    rows = read_staff_sheet(xlsx(HEADER, ["z1", "甲", "", "街道指挥", "", ""]))
    staff_import = StaffImport.objects.create(
        street=world.street,
        created_by=None,
        original_name="x.xlsx",
        rows=rows,
        job=job_create(kind="staff.import", owner=None, total=1),
    )

    with pytest.raises(JobFailed, match="已删除"):
        staff_import_job(staff_import.job, lambda done, total: None)

    staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.FAILED
    assert not User.objects.filter(username="z1").exists()


def test_the_command_line_import_is_a_job_record_with_its_counts(world, tmp_path: Path):
    source = tmp_path / "staff.xlsx"
    source.write_bytes(xlsx(HEADER, ["cli1", "命令", "", "卡点值守", "", ""]))

    call_command("import_staff", str(source), "--street", "江南街道", stdout=StringIO())

    staff_import = StaffImport.objects.select_related("job").get()
    job = staff_import.job
    assert job is not None and job.kind == "staff.import" and job.status == Job.Status.DONE
    assert job.owner is None and job.command == "import_staff"
    assert job.counts == staff_import.counts == {"created": 1, "updated": 0, "rejected": 0}
    # audited as an upload is: the file, then the run; the passwords went to the file, once
    imports = AuditEntry.objects.filter(action="import", target_id=str(staff_import.pk))
    assert imports.count() == 2
    assert not staff_import.credentials_sealed and staff_import.credentials_taken_at


def test_the_header_row_is_the_one_naming_the_username_and_full_width_digits_are_read(world):
    rows = read_staff_sheet(
        xlsx(
            ["姓名", "角色"],  # a note row that names columns but not the username
            HEADER,
            ["z2", "甲", "１３８００１３８０００", "网格员", "东社区", "第一网格"],
        )
    )

    assert rows == [
        {
            "row": 3,
            "values": {
                "username": "z2",
                "full_name": "甲",
                "phone": "13800138000",
                "role": "网格员",
                "community": "东社区",
                "grid": "第一网格",
            },
        }
    ]


def test_a_file_without_the_username_header_says_so(world):
    with pytest.raises(StaffImportError, match="用户名/账号"):
        read_staff_sheet(xlsx(["姓名", "角色"], ["甲", "网格员"]))


def test_the_workers_import_entry_carries_the_uploads_origin(
    client, world, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.users["carol"])
    upload = BytesIO(xlsx(HEADER, ["web1", "网页", "", "网格员", "东社区", "第一网格"]))
    upload.name = "staff.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:staff_import"),
            {"street": world.street.pk, "file": upload},
            REMOTE_ADDR="203.0.113.9",
            HTTP_USER_AGENT="Firefox/140",
        )

    entries = AuditEntry.objects.filter(action="import", target_type="accounts.staffimport")
    assert entries.count() == 2  # the upload, and the worker's run
    assert {(entry.ip, entry.user_agent) for entry in entries} == {("203.0.113.9", "Firefox/140")}
