"""The testing pages: scoping (404 outside, 403 without the right), the phone list's call button
and quick marks, the export, the upload and the resolution list."""

import openpyxl
import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from wangge.core.exports import result_path
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry
from wangge.testing.models import UnmatchedResult
from wangge.testing.services import round_create
from wangge.testing.services.lab.importing import results_import
from wangge.testing.tests.conftest import lab_row, local

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def as_user(client, world):
    def login(name):
        client.force_login(world.users[name])
        return client

    return login


def test_every_page_answers(world, as_user, east_round):
    client = as_user("alice")
    for name, args in [
        ("index", []),
        ("round_new", []),
        ("round", [east_round.pk]),
        ("round_coverage", [east_round.pk]),
        ("untested", [east_round.pk]),
        ("import_upload", []),
        ("unmatched", []),
        ("review", []),
        ("keygroups", []),
        ("overdue", []),
        ("vaccination", []),
        ("outreach", []),
        ("slots", []),
    ]:
        assert client.get(reverse(f"testing:{name}", args=args)).status_code == 200, name


def test_checkpoint_staff_see_no_testing_pages(as_user):
    assert as_user("kim").get(reverse("testing:index")).status_code == 403


def test_a_round_outside_the_users_areas_does_not_exist_for_them(world, as_user):
    west_round = round_create(
        by=world.users["alice"],
        street=world.street,
        name="西社区",
        scope="communities",
        communities=[world.west],
        starts_at=local(2022, 4, 10, 6),
        ends_at=local(2022, 4, 10, 22),
    )

    assert as_user("gavin").get(reverse("testing:round", args=[west_round.pk])).status_code == 404


def test_the_untested_list_shows_only_the_grid_workers_persons(world, as_user, east_round):
    page = as_user("gavin").get(reverse("testing:untested", args=[east_round.pk]))

    body = page.content.decode()
    assert "张三" in body and "李四" in body and "王五" not in body
    assert "138****1111" in body and "13800001111" not in body


def test_a_quick_mark_swaps_the_row(world, as_user, east_round):
    url = reverse("testing:mark", args=[east_round.pk, world.persons["zhang_san"].pk])
    client = as_user("gavin")

    done = client.post(url, {"kind": "notified", "note": ""}, **HTMX)
    refused = client.post(url, {"kind": "away", "note": ""}, **HTMX)

    assert done.status_code == 200 and "已通知" in done.content.decode()
    assert refused.status_code == 422 and "reason" in refused.content.decode()


def test_marking_a_person_of_another_grid_is_404(world, as_user, east_round):
    url = reverse("testing:mark", args=[east_round.pk, world.persons["wang_wu"].pk])

    assert as_user("gavin").post(url, {"kind": "notified"}, **HTMX).status_code == 404


def test_the_call_button_reveals_the_phone_and_audits(world, as_user, east_round):
    person = world.persons["zhang_san"]

    answer = as_user("gavin").post(reverse("testing:call", args=[east_round.pk, person.pk]), **HTMX)

    assert 'href="tel:13800001111"' in answer.content.decode()
    entry = AuditEntry.objects.get(action="reveal")
    assert (entry.actor, entry.target_id, entry.changes) == (
        world.users["gavin"],
        str(person.pk),
        {"field": "phone"},
    )
    assert (
        as_user("bella").post(reverse("testing:call", args=[east_round.pk, person.pk])).status_code
        == 404
    )


def test_the_export_is_audited_with_its_reason_and_needs_the_export_right(
    world, as_user, east_round, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("testing:untested_xlsx", args=[east_round.pk])
    assert as_user("gavin").post(url, {"reason": "testing"}).status_code == 403
    carol = as_user("carol")
    assert carol.post(url, {}).status_code == 302
    assert not Job.objects.exists()

    answer = carol.post(url, {"reason": "testing"})

    job = Job.objects.get(kind="testing.untested")
    assert answer["Location"] == reverse("core:job", args=[job.pk])
    sheet = openpyxl.load_workbook(result_path(job)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "carol" in rows[0][0] and "组织核酸检测" in rows[0][0]
    assert rows[1][:3] == ("网格", "小区", "楼栋")
    assert {row[5] for row in rows[2:]} == {"张三", "李四", "王五"}
    assert "13800001111" in {row[7] for row in rows[2:]}
    assert job.counts == {"rows": 3}
    assert AuditEntry.objects.filter(action="export", reason="组织核酸检测").exists()


def test_uploading_a_lab_file(world, as_user, lab_file, east_round):
    path = lab_file(
        [lab_row(serial=1), lab_row(serial=99, tube="B"), lab_row(serial=2, result="?")]
    )

    with path.open("rb") as handle:
        answer = as_user("carol").post(
            reverse("testing:import_upload"), {"file": handle, "round": east_round.pk}
        )

    assert answer.status_code == 302
    detail = as_user("carol").get(answer["Location"]).content.decode()
    assert "未匹配" in detail and "unreadable result" in detail


def test_resolving_a_row_from_the_list(world, as_user, lab_file):
    results_import(path=lab_file([lab_row(name="张三", serial=None, phone="13800009999")]))
    row = UnmatchedResult.objects.get()
    client = as_user("carol")

    candidates = client.get(
        reverse("testing:unmatched_candidates", args=[row.pk]), {"q": "zs"}, **HTMX
    )
    decided = client.post(
        reverse("testing:unmatched_resolve", args=[row.pk]),
        {"person": world.persons["zhang_san"].pk},
        **HTMX,
    )

    assert "张三" in candidates.content.decode()
    assert decided.status_code == 200 and "已认领" in decided.content.decode()
    assert (
        as_user("gavin").get(reverse("testing:unmatched_candidates", args=[row.pk])).status_code
        == 404
    )


def test_the_review_page_lists_a_positive_pool(world, as_user, lab_file):
    rows = [
        lab_row(name=n, serial=s, tube="P1", result="阳性") for n, s in (("张三", 1), ("王五", 3))
    ]
    results_import(path=lab_file(rows))

    body = as_user("gavin").get(reverse("testing:review")).content.decode()

    assert "张三" in body and "王五" not in body


def test_a_lab_file_imported_by_the_worker_is_audited_with_the_uploads_origin(
    world, as_user, lab_file, east_round, settings
):
    settings.WANGGE = {
        **settings.WANGGE,
        "JOB_INLINE_MAX": {**settings.WANGGE["JOB_INLINE_MAX"], "lab.import": 0},
    }
    before = HUEY.immediate
    HUEY.immediate = True
    try:
        with lab_file([lab_row(serial=1)]).open("rb") as handle:
            as_user("carol").post(
                reverse("testing:import_upload"),
                {"file": handle, "round": east_round.pk},
                REMOTE_ADDR="203.0.113.9",
                HTTP_USER_AGENT="Firefox/140",
            )
    finally:
        HUEY.immediate = before

    entry = AuditEntry.objects.get(action="import", target_type="testing.resultimport")
    assert (entry.ip, entry.user_agent) == ("203.0.113.9", "Firefox/140")
