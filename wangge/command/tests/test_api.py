import io
from unittest import mock

import openpyxl
import pytest
from rest_framework.test import APIClient

from wangge.command.models import Playbook, Task, VerificationList
from wangge.command.services.events import event_raise
from wangge.command.tests.lists import standard_rows, write_list


@pytest.fixture
def api(world):
    def as_user(name):
        client = APIClient()
        client.force_authenticate(world.users[name])
        return client

    return as_user


def test_task_create_transition_feedback_over_the_api(world, api):
    # given the commander issues a 1510 task to grids A and B
    response = api("alice").post(
        "/api/command/tasks/",
        {"title": "排查", "kind": "1510", "grids": [world.grid_a.pk, world.grid_b.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = response.json()
    mine = next(a for a in task["assignments"] if a["grid"] == world.grid_a.pk)
    assert mine["assignee_type"] == "grid" and mine["state"] == "issued"

    # when gavin acknowledges and starts, and reports with a photo
    gavin = api("gavin")
    url = f"/api/command/tasks/{task['id']}/"
    for action in ("acknowledge", "start"):
        assert (
            gavin.post(
                url + "transition/", {"assignment": mine["id"], "action": action}, format="json"
            ).status_code
            == 200
        )
    photo = io.BytesIO(b"\xff\xd8\xff\xe0" + b"0" * 100)
    photo.name = "scene.jpg"
    response = gavin.post(
        url + "feedback/",
        {
            "assignment": mine["id"],
            "text": "已排查",
            "figures": '{"户数": 12}',
            "client_id": "x1",
            "files": [photo],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()

    # then
    states = {a["grid"]: a["state"] for a in response.json()["assignments"]}
    assert states == {world.grid_a.pk: "feedback_submitted", world.grid_b.pk: "issued"}
    assert Task.objects.get().attachments.get().content_type == "image/jpeg"


def test_illegal_transition_is_400_and_foreign_assignee_403(world, api):
    task = (
        api("alice")
        .post(
            "/api/command/tasks/",
            {"title": "t", "kind": "1510", "grids": [world.grid_a.pk]},
            format="json",
        )
        .json()
    )
    assignment = task["assignments"][0]["id"]
    url = f"/api/command/tasks/{task['id']}/transition/"

    refused = api("alice").post(
        url, {"assignment": assignment, "action": "complete"}, format="json"
    )
    assert refused.status_code == 400
    assert "cannot complete" in str(refused.json())
    assert (
        api("carol")
        .post(url, {"assignment": assignment, "action": "acknowledge"}, format="json")
        .status_code
        == 403
    )


def test_tasks_are_scoped_over_the_api(world, api):
    api("alice").post(
        "/api/command/tasks/",
        {"title": "A", "kind": "1510", "grids": [world.grid_a.pk]},
        format="json",
    )
    task_id = Task.objects.get().pk

    assert [t["title"] for t in api("gavin").get("/api/command/tasks/").json()["results"]] == ["A"]
    assert api("bella").get("/api/command/tasks/").json()["results"] == []
    assert api("bella").get(f"/api/command/tasks/{task_id}/").status_code == 404
    # and a grid worker cannot assign outside their grid
    response = api("gavin").post(
        "/api/command/tasks/",
        {"title": "B", "kind": "1510", "grids": [world.grid_b.pk]},
        format="json",
    )
    assert response.status_code == 400  # grid B does not exist for gavin


def test_verification_import_rows_answer_export_over_the_api(world, api, tmp_path, settings):
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    alice = api("alice")
    with path.open("rb") as stream:
        response = alice.post(
            "/api/command/verification-lists/",
            {"file": stream, "street": world.street.pk},
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["counts"] == {"rows": 8, "matched": 5, "unmatched": 2, "rejected": 1}

    # the same file again is refused
    with path.open("rb") as stream:
        again = alice.post(
            "/api/command/verification-lists/",
            {"file": stream, "street": world.street.pk},
            format="multipart",
        )
    assert again.status_code == 400 and f"already imported as list {created['id']}" in str(
        again.json()
    )

    # gavin sees only his rows and answers one
    rows = (
        api("gavin").get(f"/api/command/verification-rows/?list={created['id']}").json()["results"]
    )
    assert {r["name"] for r in rows} == {"张三", "李四"}
    assert api("bella").get(f"/api/command/verification-rows/{rows[0]['id']}/").status_code == 404
    answered = api("gavin").post(
        f"/api/command/verification-rows/{rows[0]['id']}/answer/",
        {"result": "controlled", "note": "已管控"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["result"] == "controlled"

    progress = alice.get(f"/api/command/verification-lists/{created['id']}/progress/").json()
    assert progress["totals"]["answered"] == 1 and progress["totals"]["total"] == 7

    export = f"/api/command/verification-lists/{created['id']}/export/"
    assert alice.post(export, {}, format="json").status_code == 400
    exported = alice.post(export, {"reason": "screening"}, format="json")
    assert exported.status_code == 200  # seven rows: written in the request, the file at once
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet.cell(3, 9).value == "在辖区已落实管控"
    assert "alice" in sheet.oddHeader.center.text
    assert api("gavin").post(export, {"reason": "screening"}, format="json").status_code == 403
    settings.WANGGE = {**settings.WANGGE, "JOB_INLINE_MAX": {"command.verification": 0}}
    with mock.patch("wangge.core.jobs.runner.job_run_task"):
        queued = alice.post(export, {"reason": "screening"}, format="json")
    assert queued.status_code == 202
    assert queued.json()["url"] == f"/jobs/{queued.json()['job']}/"
    assert VerificationList.objects.count() == 1


def test_events_and_playbook_over_the_api(world, api):
    response = api("gavin").post(
        "/api/command/events/",
        {
            "kind": "grid_report",
            "title": "未报备返乡",
            "household": world.households["a"].pk,
            "persons": [world.persons["zhang_san"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    event = response.json()
    assert event["owner_grid"] == world.grid_a.pk
    # bella cannot even reference gavin's persons
    refused = api("bella").post(
        "/api/command/events/",
        {"kind": "grid_report", "title": "x", "persons": [world.persons["zhang_san"].pk]},
        format="json",
    )
    assert refused.status_code == 400

    handed = api("gavin").post(
        f"/api/command/events/{event['id']}/hand-over/",
        {"to_type": "community", "to_id": world.east.pk},
        format="json",
    )
    assert handed.status_code == 200 and handed.json()["owner_community"] == world.east.pk

    playbook = Playbook.objects.get(code="hidden_returnee")
    run = api("alice").post(
        f"/api/command/playbooks/{playbook.pk}/instantiate/", {"event": event["id"]}, format="json"
    )
    assert run.status_code == 201, run.json()
    assert len(run.json()["tasks"]) == 3
    assert api("alice").get(f"/api/command/tasks/?bundle={run.json()['id']}").json()["count"] == 3


def test_event_raise_contract_for_other_capabilities(world):
    # the testing capability calls this for a positive pooled tube
    event = event_raise(
        kind="positive_test",
        title="10混1阳性",
        persons=[world.persons["li_si"], world.persons["zhang_san"]],
        source="testing:tube T-0088",
        by=None,
        description="混管复核",
    )
    assert event.kind.code == "positive_test" and event.household is None and event.grid is None
    assert event.street == world.street and event.persons.count() == 2


def test_a_json_array_as_the_body_of_a_task_cancel_is_400_and_the_task_stays_open(world, api):
    # given an open task of the commander
    alice = api("alice")
    task = alice.post(
        "/api/command/tasks/",
        {"title": "排查", "kind": "1510", "grids": [world.grid_a.pk]},
        format="json",
    ).json()

    # when the body is a JSON array instead of an object
    response = alice.post(f"/api/command/tasks/{task['id']}/cancel/", [], format="json")

    # then it is refused with a message, and nothing changed
    assert response.status_code == 400
    assert response.json() == {
        "detail": "请求体应为 JSON 对象 / the request body must be a JSON object"
    }
    assert Task.objects.get(pk=task["id"]).status == Task.Status.OPEN

    # and a proper body still cancels it, its note kept
    cancelled = alice.post(
        f"/api/command/tasks/{task['id']}/cancel/", {"note": "重复交办"}, format="json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == Task.Status.CANCELLED


def test_a_verification_answer_naming_a_measure_is_read_with_the_callers_scope(
    world, api, tmp_path
):
    # given gavin's row of an imported list
    path = write_list(tmp_path / "list.xlsx", standard_rows())
    with path.open("rb") as stream:
        created = (
            api("alice")
            .post(
                "/api/command/verification-lists/",
                {"file": stream, "street": world.street.pk},
                format="multipart",
            )
            .json()
        )
    gavin = api("gavin")
    row = gavin.get(f"/api/command/verification-rows/?list={created['id']}").json()["results"][0]
    url = f"/api/command/verification-rows/{row['id']}/answer/"

    # when the answer names a measure that does not exist, or an id beyond 64 bits
    missing = gavin.post(url, {"result": "controlled", "measure": 424242}, format="json")
    too_big = gavin.post(url, {"result": "controlled", "measure": 2**63 + 1}, format="json")

    # then each is a 400 naming `measure`, and the row stays unanswered
    assert missing.status_code == 400 and list(missing.json()) == ["measure"]
    assert too_big.status_code == 400 and list(too_big.json()) == ["measure"]
    assert gavin.get(f"/api/command/verification-rows/{row['id']}/").json()["result"] == ""
