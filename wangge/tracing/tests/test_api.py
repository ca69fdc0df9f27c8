"""/api/tracing/: cases and candidates, scoped (the task force sees the street's, a grid worker only
the candidates whose person lives in their grids, by list, retrieve, filter and action: 404), each
action through its service (refusals 403, bad input 400 with the service's message)."""

import pytest
from django.urls import reverse

from wangge.core.models import AuditEntry
from wangge.tracing.models import CandidateStatus, NamedContact
from wangge.tracing.tests.api_scene import traced_scene


@pytest.fixture
def scene(world):
    return traced_scene(world)


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["person"]["name"] for row in response.json()["results"])


def _post(client, name, pk, body=None):
    return client.post(reverse(name, args=[pk]), body or {}, format="json")


def test_candidates_are_scoped_by_list_retrieve_filter_and_action(api_client_for, world, scene):
    users = world.users
    tracy, gavin = api_client_for(users["tracy"]), api_client_for(users["gavin"])
    bella, carol = api_client_for(users["bella"]), api_client_for(users["carol"])
    listing = reverse("trace-candidate-list")
    li_si, wang_wu = scene.candidates["li_si"], scene.candidates["wang_wu"]

    # the task force sees the street's, a community worker the community's, a grid worker the
    # candidates of their own grids (grid A holds A1, where Li Si lives), whatever the case
    assert _names(tracy.get(listing)) == ["李四", "王五", "赵六"]
    assert _names(carol.get(listing)) == ["李四", "王五"]
    assert _names(gavin.get(listing)) == ["李四"]
    assert _names(bella.get(listing)) == ["王五"]
    assert _names(gavin.get(listing, {"case": scene.case.pk, "hop": 2})) == []
    assert _names(tracy.get(listing, {"hop": 2, "status": "pending"})) == ["王五"]
    assert gavin.get(listing, {"hop": 3}).status_code == 400
    assert gavin.get(reverse("trace-candidate-detail", args=[wang_wu.pk])).status_code == 404
    for action in ("confirm", "dismiss", "reopen"):
        refused = _post(gavin, f"trace-candidate-{action}", wang_wu.pk, {"reason": "x"})
        assert refused.status_code == 404, action

    # a candidate shows its person as /api/persons/ does (masked), its path and its evidence
    row = gavin.get(reverse("trace-candidate-detail", args=[li_si.pk])).json()
    assert row["person"]["id_number_masked"] == world.persons["li_si"].id_number_masked
    assert "id_number" not in row["person"] and "phone" not in row["person"]
    assert (row["path"], row["hop"], row["status"]) == ("co_located", 1, "pending")
    (piece,) = [p for p in row["evidence"] if p["kind"] == "checkpoint"]
    assert (piece["place"], piece["minutes"]) == ("阳光花园东门", 10)
    second = bella.get(reverse("trace-candidate-detail", args=[wang_wu.pk])).json()
    assert {p["through"] for p in second["evidence"]} == {world.persons["li_si"].pk}


def test_cases_are_listed_with_counts_and_scoped(api_client_for, world, scene):
    tracy, bella = api_client_for(world.users["tracy"]), api_client_for(world.users["bella"])
    (case,) = tracy.get(reverse("trace-case-list")).json()["results"]
    assert (case["id"], case["candidates_total"], case["candidates_pending"]) == (
        scene.case.pk,
        3,
        3,
    )
    assert case["candidates_confirmed"] == 0 and case["last_run_at"]
    # Bella sees Wang Wu's candidacy, not Zhang San's case
    assert bella.get(reverse("trace-case-list")).json()["count"] == 0
    assert bella.get(reverse("trace-case-detail", args=[scene.case.pk])).status_code == 404
    assert _post(bella, "trace-case-run", scene.case.pk).status_code == 404


def test_decisions_over_the_api_and_who_may_take_them(api_client_for, world, scene):
    tracy, gavin = api_client_for(world.users["tracy"]), api_client_for(world.users["gavin"])
    li_si, zhao_liu = scene.candidates["li_si"], scene.candidates["zhao_liu"]

    # the task force may not confirm (it starts a measure): 403; the grid worker of the person may
    assert _post(tracy, "trace-candidate-confirm", li_si.pk).status_code == 403
    confirmed = _post(gavin, "trace-candidate-confirm", li_si.pk, {"note": "已电话核实"})
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert (body["status"], body["decision_note"], body["decided_by_name"]) == (
        "confirmed",
        "已电话核实",
        str(world.users["gavin"]),
    )
    assert body["measure"] is not None
    again = _post(gavin, "trace-candidate-confirm", li_si.pk)
    assert again.json() == {
        "non_field_errors": ["该流调对象已核实 / this candidate was already decided"]
    }

    # dismissing needs a reason (400 with the service's message); the task force dismisses, reopens
    missing = _post(tracy, "trace-candidate-dismiss", zhao_liu.pk, {"reason": " "})
    assert (missing.status_code, missing.json()) == (
        400,
        {"reason": ["请填写排除理由 / a reason is required"]},
    )
    dismissed = _post(tracy, "trace-candidate-dismiss", zhao_liu.pk, {"reason": "同名不同人"})
    assert (dismissed.status_code, dismissed.json()["status"]) == (200, "dismissed")
    entry = AuditEntry.objects.get(action="trace_dismiss")
    assert (entry.actor, entry.ip) == (world.users["tracy"], "127.0.0.1")
    reopened = _post(tracy, "trace-candidate-reopen", zhao_liu.pk)
    assert (reopened.status_code, reopened.json()["status"]) == (200, "pending")
    # a measure was made for Li Si: reopening is refused with the reason
    assert _post(gavin, "trace-candidate-reopen", li_si.pk).status_code == 400


def test_case_actions_run_named_and_verification_list(api_client_for, world, scene):
    tracy, gavin = api_client_for(world.users["tracy"]), api_client_for(world.users["gavin"])
    case = scene.case

    ran = _post(tracy, "trace-case-run", case.pk, {"window_minutes": 5, "hops": 1})
    assert ran.status_code == 201
    assert (ran.json()["window_minutes"], ran.json()["counts"]["candidates"]) == (5, 1)
    assert _post(tracy, "trace-case-run", case.pk, {"window_minutes": 0}).status_code == 400
    assert _post(gavin, "trace-case-run", case.pk).status_code == 403

    named = _post(tracy, "trace-case-named", case.pk, {"person": world.persons["wang_wu"].pk})
    assert named.status_code == 201
    assert NamedContact.objects.filter(case=case, person=world.persons["wang_wu"]).exists()
    twice = _post(tracy, "trace-case-named", case.pk, {"person": world.persons["wang_wu"].pk})
    assert twice.json() == {"person": ["该人员已登记 / this person was already named"]}
    assert _post(tracy, "trace-case-named", case.pk, {"person": 10**9}).status_code == 400

    # nothing confirmed yet: 400; once Li Si is confirmed, the task force sends the list
    assert _post(tracy, "trace-case-verification-list", case.pk).status_code == 400
    _post(gavin, "trace-candidate-confirm", scene.candidates["li_si"].pk)
    sent = _post(tracy, "trace-case-verification-list", case.pk)
    assert sent.status_code == 201 and sent.json()["id"]
    assert _post(gavin, "trace-case-verification-list", case.pk).status_code == 403
    pending = scene.candidates["wang_wu"].pk
    only_pending = _post(tracy, "trace-case-verification-list", case.pk, {"candidates": [pending]})
    assert only_pending.status_code == 400
    assert scene.case.trace_candidates.filter(status=CandidateStatus.CONFIRMED).count() == 1
