"""Today's testing round over the first community, the lab's file of results for most of its
residents (ten to a pooled tube, one pooled tube positive and so in review), and the vaccination
records of its over-60s with gaps — all through the testing imports, as a lab file and a
vaccination roster would arrive."""

import csv
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.testing.models import NucleicRound
from wangge.testing.services import round_create
from wangge.testing.services.lab.importing import results_import
from wangge.testing.services.vaccination import doses_import

TESTED_SHARE = 0.85
POOL = 10
OLD_AGE = 60
# Of the over-60s: fully vaccinated, one dose short, none at all (the gaps).
VACCINATED = (0.7, 0.15)
VACCINE = "北京生物新冠灭活疫苗"


def _write(rows: list[list[str]], header: list[str]) -> Path:
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, encoding="utf-8", newline=""
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return Path(handle.name)


def round_run(cast: Cast, rng: random.Random) -> NucleicRound:
    """The round opened this morning, and the lab's results so far: most residents, pooled."""
    calendar = cast.calendar
    opens = calendar.at(DAYS, 0)
    with moment(opens):
        round = round_create(
            by=cast.commander,
            street=cast.street,
            name=f"{cast.community.name}第{DAYS}轮全员核酸",
            starts_at=opens,
            ends_at=opens + timedelta(hours=23, minutes=59),
            scope=NucleicRound.Scope.COMMUNITIES,
            communities=[cast.community],
        )
    residents = list(cast.residents(household__grid__community=cast.community))
    tested = [p for p in residents if rng.random() < TESTED_SHARE]
    span = max((calendar.now - opens).total_seconds(), 60)
    positive_tube = len(tested) // POOL // 2
    rows = []
    for index, person in enumerate(tested):
        tube = index // POOL
        sampled = opens + timedelta(seconds=span * index / max(len(tested), 1))
        rows.append(
            [
                person.name,
                person.id_number,
                f"{sampled:%Y-%m-%d %H:%M}",
                f"DEMO{calendar.today:%m%d}{tube:05d}",
                "阳性" if tube == positive_tube else "阴性",
                "江南第一检测实验室",
            ]
        )
    path = _write(rows, ["姓名", "证件号码", "采样时间", "试管编码", "检测结果", "检测机构"])
    try:
        with moment(calendar.now):
            results_import(path=path, by=cast.commander, round=round, original_name="检测结果.csv")
    finally:
        path.unlink()
    return round


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def doses_record(cast: Cast, rng: random.Random) -> None:
    """The vaccination roster of the first community's over-60s: most with their course, some
    one dose short, some with none — the gaps the outreach works on."""
    today = cast.calendar.today
    rows: list[list[Any]] = []
    for person in cast.residents(household__grid__community=cast.community):
        if person.birth_date is None or _age(person.birth_date, today) < OLD_AGE:
            continue
        draw = rng.random()
        doses = 2 if draw < VACCINATED[0] else 1 if draw < sum(VACCINATED) else 0
        for number in range(1, doses + 1):
            given = date(2021, 4, 1) + timedelta(days=rng.randint(0, 200) + 28 * number)
            rows.append([person.name, person.id_number, f"{given:%Y-%m-%d}", VACCINE, number])
    if not rows:
        return
    path = _write(rows, ["姓名", "证件号码", "接种日期", "疫苗名称", "剂次"])
    try:
        with moment(cast.calendar.now):
            doses_import(by=cast.commander, path=path, original_name="接种记录.csv")
    finally:
        path.unlink()
