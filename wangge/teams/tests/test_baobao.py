"""包保: assignments made and ended by hand within one's own area, the 五包一 / 六包一 gaps of the
households under a measure, a household's 四级 chain, and the pages and API over them.

Gavin works grid A, Bella grid B, Carol 东社区; Alice commands the street."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import drill_home_isolation
from wangge.core.models import AuditEntry
from wangge.people.models import Assignment, Duty
from wangge.teams.selectors.baobao import chain, household_teams, measured_households
from wangge.teams.services.baobao import baobao_assign, baobao_end


@pytest.fixture
def measured(world):
    """Zhang San (grid A) and Wang Wu (grid B) under a home isolation, with their 三包."""
    from wangge.measures.services.assign import measure_assign

    measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhang_san"], world.persons["wang_wu"]],
        measure_type=drill_home_isolation(),
        start=timezone.localdate(),
        reason="密接",
    )
    return world


def test_a_grid_worker_assigns_a_holder_to_a_household_of_their_grid(world):
    # given
    gavin, home = world.users["gavin"], world.households["a"]
    # when
    row = baobao_assign(by=gavin, target=home, holder=world.users["carol"], duty=Duty.STREET_CADRE)
    # then
    assert row.household == home and row.holder_user == world.users["carol"]
    assert row.source == Assignment.Source.MANUAL and row.ended is None
    assert AuditEntry.objects.filter(target_type="people.assignment", action="create").exists()


def test_a_grid_worker_cannot_assign_in_another_grid(world):
    with pytest.raises(PermissionDenied):
        baobao_assign(
            by=world.users["gavin"],
            target=world.households["b"],
            holder=world.users["carol"],
            duty=Duty.POLICE,
        )
    with pytest.raises(PermissionDenied):
        baobao_assign(
            by=world.users["gavin"],
            target=world.grid_b,
            holder=world.users["carol"],
            duty=Duty.GRID_LEVEL,
        )


def test_the_same_holder_holds_a_duty_on_a_target_once(world):
    args = {"target": world.households["a"], "holder": world.users["carol"], "duty": Duty.POLICE}
    baobao_assign(by=world.users["alice"], **args)
    with pytest.raises(ValidationError):
        baobao_assign(by=world.users["alice"], **args)


def test_care_and_sweep_duties_are_not_assigned_as_baobao(world):
    with pytest.raises(ValidationError):
        baobao_assign(
            by=world.users["alice"],
            target=world.persons["zhang_san"],
            holder=world.users["carol"],
            duty=Duty.CARE_GIVER,
        )


def test_ending_an_assignment_stops_it_and_only_manual_rows_end_here(measured):
    alice = measured.users["alice"]
    row = baobao_assign(
        by=alice, target=measured.grid_a, holder=measured.users["gavin"], duty=Duty.GRID_LEVEL
    )
    baobao_end(by=alice, assignment=row)
    assert not Assignment.objects.active().filter(pk=row.pk).exists()
    with pytest.raises(ValidationError):
        baobao_end(by=alice, assignment=row)
    measure_row = Assignment.objects.filter(source=Assignment.Source.MEASURE).first()
    with pytest.raises(ValidationError):
        baobao_end(by=alice, assignment=measure_row)


def test_a_grid_worker_cannot_end_an_assignment_of_another_grid(world):
    row = baobao_assign(
        by=world.users["alice"],
        target=world.households["b"],
        holder=world.users["carol"],
        duty=Duty.POLICE,
    )
    with pytest.raises(PermissionDenied):
        baobao_end(by=world.users["gavin"], assignment=row)


def test_the_five_for_one_team_shows_the_duties_nobody_holds(measured):
    # given: the measure's 三包 gives grid worker, doctor or police where the grid has them;
    # Alice adds a street cadre and a community secretary to Zhang San's household
    alice, home = measured.users["alice"], measured.households["a"]
    for duty in (Duty.STREET_CADRE, Duty.COMMUNITY_SECRETARY, Duty.DOCTOR, Duty.POLICE):
        baobao_assign(by=alice, target=home, holder=measured.users["carol"], duty=duty)
    # when
    teams = {t.household.pk: t for t in household_teams(measured_households(alice), "five")}
    # then: Gavin is Zhang San's grid worker through the measure; Wang Wu's home has only him
    assert teams[home.pk].full
    assert teams[home.pk].members[Duty.GRID_WORKER][0].holder_user == measured.users["gavin"]
    assert set(teams[measured.households["b"].pk].gaps) >= {
        Duty.STREET_CADRE,
        Duty.COMMUNITY_SECRETARY,
        Duty.DOCTOR,
        Duty.POLICE,
    }
    six = household_teams([home], "six")[0]
    assert six.gaps == [Duty.DISTRICT_LEADER, Duty.DISTRICT_UNIT]


def test_a_grid_worker_sees_only_the_measured_households_of_their_grid(measured):
    homes = measured_households(measured.users["gavin"])
    assert [h.pk for h in homes] == [measured.households["a"].pk]


def test_the_four_level_chain_reads_household_building_and_grid_nearest_first(world):
    alice, home = world.users["alice"], world.households["a1"]
    baobao_assign(
        by=alice, target=world.grid_a, holder=world.users["alice"], duty=Duty.STREET_LEVEL
    )
    baobao_assign(
        by=alice, target=world.grid_a1, holder=world.users["carol"], duty=Duty.COMMUNITY_LEVEL
    )
    baobao_assign(by=alice, target=home, holder=world.users["gavin"], duty=Duty.GRID_WORKER)
    leader = world.persons["li_si"]
    baobao_assign(by=alice, target=home.building, holder=leader, duty=Duty.BUILDING_LEADER)
    past = baobao_assign(
        by=alice,
        target=home,
        holder=world.users["bella"],
        duty=Duty.STREET_CADRE,
        started=timezone.localdate() - timedelta(days=3),
    )
    baobao_end(by=alice, assignment=past)
    levels = {level.code: level for level in chain(home)}
    assert [(r.holder_user, place) for r, place in levels["street"].holders] == [
        (world.users["alice"], "本网格")
    ]
    assert levels["community"].holders[0][0].holder_user == world.users["carol"]
    assert levels["grid"].holders[0][1] == "本户"
    assert levels["building"].holders[0][0].holder_person == leader


def test_the_baobao_pages_answer_within_scope_and_404_outside(client, measured):
    client.force_login(measured.users["gavin"])
    page = client.get(reverse("teams:baobao"))
    assert page.status_code == 200
    assert "张三" in page.content.decode() and "王五" not in page.content.decode()
    own = reverse("teams:baobao_household", args=[measured.households["a"].pk])
    assert client.get(own).status_code == 200
    other = reverse("teams:baobao_household", args=[measured.households["b"].pk])
    assert client.get(other).status_code == 404
    assert client.post(other, {"target": "household"}).status_code == 404


def test_assigning_and_ending_on_the_household_page(client, world):
    client.force_login(world.users["gavin"])
    url = reverse("teams:baobao_household", args=[world.households["a"].pk])
    answer = client.post(
        url,
        {
            "target": "building",
            "duty": Duty.BUILDING_LEADER,
            "holder_user": world.users["carol"].pk,
        },
    )
    assert answer.status_code == 302
    row = Assignment.objects.get(building=world.households["a"].building)
    client.post(reverse("teams:baobao_end", args=[row.pk]), {"household": world.households["a"].pk})
    row.refresh_from_db()
    assert row.ended == timezone.localdate()


def test_api_lists_only_assignments_of_the_area_and_creates_within_it(api_client_for, world):
    alice = world.users["alice"]
    mine = baobao_assign(
        by=alice, target=world.households["a"], holder=world.users["carol"], duty=Duty.POLICE
    )
    other = baobao_assign(
        by=alice, target=world.households["b"], holder=world.users["carol"], duty=Duty.POLICE
    )
    api = api_client_for(world.users["gavin"])
    ids = {row["id"] for row in api.get("/api/teams/assignments/").json()["results"]}
    assert mine.pk in ids and other.pk not in ids
    assert api.post(f"/api/teams/assignments/{other.pk}/end/", {}, format="json").status_code == 404
    body = {"household": world.households["b"].pk, "holder_user": alice.pk, "duty": Duty.DOCTOR}
    assert api.post("/api/teams/assignments/", body, format="json").status_code == 400
    body["household"] = world.households["a"].pk
    created = api.post("/api/teams/assignments/", body, format="json")
    assert created.status_code == 201, created.json()
    ended = api.post(f"/api/teams/assignments/{created.json()['id']}/end/", {}, format="json")
    assert ended.json()["ended"] == timezone.localdate().isoformat()
    assert api.get("/api/teams/assignments/?duty=nope").status_code == 400
