"""Shared by the reports and notices tests: a frozen morning, Zhang San under a home isolation,
a second member of his household (张小三, for 代办), a photo."""

import io
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import _person, drill_home_isolation
from wangge.measures.models import PersonMeasure
from wangge.measures.services import measure_assign

MORNING = datetime(2022, 7, 1, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def morning() -> Iterator[time_machine.Traveller]:
    """2022-07-01 07:30 in Shanghai: the 08:00 check-in slot is open."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def isolated(world, morning) -> PersonMeasure:
    """Zhang San under 7 days at home since today (check-ins at 08:00 and 16:00)."""
    (measure,) = measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill_home_isolation(),
        start=date(2022, 7, 1),
        reason="密接",
    )
    return measure


@pytest.fixture
def son(world):
    """张小三, Zhang San's son in household a (no phone of his own in the portal)."""
    return _person(world.households["a"], "张小三", 9, "13800009999")


def photo(name: str = "card.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
