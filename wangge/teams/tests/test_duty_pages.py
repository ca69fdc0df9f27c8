"""The duty list, party post and co-building unit pages, their PDFs and the API: a community's
rows are seen in that community (and by the street), the street's list by everyone in the street;
another community's row answers 404.

Carol works for 东社区, Wendy for 西社区, Alice commands the street, Gavin is a grid worker of 东社区."""

import io
from datetime import date

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from wangge.teams.models import CobuildingUnit, UnitKind
from wangge.teams.services import duties, units
from wangge.teams.tests.duty_fixtures import Duties, lists_fixture  # noqa: F401  (fixture)


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def east_unit(lists: Duties) -> CobuildingUnit:
    world = lists.world
    unit = units.unit_create(
        by=world.users["alice"],
        street=world.street,
        data=units.UnitData(
            name="区卫生健康局",
            kind=UnitKind.AGENCY,
            community=world.east,
            contact_name="陈国平",
            contact_phone="13905791000",
            contact_user=world.users["carol"],
        ),
    )
    units.building_take(by=world.users["carol"], unit=unit, building=world.households["a"].building)
    return unit


def test_the_duty_page_shows_the_street_list_to_a_grid_worker_and_the_party_post_mark(
    lists: Duties,
):
    duties.holder_assign(by=lists.world.users["carol"], position=lists.east_post, member=lists.pan)
    body = page_for(lists.world.users["gavin"]).get(reverse("teams:duties")).content.decode()
    assert "社区党委书记" in body and "统筹社区疫情防控工作" in body
    assert "党员先锋岗（东门）" in body and 'data-testid="party-post"' in body
    assert "潘红" in body
    assert "添加职责" not in body  # a grid worker reads, never edits


def test_another_community_sees_the_street_list_but_not_this_communitys(lists: Duties):
    body = page_for(lists.wendy).get(reverse("teams:duties")).content.decode()
    assert "社区党委书记" in body
    assert "党员先锋岗（东门）" not in body
    wendy = page_for(lists.wendy)
    assert (
        wendy.get(reverse("teams:duties_community_pdf", args=[lists.world.east.pk])).status_code
        == 404
    )
    assert (
        wendy.post(reverse("teams:duty_add", args=[lists.east_post.pk]), {"text": "x"}).status_code
        == 404
    )


def test_a_community_worker_adds_a_duty_and_a_holder_from_the_page(lists: Duties):
    carol = page_for(lists.world.users["carol"])
    carol.post(reverse("teams:duty_add", args=[lists.east_post.pk]), {"text": "劝导外来车辆"})
    carol.post(
        reverse("teams:holder_add", args=[lists.east_post.pk]), {"holder": f"member-{lists.pan.pk}"}
    )
    refused = carol.post(
        reverse("teams:holder_add", args=[lists.east_post.pk]), {"holder": f"member-{lists.lu.pk}"}
    )
    assert refused.status_code == 404  # not a party member: not among the post's choices
    assert list(lists.east_post.duties.values_list("text", flat=True)) == [
        "带头值守卡口",
        "劝导外来车辆",
    ]
    assert [h.member for h in lists.east_post.holders.all()] == [lists.pan]


def test_the_duty_list_pdf_names_its_positions_and_duties(lists: Duties):
    duties.holder_assign(
        by=lists.world.users["alice"], position=lists.street_post, user=lists.world.users["carol"]
    )
    response = page_for(lists.world.users["gavin"]).get(
        reverse("teams:duties_street_pdf", args=[lists.world.street.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "社区党委书记" in text and "组织每日碰头会" in text and "江南街道" in text
    assert "Carol" in text


def test_the_party_page_shows_service_hours_per_post(lists: Duties):
    carol = lists.world.users["carol"]
    duties.holder_assign(
        by=carol, position=lists.east_post, member=lists.pan, started=date(2026, 1, 1)
    )
    client = page_for(carol)
    client.post(
        reverse("teams:service_add", args=[lists.east_post.pk]),
        {"member": lists.pan.pk, "day": "2026-02-01", "hours": "3.5", "activity": "东门值守"},
    )
    body = client.get(reverse("teams:party")).content.decode()
    assert "东门值守" in body and "潘红 3.5" in body
    assert "东门值守" not in page_for(lists.wendy).get(reverse("teams:party")).content.decode()


def test_the_unit_page_lists_its_buildings_and_prints_its_letter(lists: Duties):
    unit = east_unit(lists)
    letter = units.letter_add(by=lists.world.users["carol"], unit=unit, signed_on=date(2026, 12, 1))
    client = page_for(lists.world.users["carol"])
    body = client.get(reverse("teams:unit", args=[unit.pk])).content.decode()
    assert "阳光花园1幢" in body and "139****1000" in body and "13905791000" not in body
    text = pdf_text(client.get(reverse("teams:letter_pdf", args=[letter.pk])).content)
    assert "区卫生健康局" in text and "阳光花园1幢" in text and "组织领导" in text


def test_a_community_worker_registers_a_unit_of_their_community_from_the_page(lists: Duties):
    world = lists.world
    client = page_for(world.users["carol"])
    assert client.get(reverse("teams:unit_new")).status_code == 200
    response = client.post(
        reverse("teams:unit_new"),
        {
            "area": f"c{world.east.pk}",
            "name": "东阳市第二实验小学",
            "kind": "school",
            "contact_name": "楼晓燕",
            "contact_phone": "13905792000",
            "contact_user": world.users["gavin"].pk,
        },
    )
    unit = CobuildingUnit.objects.get(name="东阳市第二实验小学")
    assert response.status_code == 302 and unit.community == world.east
    assert unit.contact_user == world.users["gavin"]
    refused = client.post(
        reverse("teams:unit_new"), {"area": f"c{world.west.pk}", "name": "越权", "kind": "other"}
    )
    assert refused.status_code == 422 and not CobuildingUnit.objects.filter(name="越权").exists()
    assert page_for(world.users["gavin"]).get(reverse("teams:unit_new")).status_code == 403


def test_editing_a_unit_keeps_its_phone_when_the_field_is_left_empty(lists: Duties):
    unit = east_unit(lists)
    url = reverse("teams:unit_edit", args=[unit.pk])
    client = page_for(lists.world.users["carol"])
    assert "139****1000" not in client.get(url).content.decode()  # the phone is not prefilled
    client.post(url, {"name": "区卫生健康局（下沉组）", "kind": "agency", "contact_name": "陈国平"})
    unit.refresh_from_db()
    assert unit.name == "区卫生健康局（下沉组）" and unit.contact_phone == "13905791000"
    assert unit.contact_user is None  # the select was left empty
    assert page_for(lists.wendy).get(url).status_code == 404


def test_another_communitys_unit_answers_404(lists: Duties):
    unit = east_unit(lists)
    wendy = page_for(lists.wendy)
    assert wendy.get(reverse("teams:unit", args=[unit.pk])).status_code == 404
    assert "区卫生健康局" not in wendy.get(reverse("teams:units")).content.decode()
    taken = wendy.post(
        reverse("teams:building_release", args=[unit.pk]),
        {"building": lists.world.households["a"].building.pk},
    )
    assert taken.status_code == 404


def test_the_api_lists_positions_with_duties_and_holders_in_scope(lists: Duties):
    duties.holder_assign(by=lists.world.users["carol"], position=lists.east_post, member=lists.pan)
    rows = page_for(lists.world.users["gavin"]).get("/api/teams/positions/").json()["results"]
    post = next(row for row in rows if row["is_party_post"])
    assert post["duties"] == [{"id": post["duties"][0]["id"], "order": 1, "text": "带头值守卡口"}]
    assert post["holders"][0]["name"] == "潘红" and post["holders"][0]["party_member"] is True
    wendy_rows = page_for(lists.wendy).get("/api/teams/positions/").json()["results"]
    assert [row["name"] for row in wendy_rows] == ["社区党委书记"]
    assert (
        page_for(lists.wendy).get(f"/api/teams/positions/{lists.east_post.pk}/").status_code == 404
    )
    party = page_for(lists.world.users["alice"]).get("/api/teams/positions/?party=true").json()
    assert [row["name"] for row in party["results"]] == ["党员先锋岗（东门）"]


def test_the_api_lists_units_with_buildings_and_letters(lists: Duties):
    unit = east_unit(lists)
    units.letter_add(by=lists.world.users["carol"], unit=unit, signed_on=date(2026, 12, 1))
    row = page_for(lists.world.users["gavin"]).get(f"/api/teams/units/{unit.pk}/").json()
    assert row["contact_phone_masked"] == "139****1000" and "contact_phone" not in row
    assert [b["name"] for b in row["buildings"]] == ["阳光花园1幢"]
    assert row["letters"][0]["pdf"] == reverse("teams:letter_pdf", args=[row["letters"][0]["id"]])
    assert page_for(lists.wendy).get(f"/api/teams/units/{unit.pk}/").status_code == 404
