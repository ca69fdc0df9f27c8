"""一对一关爱: a plan within one's area with its carer as an assignment, calls logged by the carer
(never in the future, once per client id), help alerts the community, the overdue sweep alerts once
per overdue period, and the pages and API over them.

Carol (东社区) puts Li Si (grid A1) under care with Gavin (grid A) as carer; Bella works grid B."""

import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wangge.core.models import Alert
from wangge.people.models import Assignment, Duty
from wangge.teams.models import CallOutcome, CarePlan, CareReason, WelfareCall
from wangge.teams.services.care import (
    CallClientIdConflict,
    call_log,
    care_alerts_send,
    care_plan_carer_change,
    care_plan_create,
    care_plan_end,
)


@pytest.fixture(autouse=True)
def _morning():
    """Overdue periods run from midnight (Beijing): the tests start at ten in the morning, so that
    an hour later is the same period whenever they run."""
    with time_machine.travel("2026-12-07 10:00 +0800", tick=True):
        yield


@pytest.fixture
def plan(world):
    return care_plan_create(
        by=world.users["carol"],
        person=world.persons["li_si"],
        reason=CareReason.LIVING_ALONE,
        interval_hours=24,
        carer=world.users["gavin"],
        started=timezone.localdate() - timedelta(days=2),
    )


def _at(plan, hours):
    """The plan's first day at 00:00 (Beijing) plus `hours`."""
    start = timezone.make_aware(datetime.combine(plan.started, datetime.min.time()))
    return start + timedelta(hours=hours)


def test_a_plan_writes_its_carer_as_a_care_assignment(world, plan):
    row = Assignment.objects.active().get(duty=Duty.CARE_GIVER)
    assert (row.person, row.holder_user) == (world.persons["li_si"], world.users["gavin"])
    assert (row.source, row.source_id) == (Assignment.Source.CARE, plan.pk)


def test_a_plan_needs_the_person_in_ones_area_and_one_open_plan_each(world, plan):
    with pytest.raises(PermissionDenied):
        care_plan_create(
            by=world.users["gavin"],
            person=world.persons["wang_wu"],
            reason=CareReason.DIALYSIS,
            interval_hours=12,
            carer=world.users["gavin"],
        )
    with pytest.raises(ValidationError):
        care_plan_create(
            by=world.users["carol"],
            person=world.persons["li_si"],
            reason=CareReason.DISABLED,
            interval_hours=12,
            carer=world.users["carol"],
        )


def test_the_carer_logs_calls_but_not_in_the_future_and_others_may_not(world, plan):
    call, created = call_log(by=world.users["gavin"], plan=plan, outcome=CallOutcome.OK)
    assert created and call.by == world.users["gavin"]
    with pytest.raises(ValidationError):
        call_log(
            by=world.users["gavin"],
            plan=plan,
            outcome=CallOutcome.OK,
            at=timezone.now() + timedelta(minutes=5),
        )
    with pytest.raises(ValidationError):
        call_log(by=world.users["gavin"], plan=plan, outcome=CallOutcome.OK, at=_at(plan, -1))
    with pytest.raises(PermissionDenied):
        call_log(by=world.users["bella"], plan=plan, outcome=CallOutcome.OK)


def test_a_carer_from_another_grid_sees_and_calls_the_plan_they_hold(world, plan):
    bella = world.users["bella"]
    care_plan_carer_change(by=world.users["carol"], plan=plan, carer=bella)
    assert list(CarePlan.objects.restrict(bella)) == [plan]
    call_log(by=bella, plan=plan, outcome=CallOutcome.NO_ANSWER)
    gavin_rows = Assignment.objects.filter(holder_user=world.users["gavin"], duty=Duty.CARE_GIVER)
    assert not gavin_rows.active().exists() and gavin_rows.exists()


def test_a_call_sent_twice_is_stored_once_and_a_foreign_client_id_conflicts(world, plan):
    client_id = uuid.uuid4()
    first, _ = call_log(by=world.users["gavin"], plan=plan, outcome="ok", client_id=client_id)
    again, created = call_log(by=world.users["gavin"], plan=plan, outcome="ok", client_id=client_id)
    assert again == first and not created and WelfareCall.objects.count() == 1
    with pytest.raises(CallClientIdConflict):
        call_log(by=world.users["carol"], plan=plan, outcome="ok", client_id=client_id)


def test_needing_help_says_what_and_alerts_the_community_and_grid_workers(world, plan):
    with pytest.raises(ValidationError):
        call_log(by=world.users["gavin"], plan=plan, outcome=CallOutcome.HELP)
    call_log(by=world.users["gavin"], plan=plan, outcome=CallOutcome.HELP, follow_up="缺药")
    told = set(Alert.objects.filter(kind="care").values_list("recipient__username", flat=True))
    assert told == {"carol", "gavin"}
    assert "缺药" in Alert.objects.filter(recipient=world.users["carol"]).get().text


def test_ending_a_plan_ends_its_carer_and_refuses_calls(world, plan):
    care_plan_end(by=world.users["carol"], plan=plan)
    plan.refresh_from_db()
    assert plan.ended == timezone.localdate()
    assert not Assignment.objects.active().filter(duty=Duty.CARE_GIVER).exists()
    with pytest.raises(ValidationError):
        call_log(by=world.users["carol"], plan=plan, outcome=CallOutcome.OK)


def test_the_overdue_alert_fires_once_per_overdue_period(world, plan):
    now = _at(plan, 50)  # due at hour 24, overdue since
    assert care_alerts_send(now=now) == 1
    told = set(Alert.objects.filter(kind="care").values_list("recipient__username", flat=True))
    assert told == {"carol", "gavin"}
    assert care_alerts_send(now=now + timedelta(hours=1)) == 0
    assert care_alerts_send(now=now + timedelta(hours=24)) == 1
    assert Alert.objects.filter(recipient=world.users["gavin"]).count() == 2


def test_no_alert_after_a_recent_reached_call_but_an_unanswered_one_does_not_count(world, plan):
    gavin = world.users["gavin"]
    call_log(by=gavin, plan=plan, outcome=CallOutcome.NO_ANSWER, at=timezone.now())
    assert care_alerts_send(now=timezone.now()) == 1
    other = care_plan_create(
        by=world.users["carol"],
        person=world.persons["zhang_san"],
        reason=CareReason.PREGNANT,
        interval_hours=24,
        carer=gavin,
        started=timezone.localdate() - timedelta(days=2),
    )
    call_log(by=gavin, plan=other, outcome=CallOutcome.OK, at=timezone.now() - timedelta(hours=2))
    assert care_alerts_send(now=timezone.now() + timedelta(hours=1)) == 0
    other.refresh_from_db()
    assert other.alerted_due is None


def test_the_carers_list_shows_overdue_in_red_and_logs_with_one_tap(client, world, plan):
    client.force_login(world.users["gavin"])
    page = client.get(reverse("teams:care")).content.decode()
    assert "李四" in page and "已超时" in page
    answer = client.post(
        reverse("teams:care_call", args=[plan.pk]),
        {"back": "list", "prefix": "p1", "p1-outcome": "ok", "p1-client_id": str(uuid.uuid4())},
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("teams:care")
    assert WelfareCall.objects.get().outcome == CallOutcome.OK


def test_the_plan_page_is_404_outside_the_area_and_the_overview_lists_the_area(client, world, plan):
    client.force_login(world.users["bella"])
    assert client.get(reverse("teams:care_plan", args=[plan.pk])).status_code == 404
    assert client.post(reverse("teams:care_call", args=[plan.pk]), {}).status_code == 404
    assert "李四" not in client.get(reverse("teams:care")).content.decode()
    client.force_login(world.users["carol"])
    page = client.get(reverse("teams:care_plan", args=[plan.pk]))
    assert page.status_code == 200 and "Gavin" in page.content.decode()


def test_a_plan_is_started_from_the_new_page(client, world):
    client.force_login(world.users["carol"])
    person = world.persons["wang_wu"]
    url = reverse("teams:care_new") + f"?person={person.pk}"
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "person": person.pk,
            "reason": "dialysis",
            "interval_hours": 12,
            "holder_user": world.users["bella"].pk,
        },
    )
    assert answer.status_code == 302
    assert CarePlan.objects.get(person=person).reason == CareReason.DIALYSIS


def test_api_scopes_plans_and_calls_and_answers_replays(api_client_for, world, plan):
    bella = api_client_for(world.users["bella"])
    assert bella.get("/api/teams/care-plans/").json()["count"] == 0
    body = {"plan": plan.pk, "outcome": "ok"}
    assert bella.post("/api/teams/welfare-calls/", body, format="json").status_code == 400
    gavin = api_client_for(world.users["gavin"])
    plans = gavin.get("/api/teams/care-plans/?overdue=true").json()["results"]
    assert [p["id"] for p in plans] == [plan.pk] and plans[0]["carer_user"] == world.users[
        "gavin"
    ].pk
    body["client_id"] = str(uuid.uuid4())
    assert gavin.post("/api/teams/welfare-calls/", body, format="json").status_code == 201
    assert gavin.post("/api/teams/welfare-calls/", body, format="json").status_code == 200
    carol = api_client_for(world.users["carol"])
    conflict = carol.post("/api/teams/welfare-calls/", body, format="json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "client_id_conflict"
    assert gavin.get("/api/teams/care-plans/?overdue=true").json()["count"] == 0
    assert bella.get("/api/teams/welfare-calls/").json()["count"] == 0
    created = carol.post(
        "/api/teams/care-plans/",
        {
            "person": world.persons["zhang_san"].pk,
            "reason": "disabled",
            "interval_hours": 8,
            "carer_user": world.users["carol"].pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    outside = {
        "person": world.persons["zhao_liu"].pk,
        "reason": "disabled",
        "interval_hours": 8,
        "carer_user": world.users["carol"].pk,
    }
    assert carol.post("/api/teams/care-plans/", outside, format="json").status_code == 400


def test_the_overview_lists_tagged_residents_without_a_plan(client, world, plan):
    from wangge.people.models import Tag

    world.persons["li_si"].tags.add(Tag.objects.get(code="living_alone"))
    world.persons["wang_wu"].tags.add(Tag.objects.get(code="disabled"))
    client.force_login(world.users["carol"])
    page = client.get(reverse("teams:care")).content.decode()
    uncovered = page[page.index('data-testid="care-uncovered"') :]
    assert "王五" in uncovered and "李四" not in uncovered
