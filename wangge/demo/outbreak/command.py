"""The command centre's six days: tasks in every state (done, in hand, returned, cancelled, just
issued, overdue and escalated), 12345 calls from raised to closed with the caller's satisfaction,
and an upstream verification list half answered."""

import csv
import io
import random
from datetime import timedelta
from typing import Any

from wangge.command.models import Task, TaskKind, VerificationRow
from wangge.command.services.escalation import deadline_sweep
from wangge.command.services.events import event_raise, event_transition
from wangge.command.services.progress import task_cancel, task_feedback_submit, task_transition
from wangge.command.services.tasks import task_issue
from wangge.command.services.verification import (
    may_answer,
    verification_list_import,
    verification_row_answer,
)
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.measures.models import PersonMeasure

# day, kind, to ("grid", "community" or "inspector"), title, steps taken afterwards (3 h apart)
TASKS = [
    (
        1,
        "1510",
        "grid",
        "封控楼栋，落实24小时值守",
        ["acknowledge", "start", "feedback", "complete"],
    ),
    (2, "routine", "grid", "排查近7天返乡人员", ["acknowledge", "start", "feedback", "return"]),
    (3, "1510", "community", "封控楼栋人员全员核酸，日清日结", ["acknowledge", "start"]),
    (4, "routine", "community", "电梯、楼道每日消杀", ["acknowledge", "start", "feedback"]),
    (4, "routine", "grid", "核查连续未打卡人员", []),
    (5, "routine", "grid", "统计封控户生活物资需求", ["acknowledge"]),
    (5, "routine", "community", "设置临时物资中转点", ["cancel"]),
    (DAYS, "1510", "grid", "通知管控区住户足不出户", []),
    (DAYS, "routine", "inspector", "检查农贸市场、卫生服务站扫码测温落实情况", []),
]
CALLS = [
    ("封控楼栋住户反映买菜难", "希望社区统一配送蔬菜。"),
    ("反映小区门岗排队时间长", "早高峰进出排队超过半小时。"),
    ("咨询居家隔离期间就医", "家中老人需定期配药。"),
    ("举报有人未报备返乡", "隔壁单元有外地返回人员未登记。"),
    ("反映核酸采样点位置太远", "建议在小区内增设采样点。"),
    ("咨询管控区快递能否进入", ""),
    ("反映楼道消杀不及时", ""),
    ("咨询解除隔离需要的核酸次数", ""),
    ("反映外卖无法送到楼下", ""),
    ("反映独居老人无人照看", "3楼独居老人腿脚不便。"),
]
SATISFACTION = ("satisfied", "satisfied", "basic", "dissatisfied")


def tasks_run(cast: Cast) -> None:
    calendar = cast.calendar
    for day, kind, to, title, steps in TASKS:
        assignee, member = {
            "grid": (cast.grid, cast.grid_worker),
            "community": (cast.community, cast.community_worker),
            "inspector": (cast.inspector, cast.inspector),
        }[to]
        issued = calendar.at(day, 8, 30)
        with moment(issued):
            task = task_issue(
                by=cast.commander,
                kind=TaskKind.objects.get(code=kind),
                title=title,
                assignees=[assignee],
                street=cast.street,
                priority=Task.Priority.CRITICAL if kind == "1510" else Task.Priority.NORMAL,
                due_at=issued + timedelta(days=1),
            )
        assignment = task.assignments.get()
        for hours, step in enumerate(steps, start=1):
            with moment(min(issued + timedelta(hours=hours * 3), calendar.now)):
                if step == "cancel":
                    task_cancel(task=task, by=cast.commander, note="改由街道统一设置")
                elif step == "feedback":
                    task_feedback_submit(
                        assignment=assignment, by=member, text="已按要求落实，详见附件清单。"
                    )
                else:
                    by = cast.commander if step in ("complete", "return") else member
                    task_transition(assignment=assignment, action=step, by=by)
                assignment.refresh_from_db()
    deadline_sweep(now=calendar.now)


def calls_run(cast: Cast, rng: random.Random) -> None:
    """Ten 12345 calls over the six days; older ones closed with the caller's satisfaction."""
    calendar = cast.calendar
    homes = list(cast.residents(household__grid=cast.grid)[:40])
    for index, (title, description) in enumerate(CALLS):
        day = 1 + index * DAYS // len(CALLS)
        caller = rng.choice(homes)
        raised = calendar.at(day, 9 + index % 8, rng.randint(0, 59))
        with moment(raised):
            event = event_raise(
                kind="hotline_12345",
                title=title,
                description=description,
                household=caller.household,
                source="12345热线",
                by=cast.commander,
                reporter_name=caller.name,
                reporter_phone=f"1380571{index:04d}",
            )
        age = DAYS - day
        steps = ["respond", "resolve", "close"][: min(age + 1, 3)] if index % 4 else ["respond"]
        for hours, step in enumerate(steps, start=1):
            with moment(min(raised + timedelta(hours=hours * 5), calendar.now)):
                event_transition(
                    event=event,
                    action=step,
                    by=cast.commander,
                    note="已联系反映人",
                    satisfaction=SATISFACTION[index % len(SATISFACTION)] if step == "close" else "",
                )


def verification_run(cast: Cast, rng: random.Random) -> None:
    """The list the city sent on day 5: contacts to check, half of them answered since."""
    calendar = cast.calendar
    persons = list(cast.residents(household__grid__community=cast.community)[:200])
    listed = rng.sample(persons, min(24, len(persons)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "证件号码", "手机号"])
    for person in listed:
        writer.writerow([person.name, person.id_number, person.phone])
    writer.writerow(["查无此人", "", "13905719999"])
    with moment(calendar.at(DAYS - 1, 15)):
        vlist = verification_list_import(
            street=cast.street,
            stream=io.BytesIO(buffer.getvalue().encode("utf-8")),
            original_name="市指挥部协查名单.csv",
            by=cast.commander,
            title="市指挥部协查名单（时空交集）",
        )
    rows = list(VerificationRow.objects.filter(list=vlist, person__isnull=False).order_by("pk"))
    with moment(calendar.now):
        for row in rows[: len(rows) // 2]:
            _answer(cast, row)


def _answer(cast: Cast, row: Any) -> None:
    measure = PersonMeasure.objects.filter(
        person=row.person_id, status=PersonMeasure.Status.ACTIVE
    ).first()
    by = cast.grid_worker if may_answer(cast.grid_worker, row) else cast.commander
    verification_row_answer(
        row=row,
        by=by,
        result=VerificationRow.Result.CONTROLLED if measure else VerificationRow.Result.NO_CONTROL,
        measure=measure,
        note="已电话核实" if measure is None else "",
    )
