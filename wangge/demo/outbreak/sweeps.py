"""扫楼清村 on the demo street: one campaign started on day 3 over the first community's grids
(travel since day 1, vaccination and the needs of the elderly), half done: the demo grid worker
sweeps the demo grid and the community worker the community's other grids, and half of each
grid's households are done through attempt_record, as a phone would send them: most answered, some
refused or moved away, some answered by a neighbour after nobody was home in the morning, the
afternoon and the evening. Of the rest, some are still pending after one or two notes left at the
door. The answers find what a sweep finds (an unvaccinated elder, a returnee, a changed phone, a
need), as proposals waiting for the grid worker."""

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.people.models import Person
from wangge.regions.models import Grid
from wangge.sweeps.models import AttemptResult, Campaign, Visit
from wangge.sweeps.services.campaigns import campaign_assign, campaign_create, campaign_start
from wangge.sweeps.services.visits import GONE, attempt_record

START_DAY = 3
CHECKS = ["travel", "vaccination", "elderly"]
# Of the demo grid's households, in order: the share done, and how the others stand.
DONE_SHARE = 0.5
REFUSED, MOVED, PROXY = 0.04, 0.03, 0.06  # shares of the households done
WAITING_AFTER_NOTES = 0.15  # of the households not done: one or two notes left
NEED_TEXTS = ["腿脚不便，需要代购药品", "独居，希望定期上门看看", "缺少米面油", "需要陪同就医"]
PLACES = ["上海", "杭州", "广州", "南京"]


def _members(visits: list[Visit]) -> dict[int, list[Person]]:
    rows = (
        Person.objects.filter(household_id__in=[visit.household_id for visit in visits])
        .exclude(status__in=GONE)
        .only("pk", "household_id", "birth_date")
    )
    members: dict[int, list[Person]] = defaultdict(list)
    for person in rows.order_by("pk"):
        members[person.household_id].append(person)
    return members


def _answers(rng: random.Random, members: list[Person], calendar: Any) -> dict[str, Any]:
    ids = [str(person.pk) for person in members]
    away = {pk: rng.random() < 0.06 for pk in ids}
    answers: dict[str, Any] = {
        "residents.present": dict.fromkeys(ids, True),
        "travel.away": away,
        "vaccination.doses": {
            pk: rng.choices(["booster", "full", "partial", "none"], [55, 30, 8, 7])[0] for pk in ids
        },
        "elderly.need": rng.random() < 0.05,
    }
    travelled = [pk for pk, gone in away.items() if gone]
    if travelled:
        answers["travel.risk_area"] = {pk: rng.random() < 0.3 for pk in travelled}
        answers["travel.places"] = {pk: rng.choice(PLACES) for pk in travelled}
        answers["travel.returned_on"] = {pk: calendar.day(2).isoformat() for pk in travelled}
    if answers["elderly.need"]:
        answers["elderly.kind"] = rng.choice(["medicine", "groceries", "doctor", "care"])
        answers["elderly.detail"] = rng.choice(NEED_TEXTS)
    if rng.random() < 0.03:
        answers["residents.phone"] = {ids[0]: f"139{rng.randint(10_000_000, 99_999_999)}"}
    if len(ids) > 1 and rng.random() < 0.03:
        answers["residents.present"][ids[-1]] = False
        for key in ("travel.away", "vaccination.doses"):
            answers[key].pop(ids[-1])
        answers.get("travel.risk_area", {}).pop(ids[-1], None)
    return answers


def _record(by: Any, visit: Visit, at: datetime, result: str, **extra: Any) -> None:
    attempt_record(
        by=by,
        visit=visit,
        client_id=uuid.uuid4(),
        at=at,
        result=result,
        **extra,
    )


def _nobody_home(by: Any, visit: Visit, times: list[datetime]) -> None:
    for at in times:
        _record(by, visit, at, AttemptResult.NOBODY_HOME, note="已留联系条")


def sweep_seed(cast: Cast, rng: random.Random) -> Campaign:
    calendar = cast.calendar
    grids = list(Grid.objects.filter(community=cast.community, parent__isnull=True).order_by("pk"))
    others = [grid for grid in grids if grid != cast.grid]
    with moment(calendar.at(START_DAY, 8)):
        campaign = campaign_create(
            by=cast.commander,
            name=f"{cast.community.name}扫楼清村",
            grids=grids,
            checks=CHECKS,
            since=calendar.day(1),
            deadline=calendar.at(DAYS, 0) + timedelta(days=3),
        )
        campaign_start(by=cast.commander, campaign=campaign)
        campaign_assign(
            by=cast.commander, campaign=campaign, sweeper=cast.grid_worker, grids=[cast.grid]
        )
        if others:
            campaign_assign(
                by=cast.commander, campaign=campaign, sweeper=cast.community_worker, grids=others
            )
    for grid in grids:
        sweeper = cast.grid_worker if grid == cast.grid else cast.community_worker
        _grid_swept(cast, rng, campaign, grid, sweeper)
    return campaign


def _grid_swept(cast: Cast, rng: random.Random, campaign: Campaign, grid: Grid, by: Any) -> None:
    """Half the grid's households done, in every way a door answers."""
    calendar = cast.calendar
    visits = list(
        Visit.objects.filter(campaign=campaign, grid=grid).order_by("building", "household")
    )
    done = int(len(visits) * DONE_SHARE)
    members = _members(visits[:done])
    first, last = START_DAY, DAYS
    for number, visit in enumerate(visits):
        day = first + number % (last - first + 1)
        share = rng.random()
        if number >= done:
            if share < WAITING_AFTER_NOTES:
                _nobody_home(
                    by, visit, [calendar.at(day, 10), calendar.at(last, 19)][: rng.randint(1, 2)]
                )
            continue
        if share < REFUSED:
            _record(by, visit, calendar.at(day, 19), AttemptResult.REFUSED)
        elif share < REFUSED + MOVED or not members[visit.household_id]:
            _record(by, visit, calendar.at(day, 15), AttemptResult.MOVED, note="邻居称已搬走")
        elif share < REFUSED + MOVED + PROXY:
            _nobody_home(by, visit, [calendar.at(3, 9), calendar.at(4, 15), calendar.at(4, 19, 30)])
            _record(
                by,
                visit,
                calendar.at(5, 20),
                AttemptResult.PROXY,
                answers=_answers(rng, members[visit.household_id], calendar),
                proxy_name=rng.choice(["王阿姨", "李师傅", "楼栋长陈姐"]),
                proxy_relation=rng.choice(["对门邻居", "楼栋长", "物业管家"]),
            )
        else:
            _record(
                by,
                visit,
                calendar.at(day, rng.choice([9, 10, 15, 16, 19])),
                AttemptResult.ANSWERED,
                answers=_answers(rng, members[visit.household_id], calendar),
            )
