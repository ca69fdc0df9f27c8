import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.command.lifecycle import TRANSITIONS
from wangge.command.models import Task, TaskAssignment, TaskEvent
from wangge.command.services.progress import task_cancel, task_feedback_submit, task_transition
from wangge.command.services.tasks import task_issue

State = TaskAssignment.State


def issue(world, kinds, *assignees, by="alice", **extra):
    return task_issue(
        by=world.users[by],
        kind=kinds["1510"],
        title="排查返乡人员",
        assignees=list(assignees),
        **extra,
    )


def move(assignment, action, by):
    if action == "feedback":
        task_feedback_submit(assignment=assignment, by=by, text="已排查")
    else:
        task_transition(assignment=assignment, action=action, by=by)
    assignment.refresh_from_db()
    return assignment


def test_issue_sets_stage_deadlines_from_the_kind_and_alerts_the_assignees(world, kinds, alerts):
    # when
    task = issue(world, kinds, world.grid_a)

    # then 1510: acknowledge within 1 minute, start within 5, first feedback within 10
    assignment = task.assignments.get()
    assert (assignment.ack_due_at - task.issued_at).total_seconds() == 60
    assert (assignment.start_due_at - task.issued_at).total_seconds() == 300
    assert (assignment.feedback_due_at - task.issued_at).total_seconds() == 600
    assert assignment.state == State.ISSUED
    assert alerts(world.users["gavin"]) == ["新交办：排查返乡人员"]
    assert alerts(world.users["bella"]) == []


def test_the_whole_lifecycle_is_timestamped_with_who_did_it(world, kinds):
    # given
    gavin, alice = world.users["gavin"], world.users["alice"]
    assignment = issue(world, kinds, world.grid_a).assignments.get()

    # when
    for action, by in [
        ("acknowledge", gavin),
        ("start", gavin),
        ("feedback", gavin),
        ("complete", alice),
    ]:
        move(assignment, action, by)

    # then
    assert assignment.state == State.COMPLETED
    assert all(
        [
            assignment.acknowledged_at,
            assignment.started_at,
            assignment.feedback_at,
            assignment.completed_at,
        ]
    )
    log = list(
        TaskEvent.objects.filter(assignment=assignment).values_list(
            "action", "by__username", "to_state"
        )
    )
    assert log == [
        ("acknowledge", "gavin", State.ACKNOWLEDGED),
        ("start", "gavin", State.IN_PROGRESS),
        ("feedback", "gavin", State.FEEDBACK_SUBMITTED),
        ("complete", "alice", State.COMPLETED),
    ]
    assert Task.objects.get().status == Task.Status.COMPLETED


def test_returned_for_rework_starts_again(world, kinds, alerts):
    gavin, alice = world.users["gavin"], world.users["alice"]
    assignment = issue(world, kinds, world.grid_a).assignments.get()
    for action in ("acknowledge", "start", "feedback"):
        move(assignment, action, gavin)

    move(assignment, "return", alice)
    assert assignment.state == State.RETURNED
    assert alerts(gavin)[-1] == "交办单被退回重办：排查返乡人员"

    move(assignment, "start", gavin)
    move(assignment, "feedback", gavin)
    move(assignment, "complete", alice)
    assert assignment.state == State.COMPLETED


ILLEGAL = [
    (state, action)
    for state in State.values
    for action, transition in TRANSITIONS.items()
    if state not in transition.sources
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_a_bilingual_message(world, kinds, state, action):
    # given an assignment put straight into `state`
    assignment = issue(world, kinds, world.grid_a).assignments.get()
    TaskAssignment.objects.filter(pk=assignment.pk).update(state=state)
    by = world.users["alice" if TRANSITIONS[action].side == "issuer" else "gavin"]

    # when / then
    with pytest.raises(ValidationError) as refused:
        if action == "feedback":
            task_feedback_submit(assignment=assignment, by=by, text="x")
        else:
            task_transition(assignment=assignment, action=action, by=by)
    message = refused.value.messages[0]
    assert "状态下不能" in message and "cannot" in message
    assert TaskAssignment.objects.get(pk=assignment.pk).state == state


@pytest.mark.parametrize(("action", "transition"), list(TRANSITIONS.items()))
def test_every_legal_transition_reaches_its_target(world, kinds, action, transition):
    for source in transition.sources:
        assignment = issue(world, kinds, world.grid_a).assignments.get()
        TaskAssignment.objects.filter(pk=assignment.pk).update(state=source)
        assignment.refresh_from_db()
        by = world.users["alice" if transition.side == "issuer" else "gavin"]

        move(assignment, action, by)

        assert assignment.state == transition.target


def test_only_the_assignee_acknowledges_and_only_the_issuer_side_completes(world, kinds):
    assignment = issue(world, kinds, world.grid_a).assignments.get()

    with pytest.raises(PermissionDenied):
        task_transition(assignment=assignment, action="acknowledge", by=world.users["bella"])
    move(assignment, "acknowledge", world.users["gavin"])
    move(assignment, "start", world.users["gavin"])
    move(assignment, "feedback", world.users["gavin"])
    with pytest.raises(PermissionDenied):
        task_transition(assignment=assignment, action="complete", by=world.users["gavin"])


def test_small_grid_task_can_be_acted_on_by_the_big_grid_worker(world, kinds):
    assignment = issue(world, kinds, world.grid_a1).assignments.get()

    move(assignment, "acknowledge", world.users["gavin"])

    assert assignment.state == State.ACKNOWLEDGED


def test_each_assignee_has_its_own_progress(world, kinds):
    # given one task to two grids and a community
    task = issue(world, kinds, world.grid_a, world.grid_b, world.east)
    a, b, east = (
        task.assignments.get(grid=world.grid_a),
        task.assignments.get(grid=world.grid_b),
        task.assignments.get(community=world.east),
    )

    # when only grid A gets going
    move(a, "acknowledge", world.users["gavin"])
    move(a, "start", world.users["gavin"])
    move(east, "acknowledge", world.users["carol"])

    # then
    b.refresh_from_db()
    assert (a.state, b.state, east.state) == (State.IN_PROGRESS, State.ISSUED, State.ACKNOWLEDGED)
    assert b.acknowledged_at is None and a.started_at is not None
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN

    # and the task closes only when every part has ended
    for part in (a, b, east):
        by = {a.pk: "gavin", b.pk: "bella", east.pk: "carol"}[part.pk]
        for action in ("acknowledge", "start", "feedback"):
            if action == "acknowledge" and part.state != State.ISSUED:
                continue
            if action == "start" and part.state == State.IN_PROGRESS:
                continue
            move(part, action, world.users[by])
        move(part, "complete", world.users["alice"])
    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED


def test_feedback_sent_twice_with_one_client_id_is_stored_once(world, kinds):
    gavin = world.users["gavin"]
    assignment = issue(world, kinds, world.grid_a).assignments.get()
    move(assignment, "acknowledge", gavin)
    move(assignment, "start", gavin)

    first = task_feedback_submit(
        assignment=assignment, by=gavin, text="已排查12户", figures={"户数": 12}, client_id="c-1"
    )
    again = task_feedback_submit(
        assignment=assignment, by=gavin, text="已排查12户", figures={"户数": 12}, client_id="c-1"
    )

    assert first.pk == again.pk
    assert assignment.feedback.count() == 1
    assert TaskEvent.objects.filter(action="feedback").count() == 1


def test_cancel_ends_every_open_part(world, kinds, alerts):
    task = issue(world, kinds, world.grid_a, world.grid_b)

    task_cancel(task=task, by=world.users["alice"], note="误发")

    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    assert set(task.assignments.values_list("state", flat=True)) == {State.CANCELLED}
    assert alerts(world.users["bella"])[-1] == "交办单被撤销：排查返乡人员"


def test_a_grid_worker_cannot_issue_to_another_grid(world, kinds):
    with pytest.raises(PermissionDenied):
        issue(world, kinds, world.grid_b, by="gavin")


def test_a_community_worker_issues_to_their_grids_only(world, kinds):
    task = issue(world, kinds, world.grid_a, world.grid_b, by="carol")
    assert task.street == world.street
    with pytest.raises(PermissionDenied):
        issue(world, kinds, world.grid_d, by="carol")


def test_a_community_worker_assigns_their_own_grid_worker_by_name(world, kinds):
    task = issue(world, kinds, world.users["gavin"], by="carol")
    assert task.street == world.street and task.assignments.get().user == world.users["gavin"]
    with pytest.raises(PermissionDenied):
        issue(world, kinds, world.users["dora"], by="carol")
