"""Reporting a case from the person page and through the API; the case list, scoped."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from wangge.measures.models import Case
from wangge.measures.services import case_report

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_person_page_offers_the_report_to_who_may_edit_the_person(client, world):
    person = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert reverse("measures:case_new", args=[person.pk]) in page

    client.force_login(world.users["tracy"])
    page = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert reverse("measures:case_new", args=[person.pk]) not in page


def test_the_form_reports_a_case_and_shows_its_measure(client, world, today):
    person = world.persons["zhang_san"]
    client.force_login(world.users["gavin"])

    response = client.post(
        reverse("measures:case_new", args=[person.pk]),
        {"kind": "confirmed", "reported_on": today.isoformat(), "note": "单管复核阳性"},
    )

    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert response.url == reverse("measures:detail", args=[case.measure_id])
    assert case.note == "单管复核阳性"


def test_the_form_answers_a_future_date_with_the_reason(client, world, today):
    client.force_login(world.users["gavin"])

    response = client.post(
        reverse("measures:case_new", args=[world.persons["zhang_san"].pk]),
        {"kind": "confirmed", "reported_on": "2026-12-09"},
    )

    assert response.status_code == 422
    assert "不能晚于今天" in response.content.decode()
    assert not Case.objects.exists()


def test_a_grid_worker_of_another_grid_gets_no_form(client, world):
    client.force_login(world.users["bella"])
    response = client.get(reverse("measures:case_new", args=[world.persons["zhang_san"].pk]))
    assert response.status_code == 404


def test_the_case_list_shows_only_cases_in_the_users_area(client, world, today):
    case_report(
        person=world.persons["zhang_san"],
        kind="confirmed",
        reported_on=today,
        by=world.users["alice"],
    )
    case_report(
        person=world.persons["zhao_liu"],
        kind="suspected",
        reported_on=today,
        by=world.users["alice"],
    )
    client.force_login(world.users["gavin"])

    page = client.get(reverse("measures:cases")).content.decode()

    assert "张三" in page
    assert "赵六" not in page


def test_the_api_reports_a_case_and_lists_it_in_scope(world, today):
    person = world.persons["zhang_san"]

    created = api(world.users["gavin"]).post(
        "/api/measures/cases/",
        {"person": person.pk, "kind": "asymptomatic", "reported_on": today.isoformat()},
        format="json",
    )

    assert created.status_code == 201
    assert created.json()["measure_type_name"] == "感染者集中隔离收治"
    mine = api(world.users["gavin"]).get("/api/measures/cases/").json()["results"]
    theirs = api(world.users["bella"]).get("/api/measures/cases/").json()["results"]
    assert [row["person"] for row in mine] == [person.pk]
    assert theirs == []


def test_the_api_refuses_a_person_outside_the_callers_area(world, today):
    response = api(world.users["bella"]).post(
        "/api/measures/cases/",
        {"person": world.persons["zhang_san"].pk, "kind": "confirmed", "reported_on": "2026-12-07"},
        format="json",
    )

    assert response.status_code == 400
    assert "person" in response.json()
    assert not Case.objects.exists()
