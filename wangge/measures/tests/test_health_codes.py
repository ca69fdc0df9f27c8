"""健康码: the feed, the alert when a code turns yellow or red, the 07:30 digest."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_id_number
from wangge.core.models import Alert
from wangge.measures.models import HealthCodeChange, HealthCodeDigest
from wangge.measures.services import (
    CodeRow,
    Team,
    health_code_import,
    health_code_record,
    health_code_send_digest,
    measure_assign,
)

from .conftest import SHANGHAI, at

DAY = date(2022, 7, 1)


def _row(number, serial, colour, hour, day=DAY):
    return CodeRow(number, make_id_number(serial), colour, at(day, hour))


def feed(world, rows, by="alice"):
    return health_code_record(by=world.users[by], rows=rows, source="api")


def test_a_code_turning_red_alerts_the_grid_worker_and_team_at_once(world, drill, clock):
    # given Zhang San (grid A) under a measure with Dora on his team
    measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="x",
        team=Team(grid_worker=world.users["gavin"], doctor=world.users["dora"]),
    )
    # when his code turns red
    batch = feed(world, [_row(1, 1, "红码", 2)])
    # then the change is stored and Gavin and Dora get an alert; Carol waits for the digest
    assert batch.counts == {"rows": 1, "stored": 1, "duplicates": 0, "problems": 0}
    recipients = set(
        Alert.objects.filter(kind="health_code").values_list("recipient__username", flat=True)
    )
    assert recipients == {"gavin", "dora"}
    assert "张三" in Alert.objects.first().text


def test_green_codes_and_unchanged_colours_do_not_alert(world, clock):
    feed(world, [_row(1, 2, "yellow", 1)])
    assert Alert.objects.count() == 1
    feed(world, [_row(1, 2, "yellow", 2), _row(2, 3, "green", 2)])
    assert Alert.objects.count() == 1
    assert (
        HealthCodeChange.objects.get(
            person=world.persons["li_si"], changed_at=at(DAY, 2)
        ).previous_colour
        == "yellow"
    )


def test_only_the_newest_change_of_a_person_counts_for_the_alert(world, clock):
    feed(world, [_row(1, 1, "red", 1), _row(2, 1, "green", 3)])
    assert not Alert.objects.filter(kind="health_code").exists()
    assert list(
        HealthCodeChange.objects.filter(person=world.persons["zhang_san"])
        .order_by("changed_at")
        .values_list("previous_colour", flat=True)
    ) == ["", "red"]


def test_a_change_sent_twice_is_stored_once(world, clock):
    feed(world, [_row(1, 1, "yellow", 1)])
    batch = feed(world, [_row(1, 1, "yellow", 1)])
    assert batch.counts["duplicates"] == 1
    assert HealthCodeChange.objects.count() == 1


def test_unmatched_and_bad_rows_are_reported_and_the_rest_stored(world, clock):
    rows = [
        _row(1, 1, "red", 1),
        _row(2, 77, "red", 1),
        CodeRow(3, "330102198005170011", "red", at(DAY, 1)),
        CodeRow(4, make_id_number(2), "紫", at(DAY, 1)),
    ]
    batch = feed(world, rows)
    assert batch.counts["stored"] == 1
    problems = {p["row"]: p for p in batch.problems}
    assert set(problems) == {2, 3, 4}
    assert "未登记" in problems[2]["error"] and "*" in problems[2]["id_number"]
    assert "校验位" in problems[3]["error"]
    assert "绿、黄、红" in problems[4]["error"]


def test_persons_outside_the_senders_area_are_unmatched(world, clock):
    batch = feed(world, [_row(1, 4, "red", 1)], by="carol")
    assert batch.counts["stored"] == 0
    assert batch.problems[0]["row"] == 1


def test_only_import_staff_feed_codes(world, clock):
    with pytest.raises(PermissionDenied):
        feed(world, [_row(1, 1, "red", 1)], by="gavin")


def test_import_from_a_csv_file(world, clock, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text(
        "姓名,身份证号,健康码颜色,变码时间\n"
        f"张三,{make_id_number(1)},黄码,2022/7/1 6:30\n"
        f"李四,{make_id_number(2)},绿码,2022-07-01 06:40:00\n",
        encoding="gb18030",
    )
    batch = health_code_import(by=world.users["alice"], path=path)
    assert batch.counts["stored"] == 2
    change = HealthCodeChange.objects.get(person=world.persons["zhang_san"])
    assert change.changed_at == datetime(2022, 7, 1, 6, 30, tzinfo=SHANGHAI)


def test_the_digest_comes_at_0730_once_with_the_nights_changes(world, clock):
    # given changes overnight: yesterday 20:00 (grid A), today 02:00 (grid B) and 08:00 (after)
    clock.move_to(at(DAY, 21))
    feed(world, [_row(1, 1, "yellow", 20)])
    clock.move_to(at(DAY + timedelta(days=1), 9))
    feed(
        world,
        [
            _row(1, 3, "red", 2, DAY + timedelta(days=1)),
            _row(2, 2, "red", 8, DAY + timedelta(days=1)),
        ],
    )
    Alert.objects.all().delete()
    # when the sweep runs before 07:30, nothing; at 07:31, the digest
    assert health_code_send_digest(now=at(DAY + timedelta(days=1), 7, 29)) is None
    digest = health_code_send_digest(now=at(DAY + timedelta(days=1), 7, 31))
    # then each responsible worker has one digest: Gavin (grid A), Bella (grid B), Carol (both)
    texts = dict(
        Alert.objects.filter(kind="health_code_digest").values_list("recipient__username", "text")
    )
    assert set(texts) == {"gavin", "bella", "carol"}
    assert (
        "2 人有 2 次变码" in texts["carol"]
        and "红码1" in texts["carol"]
        and "黄码1" in texts["carol"]
    )
    assert "1 人有 1 次变码" in texts["gavin"]
    assert digest.changes == 2
    # and running again the same day sends nothing more
    assert health_code_send_digest(now=at(DAY + timedelta(days=1), 9)) is None
    assert HealthCodeDigest.objects.count() == 1
    assert Alert.objects.filter(kind="health_code_digest").count() == 3


def test_the_digest_time_is_configurable(world, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "HEALTH_CODE_DIGEST_TIME": "06:00"}
    assert health_code_send_digest(now=at(DAY, 6, 1)) is not None


def test_the_next_digest_starts_where_the_last_ended(world, clock):
    first = health_code_send_digest(now=at(DAY, 7, 40))
    second = health_code_send_digest(now=at(DAY + timedelta(days=2), 8))
    assert second.window_from == first.window_until
