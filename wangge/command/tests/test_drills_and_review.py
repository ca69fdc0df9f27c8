from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.models import DailyReview
from wangge.command.selectors import drill_result
from wangge.command.services.escalation import deadline_sweep
from wangge.command.services.events import event_raise
from wangge.command.services.progress import task_feedback_submit, task_transition
from wangge.command.services.review import daily_review_save, daily_review_sign
from wangge.command.services.tasks import task_issue

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def at(seconds):
    return time_machine.travel(T0 + timedelta(seconds=seconds), tick=False)


def test_drill_result_table_and_share_within_1_5_10_minutes(world, kinds):
    gavin, bella, carol = world.users["gavin"], world.users["bella"], world.users["carol"]
    with at(0):
        task = task_issue(
            by=world.users["alice"],
            kind=kinds["1510"],
            title="拉练",
            drill=True,
            assignees=[world.grid_a, world.grid_b, world.east],
        )
    a, b, east = (
        task.assignments.get(grid=world.grid_a),
        task.assignments.get(grid=world.grid_b),
        task.assignments.get(community=world.east),
    )
    with at(40):
        task_transition(assignment=a, action="acknowledge", by=gavin)
    with at(200):
        task_transition(assignment=a, action="start", by=gavin)
    with at(550):
        task_feedback_submit(assignment=a, by=gavin, text="到位")
    with at(90):
        task_transition(assignment=b, action="acknowledge", by=bella)
    with at(30):
        task_transition(assignment=east, action="acknowledge", by=carol)
    with at(400):
        task_transition(assignment=east, action="start", by=carol)

    result = drill_result(task)

    table = {
        str(line.assignment.assignee): (line.ack, line.start, line.feedback)
        for line in result.lines
    }
    assert table == {
        "东社区·第一网格": (40, 200, 550),
        "东社区·第二网格": (90, None, None),
        "东社区": (30, 400, None),
    }
    assert result.thresholds == (60, 300, 600)
    assert result.shares == {"ack": 66.7, "start": 33.3, "feedback": 33.3}


def test_drill_alerts_are_marked_as_drill(world, kinds, alerts):
    with at(0):
        task_issue(
            by=world.users["alice"],
            kind=kinds["1510"],
            title="拉练",
            drill=True,
            assignees=[world.grid_a],
        )
    with at(61):
        deadline_sweep()
    assert alerts(world.users["gavin"]) == ["【演练】新交办：拉练"]
    assert alerts(world.users["carol"]) == ["【演练】超时未接单：拉练（东社区·第一网格）"]


def test_daily_review_signs_off_and_freezes_the_day(world, kinds):
    alice = world.users["alice"]
    day = date(2026, 3, 2)
    with at(0):
        task_issue(by=alice, kind=kinds["1510"], title="排查", assignees=[world.grid_a])
        event_raise(kind="hotline_12345", title="噪音扰民", grid=world.grid_b, source="12345")
    with at(120):
        deadline_sweep()
        daily_review_save(street=world.street, day=day, conclusion="草稿", by=alice)
        review = daily_review_sign(
            street=world.street, day=day, conclusion="第一网格接单超时，约谈。", by=alice
        )

    assert review.signed_by == alice
    numbers = review.snapshot["numbers"]
    assert (numbers["tasks_issued"], numbers["events_raised"], numbers["stages_missed"]) == (
        1,
        1,
        1,
    )
    assert [e["title"] for e in review.snapshot["open_events"]] == ["噪音扰民"]
    assert review.snapshot["late_tasks"][0]["title"] == "排查"
    # signed means final, the history is kept
    with at(200), pytest.raises(ValidationError, match="signed"):
        daily_review_save(street=world.street, day=day, conclusion="改", by=alice)
    assert DailyReview.objects.get().conclusion == "第一网格接单超时，约谈。"


def test_only_the_street_command_writes_the_review(world):
    for name in ("carol", "gavin", "tracy"):
        with pytest.raises(PermissionDenied):
            daily_review_save(
                street=world.street, day=date(2026, 3, 2), conclusion="x", by=world.users[name]
            )
    assert not DailyReview.objects.restrict(world.users["carol"]).exists()
