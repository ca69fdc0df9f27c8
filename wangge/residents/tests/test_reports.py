"""A resident's check-ins, arrival reports and self-tests go through the measures capability's
own services, for the members of their own household only, with 代办 recorded."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wangge.command.models import Event
from wangge.measures.models import ArrivalReport, CheckIn, RiskArea, RiskLevel
from wangge.measures.services import checkin_link_token
from wangge.residents.models import ArrivalFiling, CheckInFiling, SelfTest
from wangge.residents.services import SelfTestInput, self_test_record
from wangge.residents.tests.reports_fixtures import photo

pytestmark = pytest.mark.django_db


def test_a_check_in_through_the_portal_is_counted_once_per_client_id(
    world, isolated, resident_client
):
    # given Zhang San signed in, his 08:00 slot open
    client, account = resident_client("13800001111")
    zhang = world.persons["zhang_san"]
    page = client.get("/my/checkin/").content.decode()
    assert f"/my/checkin/{zhang.pk}/" in page
    # when the phone sends the same check-in twice
    body = {"temperature": "36.6", "client_id": "phone-1"}
    first = client.post(f"/my/checkin/{zhang.pk}/", body)
    again = client.post(f"/my/checkin/{zhang.pk}/", body)
    # then one check-in, made by the resident, and its slot done
    assert first.status_code == again.status_code == 200
    checkin = CheckIn.objects.get()
    assert checkin.source == CheckIn.Source.RESIDENT and checkin.slot.status == "done"
    filing = CheckInFiling.objects.get()
    assert filing.account == account and filing.proxy is False
    api = client.post(
        "/api/my/check-ins/",
        {"person": zhang.pk, "temperature": "36.6", "client_id": "phone-1"},
        content_type="application/json",
    )
    assert api.status_code == 200 and CheckIn.objects.count() == 1


def test_a_resident_cannot_report_for_another_households_member(world, isolated, resident_client):
    client, _account = resident_client("13700003333")  # 王五, household b
    zhang = world.persons["zhang_san"].pk
    assert client.get(f"/my/checkin/{zhang}/").status_code == 404
    assert (
        client.post(f"/my/checkin/{zhang}/", {"temperature": "36.6", "client_id": "x"}).status_code
        == 404
    )
    for url, body in [
        ("/api/my/check-ins/", {"person": zhang, "temperature": "36.6", "client_id": "y"}),
        (
            "/api/my/arrivals/",
            {
                "person": zhang,
                "origin_province": "上海市",
                "departed_on": "2022-06-30",
                "arrived_at": "2022-07-01T07:00:00+08:00",
                "transport": "train",
            },
        ),
    ]:
        assert client.post(url, body, content_type="application/json").status_code == 404
    upload = client.post(
        "/api/my/self-tests/",
        {"person": zhang, "result": "negative", "client_id": "z", "photo": photo()},
    )
    assert upload.status_code == 404
    assert not CheckIn.objects.exists() and not SelfTest.objects.exists()


def test_an_arrival_reported_for_another_member_is_the_measures_report_marked_as_proxy(
    world, morning, son, resident_client
):
    # given Shanghai was high-risk when 张小三 left it
    RiskArea.objects.create(
        province="上海市", level=RiskLevel.HIGH, effective_from=date(2022, 6, 20)
    )
    client, account = resident_client("13800001111")
    # when his father reports his arrival for him
    answer = client.post(
        "/api/my/arrivals/",
        {
            "person": son.pk,
            "origin_province": "上海市",
            "departed_on": "2022-06-30",
            "arrived_at": "2022-07-01T07:00:00+08:00",
            "transport": "train",
            "transport_detail": "G7501",
        },
        content_type="application/json",
    )
    # then it is the returnee intake's report, from the resident, with the rules' proposal
    assert answer.status_code == 201, answer.content
    report = ArrivalReport.objects.get()
    assert report.source == ArrivalReport.Source.RESIDENT and report.person == son
    assert report.host_household == world.households["a"]
    assert report.proposed_type is not None and report.reported_by is None
    filing = ArrivalFiling.objects.get()
    assert filing.account == account and filing.proxy is True
    assert answer.json()["proxy"] is True
    assert "张小三" in client.get("/my/reports/arrival/").content.decode()


def test_the_signed_link_leads_a_signed_in_household_to_the_portal(
    world, isolated, resident_client
):
    link = f"/measures/c/{checkin_link_token(isolated)}/"
    zhang, _account = resident_client("13800001111")
    answer = zhang.get(link)
    assert answer.status_code == 302
    assert answer["Location"] == f"/my/checkin/{world.persons['zhang_san'].pk}/"
    stranger, _other = resident_client("13700003333")
    assert stranger.get(link).status_code == 200
    anonymous = Client()
    assert anonymous.get(link).status_code == 200
    assert anonymous.post(link, {"temperature": "36.5", "client_id": "link-1"}).status_code == 200
    assert CheckIn.objects.get().source == CheckIn.Source.RESIDENT


def test_a_positive_self_test_raises_an_event_for_the_grid(world, morning, son, resident_client):
    _client, account = resident_client("13800001111")
    test, created = self_test_record(
        account=account,
        person=son,
        data=SelfTestInput(client_id="t-1", result=SelfTest.Result.POSITIVE, photo=photo()),
    )
    assert created and test.proxy is True and test.photo.name.endswith(".png")
    event = Event.objects.get(kind__code="self_test_positive")
    assert test.event == event and list(event.persons.all()) == [son]
    assert event.grid == world.grid_a
    again, created = self_test_record(
        account=account,
        person=son,
        data=SelfTestInput(client_id="t-1", result=SelfTest.Result.POSITIVE, photo=photo()),
    )
    assert again == test and not created and Event.objects.count() == 1


def test_a_photo_that_is_no_image_is_refused_with_a_message(world, morning, resident_client):
    client, account = resident_client("13800001111")
    fake = SimpleUploadedFile("card.jpg", b"#!/bin/sh\necho hello\n", content_type="image/jpeg")
    page = client.post(
        "/my/reports/self-test/",
        {
            "person": world.persons["zhang_san"].pk,
            "result": "negative",
            "client_id": "t-2",
            "photo": fake,
        },
    )
    assert page.status_code == 422
    assert "不是JPEG、PNG或HEIC图片" in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        self_test_record(
            account=account,
            person=world.persons["zhang_san"],
            data=SelfTestInput(client_id="t-3", result="negative", photo=None),
        )
    assert "photo" in refused.value.message_dict
    assert not SelfTest.objects.exists()


def test_staff_see_the_self_tests_of_their_area_only(
    world, morning, resident_client, api_client_for, client
):
    _resident, account = resident_client("13800001111")
    test, _created = self_test_record(
        account=account,
        person=world.persons["zhang_san"],
        data=SelfTestInput(client_id="t-4", result="negative", photo=photo()),
    )
    gavin = api_client_for(world.users["gavin"]).get("/api/residents/self-tests/").json()
    bella = api_client_for(world.users["bella"]).get("/api/residents/self-tests/").json()
    assert [row["id"] for row in gavin["results"]] == [test.pk]
    assert bella["results"] == []
    client.force_login(world.users["bella"])
    assert client.get(f"/residents/self-tests/{test.pk}/photo/").status_code == 404
    client.force_login(world.users["gavin"])
    assert client.get(f"/residents/self-tests/{test.pk}/photo/").status_code == 200
    assert "张三" in client.get("/residents/self-tests/").content.decode()
