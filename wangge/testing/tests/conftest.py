"""Helpers for the testing app's tests: lab files written on the fly and a round over 东社区."""

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import make_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAB_HEADER = [
    "姓名",
    "证件号码",
    "手机号",
    "采样时间",
    "采样点",
    "试管编码",
    "检测结果",
    "检测机构",
]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def lab_row(
    name: str = "张三",
    serial: int | None = 1,
    phone: str = "",
    sampled: str = "2022-04-10 08:15",
    tube: str = "T001",
    result: str = "阴性",
    site: str = "阳光花园采样点",
) -> list[str]:
    id_number = make_id_number(serial) if serial is not None else ""
    return [name, id_number, phone, sampled, site, tube, result, "迪安检验"]


@pytest.fixture
def lab_file(tmp_path: Path) -> Callable[..., Path]:
    """lab_file(rows, header=LAB_HEADER, name="lab.csv") → the path of a UTF-8 CSV lab file."""
    counter = iter(range(1000))

    def write(rows: list[list[str]], header: list[str] | None = None, name: str = "") -> Path:
        path = tmp_path / (name or f"lab{next(counter)}.csv")
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(header or LAB_HEADER)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def east_round(world):
    from wangge.testing.services import round_create

    return round_create(
        by=world.users["alice"],
        street=world.street,
        name="东社区第一轮全员核酸",
        scope="communities",
        communities=[world.east],
        starts_at=local(2022, 4, 10, 6, 0),
        ends_at=local(2022, 4, 10, 22, 0),
    )


@pytest.fixture(autouse=True)
def raised_events(monkeypatch) -> list[dict]:
    """The events the testing app raises for the command centre, recorded instead of sent."""
    raised: list[dict] = []
    monkeypatch.setattr(
        "wangge.testing.services.pooling._raise_event", lambda **kwargs: raised.append(kwargs)
    )
    return raised
