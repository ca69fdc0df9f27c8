import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.models import Playbook, Task, TaskEvent
from wangge.command.services.events import event_raise
from wangge.command.services.playbooks import playbook_instantiate, resolve_assignees


def positive_case(world, household="a"):
    return event_raise(
        kind="positive_test", title="阳性病例", household=world.households[household], source="lab"
    )


def test_positive_case_playbook_resolves_assignees_from_the_building(world, police):
    # given a positive case in grid A's building; tracers and the health centre exist
    event = positive_case(world)
    playbook = Playbook.objects.get(code="positive_case")

    # when the commander starts the playbook with one click
    run = playbook_instantiate(playbook=playbook, event=event, by=world.users["alice"])

    # then one task per step, in one bundle, each to the unit resolved from the event's place
    tasks = {t.title.split("（")[0]: t for t in run.tasks.all()}
    assignees = {
        title: [str(a.assignee) for a in t.assignments.all()] for title, t in tasks.items()
    }
    assert assignees == {
        "封控楼栋，划定封控区": ["东社区·第一网格"],
        "通知楼内住户足不出户": ["Gavin"],
        "楼内人员全员核酸": ["东社区"],
        "流调排查密接和次密接": ["Tracy"],
        "保障封控户生活物资": ["东社区"],
        "楼道、电梯消杀": ["社区卫生服务中心"],
    }
    assert all(t.event == event and t.bundle == run for t in tasks.values())
    assert tasks["封控楼栋，划定封控区"].kind.code == "1510"


def test_a_step_falls_back_one_level_when_the_place_is_coarse(world):
    # given an event in grid D, which has no grid worker
    event = event_raise(
        kind="positive_test", title="阳性", household=world.households["d"], source="lab"
    )
    step = Playbook.objects.get(code="positive_case").steps.get(assignee="grid_worker")

    found, note = resolve_assignees(step, event)

    assert found == [world.grid_d]
    assert "改由" in note
    # the note lands in the task's log when the playbook runs
    playbook_instantiate(playbook=step.playbook, event=event, by=world.users["alice"])
    assert TaskEvent.objects.filter(action="issue", note__contains="改由").exists()


def test_only_the_command_or_the_community_starts_a_playbook(world):
    event = positive_case(world)
    playbook = Playbook.objects.get(code="positive_case")
    with pytest.raises(PermissionDenied):
        playbook_instantiate(playbook=playbook, event=event, by=world.users["gavin"])
    with pytest.raises(ValidationError, match="another kind"):
        playbook_instantiate(
            playbook=Playbook.objects.get(code="hotline_12345"),
            event=event,
            by=world.users["alice"],
        )
    assert not Task.objects.exists()


def test_whistle_calls_departments_who_report_by_acknowledging(world, police, alerts):
    from wangge.command.services.playbooks import whistle_blow
    from wangge.command.services.progress import task_transition

    # when 东社区 blows the whistle
    task = whistle_blow(
        community=world.east,
        departments=[police],
        title="商户聚集拒不整改",
        by=world.users["carol"],
    )

    # then the police station gets an upward task with the whistle kind's deadline
    assignment = task.assignments.get()
    assert (task.direction, task.origin_community, assignment.department) == (
        "up",
        world.east,
        police,
    )
    assert (assignment.ack_due_at - task.issued_at).total_seconds() == task.kind.ack_seconds
    assert alerts(world.users["paul"]) == ["新吹哨：商户聚集拒不整改"]
    # the department reports (报到) by acknowledging; the community sees it
    task_transition(assignment=assignment, action="acknowledge", by=world.users["paul"])
    assert Task.objects.restrict(world.users["carol"]).filter(pk=task.pk).exists()
    assert Task.objects.restrict(world.users["paul"]).filter(pk=task.pk).exists()
    assert not Task.objects.restrict(world.users["bella"]).filter(pk=task.pk).exists()


def test_only_the_community_itself_blows_its_whistle(world, police):
    from wangge.command.services.playbooks import whistle_blow

    for name in ("gavin", "dora"):
        with pytest.raises(PermissionDenied):
            whistle_blow(
                community=world.east, departments=[police], title="x", by=world.users[name]
            )
