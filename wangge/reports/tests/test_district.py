"""The district's report from its streets' snapshots: the street rows summed (community and grid rows
and other districts' streets left out), a day some street lacks is None, one query each."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from wangge.regions.models import District, Street
from wangge.reports.district import district_figures, district_series
from wangge.reports.models import AreaFigures, Level, Snapshot

DAY = date(2026, 4, 30)


def snapshot(street: Street, day: date, figures: dict, others: int = 0) -> None:
    """A street's snapshot of `day`: its street row, and `others` community rows of 100 each."""
    shot = Snapshot.objects.create(street=street, day=day, built_at=timezone.now())
    AreaFigures.objects.create(
        snapshot=shot, day=day, level=Level.STREET, area_id=street.pk, name=street.name,
        figures=figures,
    )  # fmt: skip
    for n in range(others):
        AreaFigures.objects.create(
            snapshot=shot, day=day, level=Level.COMMUNITY, area_id=street.pk * 10 + n, name="社区",
            figures=dict.fromkeys(figures, 100),
        )  # fmt: skip


@pytest.fixture
def district(db):
    """Two streets of 东区 with four days: both on DAY-3, DAY-1 and DAY, only the east on DAY-2;
    a street of another district on every day."""
    east_district = District.objects.create(name="东区")
    east = Street.objects.create(name="东街道", district=east_district)
    west = Street.objects.create(name="西街道", district=east_district)
    far = Street.objects.create(name="远街道", district=District.objects.create(name="西区"))
    for back in range(4):
        day = DAY - timedelta(days=back)
        snapshot(east, day, {"measures.active": 3 + back, "checkins.missed": 1}, others=2)
        if back != 2:
            snapshot(west, day, {"measures.active": 10 * (back + 1)})
        snapshot(far, day, {"measures.active": 1000, "checkins.missed": 1000})
    return east_district


def test_a_days_figures_are_the_sum_of_its_streets_rows(district, django_assert_num_queries):
    # when
    with django_assert_num_queries(1):
        figures = district_figures(district, DAY)
    # then: 3 + 10 under measure; the west's missing key counts 0
    assert figures == {"checkins.missed": 1, "measures.active": 13}


def test_a_day_some_street_has_no_snapshot_of_is_none(district):
    # then
    assert district_figures(district, DAY - timedelta(days=2)) is None
    assert district_figures(district, DAY + timedelta(days=1)) is None


def test_the_series_sums_each_whole_day_and_leaves_the_others_empty(
    district, django_assert_num_queries
):
    # when: five days ending DAY, the first before any snapshot
    with django_assert_num_queries(1):
        found = district_series(district, DAY, 5, ("measures.active", "checkins.missed"))
    # then
    assert found == {
        "days": ["04-26", "04-27", "04-28", "04-29", "04-30"],
        "measures.active": [None, 6 + 40, None, 4 + 20, 3 + 10],
        "checkins.missed": [None, 1, None, 1, 1],
    }


def test_a_district_without_streets_has_no_figures(db):
    # given
    empty = District.objects.create(name="空区")
    # then
    assert district_figures(empty, DAY) is None
    assert district_series(empty, DAY, 2, ("measures.active",)) == {
        "days": ["04-29", "04-30"],
        "measures.active": [None, None],
    }


def test_the_administrator_reads_the_district_on_the_page_and_the_api(client, world):
    # given: the world's street in 东区 with yesterday's snapshot
    world.street.district = District.objects.create(name="东区")
    world.street.save()
    yesterday = timezone.localdate() - timedelta(days=1)
    from wangge.reports.services import report_build

    report_build(street=world.street, on=yesterday)
    client.force_login(world.users["admin"])
    area = f"district-{world.street.district_id}"
    # when
    page = client.get("/reports/daily/", {"area": area, "day": yesterday.isoformat()})
    api = client.get("/api/reports/districts/", {"day": yesterday.isoformat()})
    # then: the district is a choice, its figures the street's, and no build button
    html = page.content.decode()
    assert f'value="{area}" selected' in html and 'data-testid="report-build"' not in html
    assert 'data-testid="report-missing"' not in html
    street_row = AreaFigures.objects.get(level=Level.STREET, day=yesterday).figures
    assert api.json() == [
        {"id": world.street.district_id, "name": "东区", "day": yesterday.isoformat(),
         "figures": street_row},
    ]  # fmt: skip


def test_only_the_administrator_sees_districts(client, world):
    world.street.district = District.objects.create(name="东区")
    world.street.save()
    client.force_login(world.users["alice"])
    assert client.get("/api/reports/districts/", {"day": "2026-04-30"}).json() == []
    assert "district-" not in client.get("/reports/daily/").content.decode()
