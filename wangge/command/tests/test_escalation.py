from datetime import UTC, datetime, timedelta

import time_machine

from wangge.command.models import TaskEscalation
from wangge.command.services.escalation import deadline_sweep
from wangge.command.services.progress import task_transition
from wangge.command.services.tasks import task_issue
from wangge.command.tasks import watch_deadlines

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def issue(world, kinds, *assignees, by="alice"):
    return task_issue(
        by=world.users[by], kind=kinds["1510"], title="封控楼栋", assignees=list(assignees)
    )


def late_alerts(alerts, user):
    return [text for text in alerts(user) if "超时" in text]


def test_missed_acknowledgement_alerts_the_superior_then_the_issuer(world, kinds, alerts, settings):
    settings.WANGGE = {**settings.WANGGE, "TASK_ISSUER_ESCALATION_SECONDS": 600}
    with time_machine.travel(T0, tick=False):
        issue(world, kinds, world.grid_a)
    carol, alice = world.users["carol"], world.users["alice"]

    # within the minute: nothing
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        deadline_sweep()
    assert late_alerts(alerts, carol) == []

    # a minute late: grid A's superior — its community's worker — hears of it, the issuer not yet
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        deadline_sweep()
    assert late_alerts(alerts, carol) == ["超时未接单：封控楼栋（东社区·第一网格）"]
    assert late_alerts(alerts, alice) == []

    # ten minutes after that, still not acknowledged: the issuer is told too
    with time_machine.travel(T0 + timedelta(seconds=61 + 600), tick=False):
        deadline_sweep()
    assert any("超时未接单" in text for text in late_alerts(alerts, alice))


def test_running_the_sweep_twice_alerts_once(world, kinds, alerts):
    with time_machine.travel(T0, tick=False):
        issue(world, kinds, world.grid_a)
    with time_machine.travel(T0 + timedelta(seconds=90), tick=False):
        first = deadline_sweep()
        second = deadline_sweep()

    assert first["escalations"] == 1 and second["escalations"] == 0
    assert len(late_alerts(alerts, world.users["carol"])) == 1
    assert TaskEscalation.objects.count() == 1


def test_each_missed_stage_is_escalated_on_its_own(world, kinds, alerts):
    gavin = world.users["gavin"]
    with time_machine.travel(T0, tick=False):
        assignment = issue(world, kinds, world.grid_a).assignments.get()
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        task_transition(assignment=assignment, action="acknowledge", by=gavin)
    with time_machine.travel(T0 + timedelta(seconds=301), tick=False):
        deadline_sweep()

    assert list(TaskEscalation.objects.values_list("stage", flat=True)) == ["start"]
    assert late_alerts(alerts, world.users["carol"]) == ["超时未启动：封控楼栋（东社区·第一网格）"]


def test_community_misses_go_to_the_street_commanders(world, kinds, alerts):
    with time_machine.travel(T0, tick=False):
        issue(world, kinds, world.east, by="admin")
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        deadline_sweep()

    assert late_alerts(alerts, world.users["alice"]) == ["超时未接单：封控楼栋（东社区）"]


def test_a_grid_workers_own_miss_goes_to_their_community(world, kinds, alerts):
    with time_machine.travel(T0, tick=False):
        issue(world, kinds, world.users["gavin"])
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        deadline_sweep()

    assert len(late_alerts(alerts, world.users["carol"])) == 1


def test_nothing_is_escalated_for_done_or_cancelled_parts(world, kinds):
    gavin = world.users["gavin"]
    with time_machine.travel(T0, tick=False):
        task = issue(world, kinds, world.grid_a, world.grid_b)
        task_transition(
            assignment=task.assignments.get(grid=world.grid_b),
            action="cancel",
            by=world.users["alice"],
        )
        task_transition(
            assignment=task.assignments.get(grid=world.grid_a), action="acknowledge", by=gavin
        )
        task_transition(
            assignment=task.assignments.get(grid=world.grid_a), action="start", by=gavin
        )
    with time_machine.travel(T0 + timedelta(seconds=599), tick=False):
        assert deadline_sweep()["escalations"] == 0


def test_several_late_items_for_one_recipient_make_one_alert(world, kinds, alerts):
    with time_machine.travel(T0, tick=False):
        issue(world, kinds, world.grid_a)
        issue(world, kinds, world.grid_b)
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        watch_deadlines.call_local()

    texts = late_alerts(alerts, world.users["carol"])
    assert len(texts) == 1 and texts[0].startswith("2项交办超时")
