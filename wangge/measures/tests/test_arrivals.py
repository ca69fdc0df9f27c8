"""返乡报备 and the risk-area list."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from conftest import make_id_number
from wangge.core.models import Alert
from wangge.measures.models import ArrivalReport, PersonMeasure, RiskArea, RiskAreaChange
from wangge.measures.services import (
    AreaData,
    ArrivalData,
    Origin,
    arrival_report_confirm,
    arrival_report_create,
    propose_measure,
    risk_area_create,
    risk_area_import,
    risk_area_update,
)
from wangge.measures.services.risk_areas import origin_matches
from wangge.people.models import Person

from .conftest import SHANGHAI

WUHAN = Origin(province="湖北省", city="武汉市", district="洪山区")


@pytest.fixture
def high_risk(world):
    return risk_area_create(
        by=world.users["alice"],
        data=AreaData(
            province="湖北省",
            city="武汉市",
            district="洪山区",
            level="high",
            effective_from=date(2022, 7, 1),
            effective_until=date(2022, 7, 20),
            source_note="省指挥部通告",
        ),
    )


def _arrival(departed: date, arrived: datetime, **extra) -> ArrivalData:
    values = {
        "name": "钱七",
        "id_number": make_id_number(40),
        "origin": WUHAN,
        "departed_on": departed,
        "arrived_at": arrived,
        "transport": "train",
        "community": None,
        **extra,
    }
    return ArrivalData(**values)


@pytest.mark.parametrize(
    ("origin", "matches"),
    [
        (Origin(province="湖北", city="武汉", district="洪山区", street="关山街道"), True),
        (Origin(province="湖北省", city="武汉市"), True),
        (Origin(province="湖北省", city="武汉市", district="江岸区"), False),
        (Origin(province="浙江省", city="杭州市"), False),
        (Origin(province="x", code="420111001"), True),
        (Origin(province="x", code="420102"), False),
    ],
)
def test_origins_match_by_name_or_division_code(origin, matches):
    area = RiskArea(
        province="湖北省", city="武汉市", district="洪山区", division_code="420111", level="high"
    )
    area_without_code = RiskArea(province="湖北省", city="武汉市", district="洪山区", level="high")
    target = area if origin.code else area_without_code
    assert origin_matches(origin, target) is matches


def test_the_list_as_it_stood_on_the_travel_dates_decides(world, high_risk):
    # given a high-risk designation from 07-01 until 07-20, under 第九版
    # when someone left Wuhan on 07-10, the 第九版 high-risk measure is proposed
    area, proposed = propose_measure(WUHAN, date(2022, 7, 10), date(2022, 7, 11))
    assert area == high_risk
    assert proposed.name == "高风险区来返7天集中隔离"
    # and someone who left after the designation was lifted (and a week on) gets nothing
    assert propose_measure(WUHAN, date(2022, 7, 28), date(2022, 7, 28)) == (None, None)
    # and someone who left shortly after the lifting is still caught by the 7-day look-back
    assert propose_measure(WUHAN, date(2022, 7, 24), date(2022, 7, 25))[0] == high_risk


def test_the_proposal_follows_the_rules_in_force_on_arrival(world):
    risk_area_create(
        by=world.users["alice"],
        data=AreaData(
            province="湖北省", city="武汉市", level="high", effective_from=date(2022, 11, 1)
        ),
    )
    _, before = propose_measure(WUHAN, date(2022, 11, 9), date(2022, 11, 10))
    _, after = propose_measure(WUHAN, date(2022, 11, 12), date(2022, 11, 12))
    assert before.rule_set.name == "第九版防控方案"
    assert after.name == "高风险区外溢人员7天居家隔离"


def test_a_checkpoint_reports_and_the_community_confirms_with_a_new_person(world, high_risk):
    # given Kim at the checkpoint, who sees no register
    report = arrival_report_create(
        by=world.users["kim"],
        data=_arrival(
            date(2022, 7, 10),
            datetime(2022, 7, 11, 9, tzinfo=SHANGHAI),
            community=world.east,
            host_address="阳光花园1幢101",
        ),
    )
    # then the proposal is made, the ID is masked, and 东社区's worker is alerted
    assert report.person is None
    assert report.proposed_type.name == "高风险区来返7天集中隔离"
    assert "*" in report.id_number_masked
    assert Alert.objects.filter(recipient=world.users["carol"], kind="arrival_report").exists()
    assert ArrivalReport.objects.restrict(world.users["kim"], "view").filter(pk=report.pk).exists()
    # when Carol confirms, choosing the host household, the person is registered and assigned
    confirmed = arrival_report_confirm(
        by=world.users["carol"],
        report=report,
        measure_type=report.proposed_type,
        household=world.households["a"],
    )
    person = Person.objects.get(name="钱七")
    assert confirmed.status == ArrivalReport.Status.CONFIRMED
    measure = PersonMeasure.objects.get(person=person)
    assert measure.start == date(2022, 7, 11)
    assert "湖北省武汉市洪山区" in measure.reason


def test_an_existing_person_is_recognised_by_id_number(world, high_risk):
    report = arrival_report_create(
        by=world.users["gavin"],
        data=_arrival(
            date(2022, 7, 10),
            datetime(2022, 7, 11, 9, tzinfo=SHANGHAI),
            id_number=make_id_number(1),
            host_household=world.households["a"],
        ),
    )
    assert report.person == world.persons["zhang_san"]
    assert report.community == world.east


def test_picking_another_measure_needs_a_reason(world, high_risk):
    report = arrival_report_create(
        by=world.users["gavin"],
        data=_arrival(
            date(2022, 7, 10),
            datetime(2022, 7, 11, 9, tzinfo=SHANGHAI),
            id_number=make_id_number(1),
            host_household=world.households["a"],
        ),
    )
    with pytest.raises(ValidationError, match="理由"):
        arrival_report_confirm(by=world.users["carol"], report=report, measure_type=None)
    decided = arrival_report_confirm(
        by=world.users["carol"], report=report, measure_type=None, reason="已在外地完成隔离，持证明"
    )
    assert decided.status == ArrivalReport.Status.NO_MEASURE
    assert not PersonMeasure.objects.exists()


def test_a_report_outside_ones_area_cannot_be_decided(world, high_risk):
    report = arrival_report_create(
        by=world.users["alice"],
        data=_arrival(
            date(2022, 7, 10),
            datetime(2022, 7, 11, 9, tzinfo=SHANGHAI),
            community=world.west,
        ),
    )
    with pytest.raises(PermissionDenied):
        arrival_report_confirm(
            by=world.users["carol"], report=report, measure_type=None, reason="x"
        )


def test_bad_id_numbers_and_dates_are_reported(world):
    with pytest.raises(ValidationError) as error:
        arrival_report_create(
            by=world.users["gavin"],
            data=_arrival(
                date(2022, 7, 12),
                datetime(2022, 7, 11, 9, tzinfo=SHANGHAI),
                id_number="330102198005170011",
                host_household=world.households["a"],
            ),
        )
    assert set(error.value.message_dict) == {"id_number", "departed_on"}


def test_edits_keep_the_history(world, high_risk):
    values = {f: getattr(high_risk, f) for f in AreaData.__dataclass_fields__}
    risk_area_update(
        by=world.users["alice"],
        area=high_risk,
        data=AreaData(**{**values, "effective_until": date(2022, 7, 15)}),
        note="提前解除",
    )
    changes = list(RiskAreaChange.objects.filter(area=high_risk).order_by("at", "id"))
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].before["effective_until"] == "2022-07-20"
    assert changes[1].after["effective_until"] == "2022-07-15"


def test_only_import_staff_maintain_the_list(world):
    with pytest.raises(PermissionDenied):
        risk_area_create(
            by=world.users["gavin"],
            data=AreaData(province="湖北省", level="high", effective_from=date(2022, 7, 1)),
        )


def _sheet(tmp_path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["中高风险地区名单（截至7月10日）"])
    sheet.append(["省份", "城市", "区县", "街道/乡镇", "风险等级", "生效日期", "解除日期", "来源"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "risk.xlsx"
    book.save(path)
    return path


def test_import_creates_then_updates_and_reports_bad_rows(world, tmp_path):
    good = ["湖北省", "武汉市", "洪山区", "关山街道", "高风险", "2022-07-01", "", "国家卫健委"]
    path = _sheet(tmp_path, [good, ["上海市", "上海市", "浦东新区", "", "中", "2022/7/2", "", ""]])
    assert risk_area_import(by=world.users["alice"], path=path)[:2] == (2, 0)
    # the same list again, now with the lifting date: the area is updated, its history kept
    lifted = [*good[:6], "2022-07-18", good[7]]
    path = _sheet(tmp_path, [lifted])
    assert risk_area_import(by=world.users["alice"], path=path)[:2] == (0, 1)
    area = RiskArea.objects.get(street="关山街道")
    assert area.effective_until == date(2022, 7, 18)
    assert area.changes.count() == 2
    # a bad row stops the whole file, naming the row
    path = _sheet(tmp_path, [good, ["浙江省", "杭州市", "", "", "很高", "2022-07-05", "", ""]])
    created, updated, errors = risk_area_import(by=world.users["alice"], path=path)
    assert (created, updated) == (0, 0)
    assert errors == ["第4行 level：风险等级应为高、中、低 / risk level must be 高, 中 or 低"]
