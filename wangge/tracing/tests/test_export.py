"""The task force's workbook of a case: asked with a purpose and audited, built in the owner's
export scope (a community worker gets their community's candidates only), identifiers in full only
for whoever may reveal them, the evidence as text, the case's own movements, watermarked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from wangge.core.exports import result_path
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.tracing.exports import trace_export
from wangge.tracing.tests.api_scene import traced_scene


@pytest.fixture
def scene(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return traced_scene(world)


def _sheets(job: Job) -> dict[str, list[tuple]]:
    assert job.status == Job.Status.DONE, job.message
    book = load_workbook(result_path(job), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _by_name(rows: list[tuple]) -> dict[str, tuple]:
    return {row[2]: row for row in rows[3:]}  # watermark, title, headers, then the candidates


def test_the_task_force_exports_the_whole_case_with_its_evidence_and_movements(world, scene):
    persons = world.persons
    job = trace_export(by=world.users["tracy"], case=scene.case, reason="screening")
    sheets = _sheets(job)
    candidates, movements = sheets["流调对象"], sheets["病例行程"]
    assert "导出人：tracy" in candidates[0][0] and "疫情防控排查" in candidates[0][0]
    assert candidates[2][:4] == ("层级", "发现途径", "姓名", "证件号码")
    rows = _by_name(candidates)
    assert sorted(rows) == ["李四", "王五", "赵六"]
    li_si = rows["李四"]
    # the task force may reveal: the full ID number and phone
    assert (li_si[0], li_si[1], li_si[3], li_si[4]) == (
        1,
        "时空交集",
        persons["li_si"].id_number,
        "13900002222",
    )
    assert (li_si[6], li_si[7]) == ("第一网格一小格", "待核实")
    day = f"{scene.gate_at:%Y-%m-%d}"
    assert li_si[12] == f"卡点「阳光花园东门」：病例{day} 10:00，本人{day} 10:10，相隔10分钟"
    assert rows["王五"][12] == f"场所「茶馆」：病例{day} 15:00，本人{day} 15:05，相隔5分钟，经李四"
    # the case's own movements of the lookback, oldest first
    assert [row[1:3] for row in movements[3:]] == [
        ("卡点扫码", "阳光花园东门"),
        ("场所到访", "老街面馆"),
    ]
    entry = AuditEntry.objects.get(action="export", target_id=str(job.pk))
    assert (entry.reason, entry.changes["case"]) == ("疫情防控排查", scene.case.pk)


def test_a_community_worker_exports_their_community_only_and_a_grid_worker_may_not(world, scene):
    carol = world.users["carol"]
    job = trace_export(by=carol, case=scene.case, reason="visits")
    rows = _by_name(_sheets(job)["流调对象"])
    assert sorted(rows) == ["李四", "王五"]  # 赵六 lives in the west community
    with pytest.raises(PermissionDenied):
        trace_export(by=world.users["gavin"], case=scene.case, reason="visits")
    with pytest.raises(PermissionDenied):  # no purpose
        trace_export(by=carol, case=scene.case, reason="")


def test_the_export_page_and_the_api_action(client, api_client_for, world, scene):
    url = reverse("tracing:case_export", args=[scene.case.pk])
    client.force_login(world.users["tracy"])
    asked = client.post(url, {"reason": "screening"})
    job = Job.objects.get(kind="tracing.case")
    assert asked.url == reverse("core:job", args=[job.pk])
    client.force_login(world.users["gavin"])
    assert client.post(url, {"reason": "screening"}).status_code == 403
    client.force_login(world.users["bella"])  # does not see Zhang San's case
    assert client.post(url, {"reason": "screening"}).status_code == 404

    api = reverse("trace-case-export", args=[scene.case.pk])
    answer = api_client_for(world.users["tracy"]).post(api, {"reason": "screening"}, format="json")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith(".xlsx")
    refused = api_client_for(world.users["gavin"]).post(api, {"reason": "screening"}, format="json")
    assert refused.status_code == 403
