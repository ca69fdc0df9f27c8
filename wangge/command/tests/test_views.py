import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from wangge.command.models import Event, Playbook, Task, TaskAssignment, VerificationRow
from wangge.command.services.events import event_raise
from wangge.command.services.tasks import task_issue
from wangge.command.services.verification import verification_list_import
from wangge.command.tests.lists import standard_rows, write_list
from wangge.core.jobs.models import Job
from wangge.core.models import AuditEntry


@pytest.fixture
def browse(client, world):
    def as_user(name):
        client.force_login(world.users[name])
        return client

    return as_user


@pytest.fixture
def task(world, kinds):
    return task_issue(
        by=world.users["alice"], kind=kinds["1510"], title="排查楼栋", assignees=[world.grid_a]
    )


@pytest.fixture
def vlist(world, tmp_path):
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    with path.open("rb") as stream:
        return verification_list_import(
            street=world.street, stream=stream, original_name="list.xlsx"
        )


def test_board_shows_countdowns_and_polls(world, task, browse):
    page = browse("alice").get(reverse("command:board"))
    html = page.content.decode()

    assert page.status_code == 200
    assert "排查楼栋" in html and 'data-seconds-left="' in html
    assert 'hx-trigger="every 5s"' in html
    partial = browse("alice").get(reverse("command:board_items"))
    assert "排查楼栋" in partial.content.decode() and "<html" not in partial.content.decode()


def test_board_sorts_late_items_by_lateness(world, kinds, browse):
    from datetime import UTC, datetime, timedelta

    import time_machine

    t0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False):
        task_issue(
            by=world.users["alice"], kind=kinds["1510"], title="较早", assignees=[world.grid_a]
        )
    with time_machine.travel(t0 + timedelta(minutes=3), tick=False):
        task_issue(
            by=world.users["alice"], kind=kinds["1510"], title="较晚", assignees=[world.grid_b]
        )
    with time_machine.travel(t0 + timedelta(minutes=10), tick=False):
        html = browse("alice").get(reverse("command:board_items")).content.decode()

    late = html.split('data-testid="late-items"')[1]
    assert late.index("较早") < late.index("较晚")


def test_board_and_task_are_scoped(world, task, browse):
    assert "排查楼栋" not in browse("bella").get(reverse("command:board")).content.decode()
    assert browse("bella").get(reverse("command:task_detail", args=[task.pk])).status_code == 404
    assert browse("gavin").get(reverse("command:task_detail", args=[task.pk])).status_code == 200


def test_assignee_acts_from_the_task_page(world, task, browse):
    assignment = task.assignments.get()
    gavin = browse("gavin")
    html = gavin.get(reverse("command:task_detail", args=[task.pk])).content.decode()
    assert (
        'data-testid="action-acknowledge"' in html and 'data-testid="action-complete"' not in html
    )

    gavin.post(reverse("command:task_action", args=[task.pk, assignment.pk, "acknowledge"]))
    gavin.post(reverse("command:task_action", args=[task.pk, assignment.pk, "start"]))
    response = gavin.post(
        reverse("command:task_feedback", args=[task.pk, assignment.pk]),
        {"text": "已排查完毕", "figure_label": "户数", "figure_value": "36", "client_id": "k1"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == TaskAssignment.State.FEEDBACK_SUBMITTED

    # an illegal move from the page shows the bilingual refusal
    page = gavin.post(
        reverse("command:task_action", args=[task.pk, assignment.pk, "acknowledge"]), follow=True
    )
    assert "cannot acknowledge" in page.content.decode()


def test_issue_form_creates_a_task_and_rejects_a_bad_photo(world, kinds, browse):
    from django.core.files.uploadedfile import SimpleUploadedFile

    alice = browse("alice")
    assert alice.get(reverse("command:task_create")).status_code == 200
    fake = SimpleUploadedFile("photo.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = alice.post(
        reverse("command:task_create"),
        {
            "title": "消杀",
            "kind": kinds["routine"].pk,
            "priority": "high",
            "grids": [world.grid_a.pk],
            "files": [fake],
        },
    )
    assert response.status_code == 422
    assert "does not match its type" in response.content.decode()
    assert not Task.objects.exists()

    response = alice.post(
        reverse("command:task_create"),
        {
            "title": "消杀",
            "kind": kinds["routine"].pk,
            "priority": "high",
            "grids": [world.grid_a.pk],
        },
    )
    assert response.status_code == 302 and Task.objects.get().title == "消杀"


def test_grid_worker_cannot_open_the_issue_form(world, browse):
    assert browse("kim").get(reverse("command:task_create")).status_code == 403


def test_whistle_page(world, police, browse):
    carol = browse("carol")
    assert carol.get(reverse("command:whistle_create")).status_code == 200
    response = carol.post(
        reverse("command:whistle_create"),
        {
            "community": world.east.pk,
            "departments": [police.pk],
            "title": "占道经营",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    assert Task.objects.get().direction == Task.Direction.UP
    assert browse("gavin").get(reverse("command:whistle_create")).status_code == 403


def test_verification_pages_scoped_and_answer_inline(world, vlist, browse):
    gavin = browse("gavin")
    html = gavin.get(reverse("command:verification_detail", args=[vlist.pk])).content.decode()
    names = set(re.findall(r"<strong>([^<]+)</strong>", html.split('data-testid="rows"')[1]))
    assert names == {"张三", "李四"}
    assert world.persons["zhang_san"].id_number not in html  # masked only
    mine = gavin.get(reverse("command:my_rows")).content.decode()
    assert mine.count('data-testid="row"') == 3

    row = VerificationRow.objects.filter(assignee=world.users["gavin"]).first()
    form = gavin.get(reverse("command:row_answer", args=[row.pk]), HTTP_HX_REQUEST="true")
    assert 'data-testid="answer-form"' in form.content.decode()
    bad = gavin.post(reverse("command:row_answer", args=[row.pk]), {"result": "other", "note": ""})
    assert bad.status_code == 422
    ok = gavin.post(
        reverse("command:row_answer", args=[row.pk]), {"result": "controlled", "note": "居家"}
    )
    assert ok.status_code == 200 and "在辖区已落实管控" in ok.content.decode()
    other = VerificationRow.objects.get(list=vlist, assignee=world.users["bella"])
    assert gavin.get(reverse("command:row_answer", args=[other.pk])).status_code == 404


def test_upload_and_export_pages(world, tmp_path, browse):
    path = write_list(tmp_path / "第3批.xlsx", standard_rows())
    alice = browse("alice")
    with path.open("rb") as stream:
        response = alice.post(
            reverse("command:verification_upload"), {"file": stream, "street": world.street.pk}
        )
    assert response.status_code == 302
    with path.open("rb") as stream:
        again = alice.post(
            reverse("command:verification_upload"), {"file": stream, "street": world.street.pk}
        )
    assert again.status_code == 422 and "already imported as list" in again.content.decode()
    vlist_pk = int(response["Location"].rstrip("/").split("/")[-1])
    exported = alice.post(
        reverse("command:verification_export", args=[vlist_pk]), {"reason": "superior"}
    )
    job = Job.objects.get(kind="command.verification")
    assert exported["Location"] == reverse("core:job", args=[job.pk])
    download = alice.get(reverse("core:job_download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="export", reason="上级部门要求").count() == 1
    assert (
        browse("gavin")
        .post(reverse("command:verification_export", args=[vlist_pk]), {"reason": "superior"})
        .status_code
        == 403
    )


def test_event_pages_rates_and_one_click_playbook(world, browse, police):
    event = event_raise(
        kind="positive_test", title="阳性病例", household=world.households["a"], source="lab"
    )
    alice = browse("alice")
    index = alice.get(reverse("command:events")).content.decode()
    assert "阳性病例" in index and 'data-testid="rates-community"' in index
    html = alice.get(reverse("command:event_detail", args=[event.pk])).content.decode()
    assert 'data-testid="run-playbook"' in html

    playbook = Playbook.objects.get(code="positive_case")
    response = alice.post(reverse("command:playbook_run", args=[event.pk, playbook.pk]))
    assert response.status_code == 302
    bundle = alice.get(response["Location"]).content.decode()
    assert bundle.count('data-testid="bundle-task"') == 6

    alice.post(reverse("command:event_action", args=[event.pk, "respond"]))
    assert Event.objects.get().status == Event.Status.RESPONDED
    assert browse("bella").get(reverse("command:event_detail", args=[event.pk])).status_code == 404


def test_raise_event_form_finds_persons_in_scope_only(world, browse):
    gavin = browse("gavin")
    response = gavin.post(
        reverse("command:event_create"),
        {
            "kind": Event.objects.none()
            .model.kind.field.related_model.objects.get(code="grid_report")
            .pk,
            "title": "发现返乡人员",
            "person_query": "王五",
        },
    )
    assert response.status_code == 422  # 王五 is grid B's
    response = gavin.post(
        reverse("command:event_create"),
        {
            "kind": Event.objects.none()
            .model.kind.field.related_model.objects.get(code="grid_report")
            .pk,
            "title": "发现返乡人员",
            "person_query": "张三",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get().household == world.households["a"]


@time_machine.travel(datetime(2026, 3, 1, 16, 1, tzinfo=UTC), tick=False)
def test_daily_review_pages(world, browse):
    alice = browse("alice")
    today = "2026-03-02"
    assert alice.get(reverse("command:reviews")).status_code == 200
    page = alice.post(
        reverse("command:review_day", args=[today]), {"conclusion": "平稳", "sign": "1"}
    )
    assert page.status_code == 302
    html = alice.get(reverse("command:review_day", args=[today])).content.decode()
    assert 'data-testid="signed"' in html and "平稳" in html
    assert browse("carol").get(reverse("command:reviews")).status_code == 403
