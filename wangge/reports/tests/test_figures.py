"""Each figure of the daily report against a hand-counted day: the fuller world (Zhang San isolated
in grid A with a door alert and a yellow-carded venue; 东社区's store with 450 usable masks; the
gate of 东社区, a checkpoint without a grid) and the rows added below, all on today."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from wangge.checkpoints.models import Checkpoint, Scan
from wangge.command.models import Event, Task, TaskAssignment, TaskKind
from wangge.measures.models import CheckIn, CheckInSlot, PersonMeasure
from wangge.measures.services.assign import measure_assign
from wangge.notify.models import Recipient
from wangge.regions.models import HouseholdColourChange, Zone
from wangge.reports.figures import Day, compute
from wangge.residents.models import HelpRequest
from wangge.supplies.models import Item, Place, StockThreshold
from wangge.testing.models import LabResult, Outcome, VaccinationDose
from wangge.testing.services import round_create
from wangge.venues.models import Card, Venue


@pytest.fixture
def day(fuller_world):
    """Today, read at 23:59:59 (so every row below is in the past), and the rows of the day."""
    w = fuller_world
    today = timezone.localdate()
    d = Day(today, timezone.now())
    start, alice = d.start, w.users["alice"]
    zhang = PersonMeasure.objects.get(person=w.persons["zhang_san"])
    # Li Si isolated today; Wang Wu's measure of five days ago released today
    measure_assign(
        by=alice,
        persons=[w.persons["li_si"]],
        measure_type=zhang.measure_type,
        start=today,
        reason="密接",
    )
    PersonMeasure.objects.create(
        person=w.persons["wang_wu"],
        measure_type=zhang.measure_type,
        reason="返乡",
        status=PersonMeasure.Status.RELEASED,
        start=today - timedelta(days=5),
        end=today + timedelta(days=2),
        ended_on=today,
        created_by=alice,
    )
    # Zhang San's slots: 08:00 done with a fever, 16:00 missed; yesterday's 16:00 missed
    CheckInSlot.objects.filter(measure=zhang).delete()
    done = CheckInSlot.objects.create(
        measure=zhang, due_at=start + timedelta(hours=8), status=CheckInSlot.Status.DONE
    )
    for due in (start + timedelta(hours=16), start - timedelta(hours=8)):
        CheckInSlot.objects.create(measure=zhang, due_at=due, status=CheckInSlot.Status.MISSED)
    CheckIn.objects.create(
        measure=zhang,
        slot=done,
        client_id="fever",
        temperature=Decimal("38.2"),
        flagged=True,
        source=CheckIn.Source.TEAM,
        at=start + timedelta(hours=8),
    )
    # a lockdown over 1幢 (grid A) and 3幢 (grid B); a prevention zone over 江景苑 (grid D); a
    # control zone over 阳光花园 lifted at 01:00
    buildings = {key: w.households[key].building for key in ("a", "b")}
    zone = {
        "street": w.street,
        "starts_at": start - timedelta(days=1),
        "reason": "r",
        "declared_by": alice,
    }
    Zone.objects.create(kind="lockdown", name="封控", **zone).buildings.set(buildings.values())
    river, sunny = w.households["d"].building.compound, buildings["a"].compound
    Zone.objects.create(kind="prevention", name="防范", **zone).compounds.set([river])
    Zone.objects.create(
        kind="control", name="管控", lifted_at=start + timedelta(hours=1), **zone
    ).compounds.set([sunny])
    # a round running today: Zhang San negative, Li Si positive, the others untested
    test_round = round_create(
        by=alice,
        street=w.street,
        name="今日全员",
        starts_at=start,
        ends_at=start + timedelta(hours=20),
    )
    for person, outcome in (("zhang_san", Outcome.NEGATIVE), ("li_si", Outcome.POSITIVE)):
        LabResult.objects.create(
            round=test_round,
            person=w.persons[person],
            street=w.street,
            result=outcome,
            sampled_at=start + timedelta(hours=2),
            created_at=start + timedelta(hours=3),
        )
    # Zhang San's course completed yesterday; Li Si's first dose only tomorrow
    for person, number, on, complete in (
        ("zhang_san", 1, -30, False),
        ("zhang_san", 2, -1, True),
        ("li_si", 1, 1, False),
    ):
        VaccinationDose.objects.create(
            person=w.persons[person],
            dose_number=number,
            vaccinated_on=today + timedelta(days=on),
            vaccine="v",
            completes_course=complete,
        )
    # two scans today at the gate (one refused), one yesterday
    gate = Checkpoint.objects.get()
    for n, (at, verdict) in enumerate(((2, "pass"), (3, "deny"), (-3, "pass"))):
        Scan.objects.create(
            client_id=f"s{n}",
            checkpoint=gate,
            direction="in",
            method="code",
            verdict=verdict,
            scanned_at=start + timedelta(hours=at),
        )
    # a red card closed at 01:00 does not count; the yellow one does
    Card.objects.create(
        venue=Venue.objects.get(),
        colour="red",
        issued_at=start,
        reason="r",
        closed_at=start + timedelta(hours=1),
    )
    # a task of grid B past its 01:00 deadline; west's done in time; one due tomorrow
    task = Task.objects.create(
        street=w.street, kind=TaskKind.objects.first(), title="t", issuer=alice, issued_at=start
    )
    stages = {"ack_due_at": start, "start_due_at": start, "feedback_due_at": start}
    TaskAssignment.objects.create(
        task=task, grid=w.grid_b, due_at=start + timedelta(hours=1), **stages
    )
    TaskAssignment.objects.create(
        task=task,
        community=w.west,
        due_at=start + timedelta(hours=1),
        completed_at=start + timedelta(minutes=30),
        **stages,
    )
    TaskAssignment.objects.create(
        task=task, grid=w.grid_a, due_at=d.end + timedelta(hours=1), **stages
    )
    # the fuller world's event raised at 23:00 (not late yet); one of grid D at 01:00, unanswered
    Event.objects.update(raised_at=start + timedelta(hours=23))
    late = Event.objects.order_by("pk").first()
    late.pk, late.grid, late.household = None, w.grid_d, None
    late.raised_at = start + timedelta(hours=1)
    late.save()
    # a request of grid D open, one closed
    for closed in (None, start + timedelta(hours=2)):
        HelpRequest.objects.create(
            household=w.households["d"],
            grid=w.grid_d,
            kind="other",
            person=w.persons["zhao_liu"],
            text="t",
            created_at=start,
            closed_at=closed,
        )
    # 东社区物资点 holds 450 masks, below a line of 500
    StockThreshold.objects.create(place=Place.objects.get(), item=Item.objects.get(), minimum=500)
    # Zhang San acknowledged the SMS at 03:00
    Recipient.objects.filter(person=w.persons["zhang_san"]).update(
        acknowledged_at=start + timedelta(hours=3)
    )
    return Day(today, d.end - timedelta(seconds=1))


def test_each_figure_counts_the_hand_counted_rows(fuller_world, day):
    # when
    _tree, totals = compute(fuller_world.street, day.on, day.now)
    street = totals[("street", fuller_world.street.pk)]
    east, west = (totals[("community", c.pk)] for c in (fuller_world.east, fuller_world.west))
    grid = {
        key: totals[("grid", getattr(fuller_world, f"grid_{key}").pk)]
        for key in ("a", "a1", "b", "d")
    }
    # then
    assert street["measures.active"] == 2 and street["measures.active.home_isolation"] == 2
    assert (grid["a"]["measures.active"], grid["a1"]["measures.new"]) == (2, 1)
    assert grid["b"]["measures.released"] == 1 and "measures.active" not in grid["b"]
    assert (street["checkins.done"], street["checkins.missed"], street["checkins.fevers"]) == (
        1,
        1,
        1,
    )
    # Zhang San's and (today) Li Si's households turned orange
    assert (grid["a"]["colours.orange"], grid["a1"]["colours.orange"], street["colours.white"]) == (
        2,
        1,
        2,
    )
    assert (street["colours.change.orange"], street["colours.change.white"]) == (2, -2)
    assert (grid["a"]["zones.lockdown"], grid["b"]["zones.lockdown"], east["zones.lockdown"]) == (
        1,
        1,
        1,
    )
    assert (street["zones.lockdown"], west["zones.prevention"], street.get("zones.control", 0)) == (
        1,
        1,
        0,
    )
    assert "zones.lockdown" not in grid["a1"]
    assert [street[f"tests.{k}"] for k in ("target", "tested", "untested", "positive")] == [
        4,
        2,
        2,
        1,
    ]
    assert grid["a1"]["tests.positive"] == 1 and grid["a"]["tests.positive"] == 1
    assert (street["vaccination.18–59"], street["vaccination.first.18–59"]) == (4, 1)
    assert street["vaccination.complete.18–59"] == 1
    assert (
        east["checkpoints.scans"],
        east["checkpoints.refused"],
        street["checkpoints.scans"],
    ) == (2, 1, 2)
    assert "checkpoints.scans" not in grid["a"]
    assert (
        grid["a"]["devices.alerts"],
        street["venues.cards.yellow"],
        street.get("venues.cards.red", 0),
    ) == (1, 1, 0)
    assert (grid["b"]["command.tasks_late"], street["command.tasks_late"]) == (1, 1)
    assert (grid["d"]["command.events_late"], street["command.events_late"]) == (1, 1)
    assert (grid["d"]["command.events_new"], street["command.events_new"]) == (1, 3)
    assert (grid["d"]["requests.open"], street["requests.open"]) == (1, 1)
    assert (east["supplies.places_low"], street["supplies.places_low"]) == (1, 1)
    assert (grid["a"]["notify.acknowledged"], street["notify.acknowledged"]) == (1, 1)


def test_a_past_day_reads_measures_and_colours_back_from_their_history(fuller_world, day):
    # when: yesterday, read at today's end
    yesterday = day.on - timedelta(days=1)
    _tree, totals = compute(fuller_world.street, yesterday, day.now)
    street = totals[("street", fuller_world.street.pk)]
    # then: Zhang San and Wang Wu were under measure (Li Si's began today); today's colour change
    # undone; yesterday's missed slot and scan
    assert (
        street["measures.active"] == 2
        and totals[("grid", fuller_world.grid_b.pk)]["measures.active"] == 1
    )
    assert street["colours.white"] == 4 and street.get("colours.orange", 0) == 0
    assert (street["checkins.missed"], street["checkpoints.scans"]) == (1, 1)
    assert street.get("tests.untested", 0) == 0
    assert HouseholdColourChange.objects.count() == 2
