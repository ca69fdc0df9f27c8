import threading
from datetime import date

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from wangge.core.models import Alert
from wangge.measures.models import CheckIn, CheckInSlot, parse_temperature
from wangge.measures.services import (
    checkin_link_token,
    checkin_record,
    measure_assign,
    measure_end_early,
    measure_from_link,
)

from .conftest import at

DAY = date(2022, 7, 1)


@pytest.fixture
def measure(world, drill, clock):
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="自外地返回",
    )
    return measure


@pytest.mark.parametrize("value", ["36.5", "34.0", "43.0", "37", 36.8])
def test_temperatures_in_range_with_one_decimal_are_accepted(value):
    assert str(parse_temperature(value)).count(".") == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [("33.9", "34.0"), ("43.1", "43.0"), ("36.55", "一位小数"), ("abc", "体温"), ("", "体温")],
)
def test_temperatures_out_of_range_or_too_precise_are_refused(value, message):
    with pytest.raises(ValidationError, match=message):
        parse_temperature(value)


def test_a_checkin_fills_its_slot(world, measure, clock):
    clock.move_to(at(DAY, 8, 10))
    checkin, created = checkin_record(
        by=world.users["gavin"], measure=measure, temperature="36.6", client_id="c-1"
    )
    assert created
    assert checkin.slot.due_at == at(DAY, 8)
    assert checkin.slot.status == CheckInSlot.Status.DONE
    assert not checkin.flagged
    assert not Alert.objects.exists()


def test_a_checkin_early_in_the_window_counts_for_the_next_slot(world, measure, clock):
    # given the 16:00 slot opens two hours before (CHECKIN_EARLY_MINUTES)
    clock.move_to(at(DAY, 14, 30))
    checkin, _ = checkin_record(
        by=world.users["gavin"], measure=measure, temperature="36.6", client_id="c-2"
    )
    assert checkin.slot.due_at == at(DAY, 16)
    # and the 08:00 slot is left for the missed-check-in sweep
    assert measure.slots.get(due_at=at(DAY, 8)).status == CheckInSlot.Status.OPEN


def test_fever_alerts_the_team_at_once(world, measure, clock):
    clock.move_to(at(DAY, 8))
    checkin, _ = checkin_record(
        by=world.users["gavin"], measure=measure, temperature="37.3", client_id="c-3"
    )
    assert checkin.flagged
    alert = Alert.objects.get()
    assert alert.recipient == world.users["gavin"]
    assert alert.kind == "measure_fever"
    assert "张三" in alert.text and "37.3" in alert.text


def test_fever_threshold_is_configurable(world, measure, clock, settings):
    settings.WANGGE = {**settings.WANGGE, "FEVER_THRESHOLD": "37.5"}
    checkin, _ = checkin_record(
        by=world.users["gavin"], measure=measure, temperature="37.4", client_id="c-4"
    )
    assert not checkin.flagged


def test_symptoms_alert_even_without_fever(world, measure, clock):
    checkin, _ = checkin_record(
        by=world.users["gavin"],
        measure=measure,
        temperature="36.5",
        symptoms=["cough"],
        client_id="c-5",
    )
    assert checkin.flagged
    assert "咳嗽" in Alert.objects.get().text


def test_unknown_symptoms_are_refused(world, measure, clock):
    with pytest.raises(ValidationError, match="symptoms"):
        checkin_record(
            by=world.users["gavin"],
            measure=measure,
            temperature="36.5",
            symptoms=["headache"],
            client_id="c-6",
        )


def test_a_checkin_sent_twice_is_stored_once_and_alerts_once(world, measure, clock):
    for _ in range(2):
        checkin_record(
            by=world.users["gavin"], measure=measure, temperature="38.0", client_id="same"
        )
    assert CheckIn.objects.count() == 1
    assert Alert.objects.count() == 1


def test_only_the_team_or_area_staff_record(world, measure, clock):
    with pytest.raises(PermissionDenied):
        checkin_record(
            by=world.users["bella"], measure=measure, temperature="36.5", client_id="c-7"
        )


def test_a_team_member_from_another_grid_may_record(world, drill, clock):
    # given Bella (grid B) on Zhang San's team
    from wangge.measures.services import Team

    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="跨网格包保",
        team=Team(grid_worker=world.users["bella"]),
    )
    _, created = checkin_record(
        by=world.users["bella"], measure=measure, temperature="36.5", client_id="c-8"
    )
    assert created


def test_no_checkin_after_the_measure_ended(world, measure, clock):
    measure_end_early(by=world.users["carol"], measure=measure, reason="误判")
    with pytest.raises(ValidationError, match="已结束"):
        checkin_record(
            by=world.users["gavin"], measure=measure, temperature="36.5", client_id="c-9"
        )


def test_the_signed_link_opens_the_measure_and_nothing_else(world, measure, clock):
    token = checkin_link_token(measure)
    assert measure_from_link(token) == measure
    with pytest.raises(signing.BadSignature):
        measure_from_link(token[:-2] + "xx")
    with pytest.raises(signing.BadSignature):
        measure_from_link(str(measure.pk))


def test_the_signed_link_expires(world, measure, clock, settings):
    token = checkin_link_token(measure)
    clock.move_to(at(date(2022, 8, 15), 8))
    with pytest.raises(signing.SignatureExpired):
        measure_from_link(token)


def test_a_resident_without_account_records_through_the_link_only(world, measure, clock):
    _, created = checkin_record(
        by=None, measure=measure, temperature="36.4", client_id="r-1", source="resident"
    )
    assert created
    with pytest.raises(PermissionDenied):
        checkin_record(by=None, measure=measure, temperature="36.4", client_id="r-2")


@pytest.mark.django_db(transaction=True)
def test_the_same_checkin_sent_concurrently_is_stored_once(transactional_db, world, drill):
    # given one measure and two phones' requests carrying the same client id at the same moment
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=timezone.localdate(),
        reason="并发",
    )
    barrier = threading.Barrier(2)
    results: list[object] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(
                checkin_record(
                    by=world.users["gavin"], measure=measure, temperature="38.2", client_id="twin"
                )[1]
            )
        except Exception as error:  # reported in the assertion below
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one is created, the other answered with it; one alert
    assert sorted(results, key=str) == [False, True]
    assert CheckIn.objects.filter(client_id="twin").count() == 1
    assert Alert.objects.filter(kind="measure_fever").count() == 1
