"""The API: scans created idempotently with stable error codes, answers that show checkpoint staff
no register, and checkpoints, passes and shifts scoped like the register."""

import uuid

import pytest

from wangge.checkpoints import tokens
from wangge.checkpoints.models import Scan

from .conftest import DAY, code_of

SCANS = "/api/checkpoints/scans/"


def body(gate, **fields) -> dict:
    return {"checkpoint": gate.pk, "client_id": str(uuid.uuid4()), "direction": "out", **fields}


@pytest.mark.usefixtures("on_duty")
def test_a_scan_is_created_then_replayed(world, gate, clock, api_client_for):
    kim = api_client_for(world.users["kim"])
    zhang = world.persons["zhang_san"]
    sent = body(gate, code=code_of(world, zhang), temperature="38.0")
    first = kim.post(SCANS, sent, format="json")
    again = kim.post(SCANS, sent, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["verdict"] == "deny"
    assert first.json()["reasons"] == [{"code": "fever", "label": "体温异常"}]
    assert again.json()["created"] is False
    assert again.json()["verdict"] == "deny"
    assert Scan.objects.count() == 1


@pytest.mark.usefixtures("on_duty")
def test_the_answer_shows_checkpoint_staff_no_register(world, gate, clock, api_client_for):
    kim = api_client_for(world.users["kim"])
    zhang = world.persons["zhang_san"]
    answer = kim.post(SCANS, body(gate, id_number=zhang.id_number), format="json").json()
    assert answer["subject"] == "张*"
    text = str(answer)
    for secret in (zhang.name, zhang.id_number, zhang.id_number_masked, zhang.phone_masked):
        assert secret not in text
    assert "person" not in answer and "household" not in answer


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"client_id": "x"}, "bad_client_id"),
        ({"phone_tail": ""}, "no_subject"),
        ({"phone_tail": "12"}, "invalid"),
        ({"phone_tail": "1111", "temperature": "99"}, "invalid"),
        ({"phone_tail": "1111", "direction": "up"}, "invalid"),
    ],
)
@pytest.mark.usefixtures("on_duty")
def test_refused_scans_carry_a_stable_code(world, gate, clock, api_client_for, fields, code):
    kim = api_client_for(world.users["kim"])
    response = kim.post(SCANS, body(gate, **fields), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_a_checkpoint_one_does_not_man_reads_as_unknown(world, gate, clock, api_client_for):
    dora = api_client_for(world.users["dora"])  # a doctor of 西社区
    response = dora.post(SCANS, body(gate, phone_tail="1111"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_checkpoint"


@pytest.mark.usefixtures("on_duty")
def test_resolving_a_visitor_through_the_api(world, gate, clock, api_client_for):
    kim = api_client_for(world.users["kim"])
    sent = body(gate, direction="in", phone_tail="9999", temperature="36.6")
    assert kim.post(SCANS, sent, format="json").json()["needs"] == "visitor"
    visitor = {"name": "吴十", "purpose": "维修", "phone": "13612345678", "code_colour": "yellow"}
    answer = kim.post(
        f"{SCANS}resolve/", {"client_id": sent["client_id"], "visitor": visitor}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["verdict"] == "check"
    assert answer.json()["subject"] == "吴*（访客）"
    # somebody else's scan cannot be resolved
    gavin = api_client_for(world.users["gavin"])
    other = gavin.post(
        f"{SCANS}resolve/", {"client_id": sent["client_id"], "visitor": visitor}, format="json"
    )
    assert other.status_code == 404


@pytest.mark.usefixtures("on_duty")
def test_scan_lists_follow_the_register_scope(world, gate, clock, api_client_for):
    kim = api_client_for(world.users["kim"])
    kim.post(SCANS, body(gate, id_number=world.persons["zhang_san"].id_number), format="json")
    kim.post(SCANS, body(gate, id_number=world.persons["wang_wu"].id_number), format="json")
    assert kim.get(SCANS).json()["count"] == 0  # checkpoint staff read no register
    carol = api_client_for(world.users["carol"]).get(SCANS).json()
    assert carol["count"] == 2
    assert {row["person_name"] for row in carol["results"]} == {"张三", "王五"}
    # the gate has no grid: bella (grid B) sees the scan of her resident only
    bella = api_client_for(world.users["bella"]).get(SCANS).json()
    assert [row["person_name"] for row in bella["results"]] == ["王五"]
    assert api_client_for(world.users["dora"]).get(SCANS).json()["count"] == 0


@pytest.mark.usefixtures("on_duty")
def test_checkpoints_mine_lists_what_checkpoint_staff_man(world, gate, api_client_for):
    kim = api_client_for(world.users["kim"])
    assert [row["name"] for row in kim.get("/api/checkpoints/checkpoints/mine/").json()] == [
        "阳光花园东门"
    ]
    assert kim.get("/api/checkpoints/checkpoints/").json()["count"] == 0
    assert (
        api_client_for(world.users["carol"]).get("/api/checkpoints/checkpoints/").json()["count"]
        == 1
    )
    assert (
        api_client_for(world.users["dora"])
        .get(f"/api/checkpoints/checkpoints/{gate.pk}/")
        .status_code
        == 404
    )


def test_passes_are_issued_and_revoked(world, api_client_for):
    carol = api_client_for(world.users["carol"])
    issued = carol.post(
        "/api/checkpoints/passes/",
        {"households": [world.households["a"].pk], "valid_from": str(DAY), "period_days": 3},
        format="json",
    )
    assert issued.status_code == 201
    card = issued.json()[0]
    assert card["period_days"] == 3 and card["exits_per_period"] == 1
    assert "token" not in str(card)
    revoked = carol.post(f"/api/checkpoints/passes/{card['id']}/revoke/", {"reason": "迁出"})
    assert revoked.json()["revoked_at"] is not None
    bella = api_client_for(world.users["bella"])
    refused = bella.post(
        "/api/checkpoints/passes/",
        {"households": [world.households["a"].pk], "valid_from": str(DAY)},
        format="json",
    )
    assert refused.status_code == 400


def test_shifts_are_planned_assigned_and_clocked(world, gate, clock, api_client_for):
    carol = api_client_for(world.users["carol"])
    planned = carol.post(
        "/api/checkpoints/shifts/", {"checkpoint": gate.pk, "start": str(DAY), "days": 1}
    )
    assert planned.status_code == 201
    day_shift = planned.json()[1]
    assigned = carol.post(
        f"/api/checkpoints/shifts/{day_shift['id']}/assign/", {"user": world.users["kim"].pk}
    )
    assert assigned.status_code == 201
    kim = api_client_for(world.users["kim"])
    code = tokens.payload(tokens.CHECKPOINT, gate.code_sealed)
    clocked = kim.post("/api/checkpoints/shifts/clock/", {"code": code})
    assert clocked.status_code == 200 and clocked.json()["action"] == "on"
    listed = carol.get(f"/api/checkpoints/shifts/?checkpoint={gate.pk}&date={DAY}").json()
    assert [row["staffed"] for row in listed["results"]] == [0, 1, 0]
    assert kim.get("/api/checkpoints/shifts/").json()["count"] == 0
    note = kim.post(f"/api/checkpoints/shifts/{day_shift['id']}/notes/", {"text": "一切正常"})
    assert note.status_code == 201


@pytest.mark.parametrize("shift_id", ["null,null", "-3", str(2**63 + 1)])
def test_a_shift_note_to_a_path_id_no_shift_can_have_is_404_with_a_message(
    world, gate, api_client_for, shift_id
):
    # given kim, who mans the gate
    kim = api_client_for(world.users["kim"])

    # when kim posts a note to a shift id that is not a positive 64-bit integer
    response = kim.post(f"/api/checkpoints/shifts/{shift_id}/notes/", {"text": "一切正常"})

    # then it is a 404 saying why, not a server error
    assert response.status_code == 404
    assert response.json() == {
        "detail": "无此编号：应为正整数 / no such id: it must be a positive integer"
    }
