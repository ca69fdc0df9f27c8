"""Vaccination: age bands at birthday edges, complete courses, the dose import, outreach, trips."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conftest import _person, make_id_number
from wangge.testing.selectors.ages import age_on, born_by
from wangge.testing.selectors.vaccination import coverage_by_band, outreach_list
from wangge.testing.services.vaccination import dose_record, doses_import, slot_book, slot_create
from wangge.testing.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 3, 1), date(2022, 2, 28), 11),
        (date(2010, 3, 1), date(2022, 3, 1), 12),
        (date(2004, 2, 29), date(2022, 2, 28), 17),  # a leap-day birthday in a common year…
        (date(2004, 2, 29), date(2022, 3, 1), 18),  # …comes on 1 March
        (date(2004, 2, 29), date(2024, 2, 29), 20),
        (date(2005, 2, 28), date(2024, 2, 29), 19),
    ],
)
def test_ages_are_whole_years_and_agree_with_the_sql_bound(born, on, age):
    assert age_on(born, on) == age
    assert (born <= born_by(on, age)) and not (born <= born_by(on, age + 1))


def person_born(world, name, serial, born, grid_key="a"):
    person = _person(world.households[grid_key], name, serial)
    person.birth_date = born
    person.save()
    return person


def bands(world, on):
    return {
        row.band: (row.population, row.first_dose, row.complete)
        for row in coverage_by_band(world.users["alice"], on)
    }


def test_band_edges_on_birthdays(world):
    # given children turning 3, 12 and 18 on 1 June 2022, and persons turning 60 and 80
    for serial, (name, born) in enumerate(
        [
            ("三岁", date(2019, 6, 1)),
            ("十二岁", date(2010, 6, 1)),
            ("十八岁", date(2004, 6, 1)),
            ("六十岁", date(1962, 6, 1)),
            ("八十岁", date(1942, 6, 1)),
        ],
        start=50,
    ):
        person_born(world, name, serial, born)

    the_day_before = bands(world, date(2022, 5, 31))
    on_the_day = bands(world, date(2022, 6, 1))

    # the world's four persons born 1980 are 18–59 throughout
    assert the_day_before == {
        "3–11": (1, 0, 0),
        "12–17": (1, 0, 0),
        "18–59": (5, 0, 0),
        "60–79": (1, 0, 0),
    }
    assert on_the_day == {
        "3–11": (1, 0, 0),
        "12–17": (1, 0, 0),
        "18–59": (5, 0, 0),
        "60–79": (1, 0, 0),
        "80+": (1, 0, 0),
    }
    assert [r.band for r in coverage_by_band(world.users["alice"], date(2022, 6, 1))] == [
        "3–11",
        "12–17",
        "18–59",
        "60–79",
        "80+",
    ]


def test_a_course_is_complete_by_the_vaccine_s_number_of_doses(world):
    alice = world.users["alice"]
    zhang, li, wang = (world.persons[k] for k in ("zhang_san", "li_si", "wang_wu"))
    dose_record(
        by=alice, person=zhang, dose_number=1, vaccinated_on=date(2021, 5, 1), vaccine="北京科兴"
    )
    dose_record(
        by=alice, person=zhang, dose_number=2, vaccinated_on=date(2021, 6, 1), vaccine="北京科兴"
    )
    dose_record(
        by=alice, person=li, dose_number=1, vaccinated_on=date(2021, 5, 1), vaccine="康希诺"
    )
    dose_record(
        by=alice, person=wang, dose_number=2, vaccinated_on=date(2021, 6, 1), vaccine="安徽智飞"
    )

    assert bands(world, date(2022, 1, 1))["18–59"] == (4, 3, 2)
    # a dose given after the reference date does not count yet
    assert bands(world, date(2021, 5, 15))["18–59"] == (4, 2, 1)


def test_doses_import(world, lab_file):
    header = ["姓名", "身份证号", "接种日期", "疫苗厂家", "针次", "接种单位"]
    path = lab_file(
        [
            ["张三", make_id_number(1), "2021-05-01", "北京生物", "第一针", "社区卫生服务中心"],
            [
                "张三",
                make_id_number(1),
                "2021-05-01",
                "北京生物",
                "1",
                "社区卫生服务中心",
            ],  # duplicate
            ["张三", make_id_number(1), "2021/6/1", "北京生物", "2", "社区卫生服务中心"],
            ["赵六", make_id_number(4), "2021-05-01", "北京生物", "1", ""],  # 西社区: not carol's
            ["外地", make_id_number(80), "2021-05-01", "北京生物", "1", ""],
            ["坏行", "123", "2021-05-01", "北京生物", "1", ""],
            ["李四", make_id_number(2), "昨天", "北京生物", "1", ""],
        ],
        header=header,
    )

    outcome = doses_import(by=world.users["carol"], path=path)

    assert outcome.as_dict() == {
        "created": 2,
        "updated": 0,
        "duplicates": 1,
        "unmatched": 2,
        "rejected": 2,
    }
    assert [n for n, _ in outcome.unmatched] == [5, 6] and [n for n, _ in outcome.rejected] == [
        7,
        8,
    ]
    assert world.persons["zhang_san"].vaccination_doses.get(dose_number=2).completes_course

    # a second file correcting dose 2's date updates it
    fixed = lab_file(
        [["张三", make_id_number(1), "2021-06-02", "北京生物", "2", "社区卫生服务中心"]],
        header=header,
    )
    assert doses_import(by=world.users["carol"], path=fixed).as_dict()["updated"] == 1


def test_outreach_lists_the_elderly_without_a_complete_course(world):
    today = date(2022, 6, 1)
    old = person_born(world, "老王", 60, date(1950, 1, 1))
    done = person_born(world, "老李", 61, date(1950, 1, 1))
    person_born(world, "年轻", 62, date(1970, 1, 1))
    for number in (1, 2):
        dose_record(
            by=world.users["alice"],
            person=done,
            dose_number=number,
            vaccinated_on=date(2021, 5, number),
            vaccine="科兴",
        )
    dose_record(
        by=world.users["alice"],
        person=old,
        dose_number=1,
        vaccinated_on=date(2021, 5, 1),
        vaccine="科兴",
    )

    listed = list(outreach_list(world.users["gavin"], today))

    assert [(p.name, p.doses) for p in listed] == [("老王", 1)]
    assert list(outreach_list(world.users["bella"], today)) == []


def test_a_full_trip_refuses_another_passenger(world):
    carol = world.users["carol"]
    trip = slot_create(
        by=carol,
        community=world.east,
        departs_at=local(2022, 6, 2, 9, 0),
        destination="街道接种点",
        seats=1,
    )
    slot_book(by=carol, slot=trip, person=world.persons["zhang_san"])

    with pytest.raises(ValidationError, match="full"):
        slot_book(by=carol, slot=trip, person=world.persons["li_si"])
