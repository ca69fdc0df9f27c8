"""Residents' requests (诉求) of the outbreak's six days: about 120 over the street's grids, made by
the households' own accounts through the services with the clock at each step, so their timelines
carry true times. Every state is there: done (most rated), in progress, taken, withdrawn,
declined, waiting — some waiting past the take time and so escalated to the community by the same
sweep the task worker runs; two turned into command-centre tasks. The demo login's household (the
first in the demo grid with a member under an active measure) has requests of its own, and a few in
the demo grid wait to be taken now."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef

from wangge.core.crypto import unseal
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.measures.models import PersonMeasure
from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.residents.models import HelpRequest, RequestKind
from wangge.residents.services import (
    account_for_phone,
    request_decline,
    request_done,
    request_make_task,
    request_progress,
    request_rate,
    request_submit,
    request_take,
    request_withdraw,
    requests_escalate,
)

REQUESTS = 120
ASKING_HOUSEHOLDS = 60  # each asks about twice
SWEEP_EVERY = timedelta(minutes=15)  # the escalation sweep, as the task worker's would run
WAITING_NOW = 3  # in the demo grid, made within the last hour: not yet escalated
TEXTS = {
    RequestKind.MEDICINE: [
        "降压药（氨氯地平）两盒，医保卡在门口",
        "胰岛素一盒，请到社区卫生服务中心代开",
    ],
    RequestKind.DOCUMENT: ["把房屋租赁合同送到街道便民服务中心", "孩子的学籍材料需送到学校"],
    RequestKind.PICKUP: ["小区门口快递柜有一个包裹，取件码 3581", "菜鸟驿站两个快递"],
    RequestKind.SHOPPING: ["大米一袋、鸡蛋两盒、青菜若干", "婴儿奶粉（一段）两罐"],
    RequestKind.REPAIR: ["厨房水管漏水", "楼道灯不亮"],
    RequestKind.COUNSEL: ["老人独居隔离，情绪低落，希望有人聊聊", "隔离太久睡不着，心里着急"],
    RequestKind.OTHER: ["家里的猫粮吃完了，能否帮忙买一袋", "询问隔离期满后的解除手续"],
}
REPLIES = [
    "已送到门口，请查收",
    "已办好，放在门口鞋柜上",
    "已联系物业上门维修",
    "已电话沟通，明天再回访",
]
DECLINES = ["该药品须本人持处方到医院购买，已告知就医绿色通道", "超出代办范围，已转告物业"]
COMMENTS = ["很及时，谢谢网格员", "辛苦了", "", "速度可以再快一点", "非常满意"]
# (final state, share of 120): the request's path through the services.
PLAN = [
    ("done", 58),
    ("in_progress", 12),
    ("taken", 12),
    ("submitted", 14),
    ("withdrawn", 12),
    ("declined", 12),
]


@dataclass
class Step:
    at: datetime
    order: int
    run: Callable[[], Any]


def _asker(household: Household) -> Any:
    """The account of the household's first member with a phone, if the register ties it there;
    it carries the household as loaded, so the services do not load it again."""
    first = household.members.exclude(phone_sealed="").order_by("pk").first()
    if first is None:
        return None
    account = account_for_phone(phone=unseal(first.phone_sealed))
    if account.household_id != household.pk:
        return None
    account.household = household
    return account


def _demo_household(cast: Cast) -> Household | None:
    measured = PersonMeasure.objects.filter(person__household=OuterRef("pk")).active(
        cast.calendar.today
    )
    return Household.objects.filter(grid=cast.grid).filter(Exists(measured)).order_by("pk").first()


def _households(cast: Cast, rng: random.Random) -> list[Household]:
    households = list(
        Household.objects.filter(
            grid__community__street=cast.street,
            members__status=Person.Status.PRESENT,
        )
        .distinct()
        .select_related("grid__community", "building__compound")
        .order_by("pk")
    )
    rng.shuffle(households)
    return households[:ASKING_HOUSEHOLDS]


def _handler(cast: Cast, household: Household) -> Any:
    grid = household.grid
    if cast.grid.pk in (grid.pk, grid.parent_id):
        return cast.grid_worker
    if grid.community_id == cast.community.pk:
        return cast.community_worker
    return cast.commander


def _steps(
    cast: Cast, rng: random.Random, state: str, account: Any, start: datetime
) -> list[tuple[datetime, Callable[[], Any]]]:
    """The steps of one request after it was submitted at `start`, each at its moment."""
    household = account.household
    handler = _handler(cast, household)
    holder: dict[str, HelpRequest] = {}
    kind = rng.choice(list(RequestKind))

    def submit() -> None:
        person = household.members.order_by("pk").first()
        holder["row"] = request_submit(
            account=account, person=person, kind=kind, text=rng.choice(TEXTS[kind])
        )

    steps: list[tuple[datetime, Callable[[], Any]]] = [(start, submit)]
    if state == "withdrawn":
        steps.append((start + timedelta(minutes=rng.randint(10, 90)), lambda: _withdraw(holder)))
        return steps
    if state == "submitted":
        return steps
    taken = start + timedelta(minutes=rng.choice([15, 30, 45, 70, 100, 150, 200]))
    steps.append((taken, lambda: request_take(by=handler, help_request=holder["row"])))
    if state in ("in_progress", "done"):
        working = taken + timedelta(minutes=rng.randint(10, 60))
        steps.append(
            (
                working,
                lambda: request_progress(by=handler, help_request=holder["row"], note="正在办理"),
            )
        )
    if state == "done":
        done = taken + timedelta(hours=rng.choice([1, 2, 3, 5, 8, 20, 30, 52]))
        reply = rng.choice(REPLIES)
        steps.append(
            (done, lambda: request_done(by=handler, help_request=holder["row"], reply=reply))
        )
        if rng.random() < 0.8:
            rated = done + timedelta(minutes=rng.randint(20, 300))
            stars, comment = rng.choice([5, 5, 5, 4, 4, 3, 2]), rng.choice(COMMENTS)
            steps.append((rated, lambda: _rate(account, holder, stars, comment)))
    if state == "declined":
        reason = rng.choice(DECLINES)
        later = taken + timedelta(minutes=rng.randint(20, 120))
        steps.append(
            (later, lambda: request_decline(by=handler, help_request=holder["row"], reason=reason))
        )
    return steps


def _withdraw(holder: dict[str, HelpRequest]) -> None:
    row = holder["row"]
    request_withdraw(account=row.account, help_request=row)


def _rate(account: Any, holder: dict[str, HelpRequest], stars: int, comment: str) -> None:
    request_rate(account=account, help_request=holder["row"], rating=stars, comment=comment)


def _plan(cast: Cast, rng: random.Random) -> list[tuple[str, Any, datetime]]:
    """(final state, account, moment of submission) of every request, oldest first."""
    calendar = cast.calendar
    states = [state for state, share in PLAN for _ in range(share)][:REQUESTS]
    askers = [a for a in (_asker(h) for h in _households(cast, rng)) if a]
    demo = _demo_household(cast)
    demo_account = _asker(demo) if demo else None
    if demo_account is not None:
        askers = [demo_account, demo_account, demo_account, *askers]
    plan = []
    for number, state in enumerate(states):
        account = askers[number % len(askers)]
        latest = calendar.now - timedelta(days=3 if state == "done" else 0, hours=2)
        day = rng.randint(1, DAYS)
        at = min(calendar.at(day, rng.randint(7, 20), rng.randint(0, 59)), latest)
        plan.append((state, account, at))
    in_grid = {a.household_id: a for a in askers if a.household.grid_id == cast.grid.pk}
    waiting = list(in_grid.values())[:WAITING_NOW]
    for minutes, account in zip((50, 30, 10), waiting, strict=False):
        plan.append(("submitted", account, calendar.now - timedelta(minutes=minutes)))
    return sorted(plan, key=lambda item: item[2])


def requests_seed(cast: Cast, rng: random.Random) -> None:
    now = cast.calendar.now
    steps: list[Step] = []
    for state, account, at in _plan(cast, rng):
        for when, run in _steps(cast, rng, state, account, at):
            if when <= now:
                steps.append(Step(when, len(steps), run))
    swept = datetime.min.replace(tzinfo=now.tzinfo)
    for step in sorted(steps, key=lambda s: (s.at, s.order)):
        with moment(step.at):
            if step.at - swept >= SWEEP_EVERY:
                requests_escalate(now=step.at)
                swept = step.at
            step.run()
    with moment(now):
        requests_escalate(now=now)
    _tasks(cast)


def _tasks(cast: Cast) -> None:
    """Two open requests become tasks of their grid, issued by the command."""
    open_ones = HelpRequest.objects.filter(
        grid__community__street=cast.street,
        status__in=["taken", "in_progress"],
        task__isnull=True,
    ).order_by("created_at")[:2]
    with moment(cast.calendar.now - timedelta(minutes=5)):
        for row in open_ones:
            request_make_task(by=cast.commander, help_request=row)
