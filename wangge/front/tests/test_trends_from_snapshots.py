"""The commander's trends read past days from the daily report's snapshots (summed over the areas
the commander holds) and today, and every day from the first one without a snapshot, from the
records — on the hand-built morning of 2022-07-01 (this package's conftest)."""

from datetime import date, timedelta

from django.utils import timezone

from wangge.front.today import Today
from wangge.front.trends import charts
from wangge.measures.models import PersonMeasure
from wangge.reports.models import AreaFigures, Snapshot
from wangge.reports.services import report_build

LIVE = [0, 0, 1, 1, 1, 1, 3, 4, 4, 3, 3, 3, 3, 3]  # test_situation's measures, from the records


def fortnight(world) -> None:
    for back in range(13, 0, -1):
        report_build(street=world.street, on=date(2022, 7, 1) - timedelta(days=back))


def test_past_days_stay_as_snapshotted_when_the_register_changes(day):
    # given: the 13 days before today snapshotted
    fortnight(day.world)
    alice = day.world.users["alice"]
    assert charts(Today(user=alice, now=timezone.now()))["measures"] == LIVE
    # when: 李四's measure (06-20 → 06-27) is deleted from the register
    PersonMeasure.objects.filter(person=day.world.persons["li_si"]).delete()
    data = charts(Today(user=alice, now=timezone.now()))
    # then: the snapshotted days keep it; today is read from the records
    assert data["measures"] == LIVE
    assert data["missed"] == [0] * 12 + [1, 2] and data["events"] == [0] * 12 + [1, 1]


def test_a_community_commander_sums_her_community_and_a_gap_is_read_from_the_records(day):
    # given: snapshots whose numbers show where they come from; 06-29 lost
    fortnight(day.world)
    AreaFigures.objects.filter(level="community", area_id=day.world.east.pk).update(
        figures={"measures.active": 9}
    )
    Snapshot.objects.filter(day=date(2022, 6, 29)).delete()
    # when
    data = charts(Today(user=day.world.users["cora"], now=timezone.now()))
    # then: 9 up to 06-28, then 东社区's records (王五, and 张三 from 06-25)
    assert data["measures"] == [9] * 11 + [2, 2, 2]
