"""The pages: the grid worker's board and its one-tap actions, the resident's link, the forms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import make_id_number
from wangge.core.models import Alert
from wangge.measures.models import ArrivalReport, CheckIn, HealthCodeChange, PersonMeasure, RiskArea
from wangge.measures.services import checkin_link_token, measure_assign

from .conftest import at

DAY = date(2022, 7, 1)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def measure(world, drill, clock):
    clock.move_to(at(DAY, 7, 30))
    (measure,) = measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="自武汉返回",
    )
    return measure


def login(client, world, name):
    client.force_login(world.users[name])
    return client


def test_the_board_lists_todays_checkins(client, world, measure):
    response = login(client, world, "gavin").get(reverse("measures:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "我的管控对象" in page and "张三" in page
    assert page.count('data-testid="slot-row"') == 2


def test_the_board_shows_nothing_of_other_grids(client, world, measure):
    response = login(client, world, "bella").get(reverse("measures:mine"))
    assert "张三" not in response.content.decode()
    assert (
        login(client, world, "bella").get(reverse("measures:detail", args=[measure.pk])).status_code
        == 404
    )


def test_checkpoint_staff_have_no_board(client, world, measure):
    assert login(client, world, "kim").get(reverse("measures:mine")).status_code == 403


def test_a_fever_checkin_from_the_board_swaps_the_board_and_alerts(client, world, measure):
    slot = measure.slots.order_by("due_at").first()
    client = login(client, world, "gavin")
    form = client.get(
        reverse("measures:checkin", args=[measure.pk]) + f"?slot={slot.pk}&from=board", **HTMX
    )
    assert 'data-testid="checkin-form"' in form.content.decode()
    response = client.post(
        reverse("measures:checkin", args=[measure.pk]) + f"?slot={slot.pk}",
        {"temperature": "38.6", "symptoms": ["cough"], "client_id": "web-1", "from": "board"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#board"
    page = response.content.decode()
    assert "已向包保小组发出预警" in page
    assert "38.6°C" in page
    assert Alert.objects.filter(recipient=world.users["gavin"], kind="measure_fever").exists()


def test_an_impossible_temperature_answers_422_with_the_form(client, world, measure):
    response = login(client, world, "gavin").post(
        reverse("measures:checkin", args=[measure.pk]),
        {"temperature": "33.5", "client_id": "web-2", "from": "board"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "34.0" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_one_tap_records_a_due_test(client, world, measure):
    test = measure.tests.order_by("due_on").first()
    response = login(client, world, "gavin").post(
        reverse("measures:test_record", args=[test.pk]),
        {"result": "negative", "from": "board"},
        **HTMX,
    )
    assert response.status_code == 200
    test.refresh_from_db()
    assert test.result == "negative" and test.sampled_on == DAY


def test_the_detail_page_and_the_timeline(client, world, measure):
    client = login(client, world, "gavin")
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "<svg" in page and checkin_link_token(measure)[:10] in page
    timeline = client.get(reverse("measures:timeline", args=[measure.person_id])).content.decode()
    assert "开始管控" in timeline


def test_the_resident_link_needs_no_account(client, measure):
    url = reverse("measures:resident_checkin", args=[checkin_link_token(measure)])
    page = client.get(url)
    assert page.status_code == 200 and "张*" in page.content.decode()
    response = client.post(url, {"temperature": "36.7", "client_id": "res-1"})
    assert 'data-testid="resident-done"' in response.content.decode()
    assert CheckIn.objects.get().source == "resident"
    # the same submission again is stored once
    client.post(url, {"temperature": "36.7", "client_id": "res-1"})
    assert CheckIn.objects.count() == 1


def test_a_forged_resident_link_is_404(client, measure):
    url = reverse("measures:resident_checkin", args=[f"{measure.pk}:forged"])
    assert client.get(url).status_code == 404


def test_assigning_a_household_from_the_page(client, world, drill, clock):
    client = login(client, world, "carol")
    page = client.get(reverse("measures:assign") + f"?household={world.households['a'].pk}")
    assert "张三" in page.content.decode()
    response = client.post(
        reverse("measures:assign"),
        {
            "person": [world.persons["zhang_san"].pk],
            "measure_type": drill["home"].pk,
            "start": DAY.isoformat(),
            "reason": "密接",
        },
    )
    assert response.status_code == 302
    assert PersonMeasure.objects.filter(person=world.persons["zhang_san"]).exists()


def test_assigning_outside_ones_area_is_refused(client, world, drill, clock):
    response = login(client, world, "gavin").post(
        reverse("measures:assign"),
        {
            "person": [world.persons["wang_wu"].pk],
            "measure_type": drill["home"].pk,
            "start": DAY.isoformat(),
            "reason": "x",
        },
    )
    assert response.status_code == 422
    assert not PersonMeasure.objects.exists()


def test_a_checkpoint_registers_an_arrival(client, world, clock):
    response = login(client, world, "kim").post(
        reverse("measures:arrival_new"),
        {
            "name": "钱七",
            "id_number": make_id_number(41),
            "origin_province": "湖北省",
            "departed_on": DAY.isoformat(),
            "arrived_at": "2022-07-01T06:30",
            "transport": "train",
            "community": world.east.pk,
            "host_address": "阳光花园1幢",
        },
    )
    assert response.status_code == 302
    report = ArrivalReport.objects.get()
    assert report.reported_by == world.users["kim"]
    assert (
        login(client, world, "carol").get(reverse("measures:arrival", args=[report.pk])).status_code
        == 200
    )
    assert (
        login(client, world, "bella").get(reverse("measures:arrival", args=[report.pk])).status_code
        == 404
    )


def test_risk_areas_and_health_codes_import_pages(client, world, clock, tmp_path):
    client = login(client, world, "alice")
    upload = tmp_path / "risk.csv"
    upload.write_text("省,市,风险等级,生效日期\n湖北省,武汉市,高,2022-07-01\n", encoding="utf-8")
    with upload.open("rb") as handle:
        response = client.post(reverse("measures:risk_area_import"), {"file": handle})
    assert response.status_code == 302
    assert RiskArea.objects.get().level == "high"
    codes = tmp_path / "codes.csv"
    codes.write_text(
        f"证件号码,健康码,变码时间\n{make_id_number(1)},红,2022-07-01 05:00\n", encoding="utf-8"
    )
    with codes.open("rb") as handle:
        response = client.post(reverse("measures:health_code_import"), {"file": handle})
    assert 'data-testid="batch-result"' in response.content.decode()
    assert HealthCodeChange.objects.count() == 1
    listing = client.get(reverse("measures:health_codes")).content.decode()
    assert "张三" in listing
    assert (
        login(client, world, "gavin").get(reverse("measures:risk_area_import")).status_code == 403
    )


def test_the_board_offers_the_release_when_due(client, world, measure, clock):
    clock.move_to(at(DAY + timedelta(days=7), 9))
    for test in measure.tests.all():
        test.result, test.sampled_on = "negative", test.due_on
        test.save()
    client = login(client, world, "gavin")
    assert "期满待解除" in client.get(reverse("measures:mine")).content.decode()
    response = client.post(
        reverse("measures:release", args=[measure.pk]), {"from": "board"}, **HTMX
    )
    assert "已解除" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "released"


def test_the_list_filters_by_end_date_and_ignores_a_date_that_is_none(client, world, measure):
    login(client, world, "alice")
    url = reverse("measures:list")

    on_end = client.get(url, {"status": "active", "end": measure.end.isoformat()})
    other_day = client.get(url, {"status": "active", "end": "2022-07-02"})
    malformed = client.get(url, {"status": "active", "end": "2022-13-45"})

    assert list(on_end.context["page"]) == [measure]
    assert other_day.context["page"].paginator.count == 0
    assert malformed.status_code == 200 and list(malformed.context["page"]) == [measure]
