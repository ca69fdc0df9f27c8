"""Exporting persons: scope, masking, watermark, audit; and an export imports back unchanged."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_id_number
from wangge.core.exports import result_path
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.core.roles import ROLE_ACTIONS, Action, Role
from wangge.people.exporting import person_export
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.importing.service import roster_import_file


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def rows_of(exported: Job | bytes) -> list[tuple]:
    if isinstance(exported, Job):
        exported = result_path(exported).read_bytes()
    return list(load_workbook(BytesIO(exported)).active.iter_rows(values_only=True))


def test_export_holds_the_users_scope_only(world):
    exported = person_export(by=world.users["carol"], reason="screening")

    rows = rows_of(exported)
    assert list(rows[1]) == list(CANONICAL_HEADERS)
    assert sorted(row[0] for row in rows[2:]) == ["张三", "李四", "王五"]
    assert exported.counts == {"rows": 3}


def test_export_narrows_to_a_grid(world):
    exported = person_export(by=world.users["alice"], reason="screening", grid=world.grid_b)

    assert [row[0] for row in rows_of(exported)[2:]] == ["王五"]


def test_first_row_is_a_watermark_with_user_time_and_reason(world):
    exported = person_export(by=world.users["carol"], reason="other", reason_text="社区排查")

    watermark = rows_of(exported)[0][0]
    assert "carol" in watermark and "其他：社区排查" in watermark and "导出时间" in watermark


def test_a_user_who_may_reveal_gets_full_numbers(world):
    exported = person_export(by=world.users["carol"], reason="screening")

    zhang = next(row for row in rows_of(exported) if row[0] == "张三")
    assert zhang[2] == make_id_number(1)
    assert zhang[4] == "13800001111"


def test_a_user_without_reveal_gets_masked_numbers_and_the_export_is_audited(world, monkeypatch):
    # given the tracer may export but, here, not reveal
    monkeypatch.setitem(ROLE_ACTIONS, Role.TRACER, frozenset({Action.VIEW, Action.EXPORT}))
    tracy = world.users["tracy"]

    exported = person_export(by=tracy, reason="testing")

    zhang = next(row for row in rows_of(exported) if row[0] == "张三")
    assert zhang[2] == world.persons["zhang_san"].id_number_masked
    assert zhang[4] == "138****1111"
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == tracy
    assert entry.changes["full_identifiers"] is False
    assert exported.counts == {"rows": 4}
    assert entry.reason == "组织核酸检测"


def test_the_export_page_requires_a_reason(client, world):
    client.force_login(world.users["carol"])

    response = client.post(reverse("imports:export"), {"reason": ""})

    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_page_downloads_a_workbook(client, world):
    client.force_login(world.users["carol"])

    response = client.post(
        reverse("imports:export"), {"reason": "visits", "community": world.east.pk}
    )

    job = Job.objects.get(kind="people.roster")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(rows_of(b"".join(download.streaming_content))) == 2 + 3


def test_the_export_form_offers_only_areas_in_scope(client, world):
    client.force_login(world.users["carol"])

    response = client.post(
        reverse("imports:export"), {"reason": "visits", "community": world.west.pk}
    )

    assert response.status_code == 422


def test_an_export_imports_back_unchanged(world, tmp_path):
    exported = person_export(by=world.users["alice"], reason="screening")
    path = tmp_path / "export.xlsx"
    path.write_bytes(result_path(exported).read_bytes())

    outcome = roster_import_file(path=path, street_name="江南街道")

    assert outcome.counts == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "rejected": 0,
        "warnings": 0,
    }
