"""The checklist page, the inspection page without its script, the notice, and the public pages,
which show nothing personal."""

import io
import json

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from wangge.core import crypto
from wangge.venues.models import Card, ChecklistItem, Inspection, VenueKind
from wangge.venues.services.inspections import checklist_of
from wangge.venues.tests.cards.fixtures import beijing, inspect, inspector
from wangge.venues.tests.cards.test_inspections import PNG


def _carded(site):
    site.venue.responsible_name = "王大锤"
    site.venue.address = "幸福路88号"
    site.venue.uscc = "91350100M000100Y43"
    site.venue.set_responsible_phone("13912345678")
    site.venue.save()
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    return Card.objects.get(venue=site.venue)


def test_street_staff_edit_checklists_and_community_staff_may_not(client, world):
    kind = VenueKind.objects.get(name="药店")
    client.force_login(world.users["carol"])
    assert client.get(reverse("venues:checklists")).status_code == 403
    client.force_login(world.users["alice"])
    assert client.get(reverse("venues:checklists")).status_code == 200
    page = reverse("venues:checklists")
    client.post(page, {"op": "add", "target": kind.pk, "text": "处方药实名登记"})
    added = ChecklistItem.objects.get(kind=kind, text="处方药实名登记")
    client.post(page, {"op": "up", "target": added.pk})
    texts = list(ChecklistItem.objects.filter(kind=kind).values_list("text", flat=True))
    assert texts[-2] == "处方药实名登记"
    client.post(page, {"op": "deactivate", "target": added.pk})
    added.refresh_from_db()
    assert not added.active
    answer = client.post(
        page, {"op": "synonyms", "target": kind.pk, "synonyms": "药房、饭店"}, follow=True
    )
    assert "饭店（餐饮店）" in answer.content.decode()
    assert client.post(page, {"op": "up", "target": "x"}).status_code == 302


def test_the_inspection_page_records_without_its_script(client, site, world):
    client.force_login(site.ian)
    page = reverse("venues:inspect", args=[site.venue.pk])
    shown = client.get(page)
    assert shown.status_code == 200 and "进门测温" in shown.content.decode()
    assert "Ivy" in shown.content.decode()
    items = checklist_of(site.venue)
    form = {f"item_{item.pk}": "pass" for item in items} | {"client_id": "page-1"}
    form[f"item_{items[0].pk}"] = "fail"
    answer = client.post(page, form | {"photos": SimpleUploadedFile("a.jpg", PNG)})
    assert answer.status_code == 302
    done = Inspection.objects.get(client_id="page-1")
    assert not done.passed and done.photos.count() == 1 and Card.objects.count() == 1
    del form[f"item_{items[1].pk}"]
    refused = client.post(page, form | {"client_id": "page-2"})
    assert refused.status_code == 400 and "未填写检查项" in refused.content.decode()
    client.force_login(inspector("olga", world.west))
    assert client.get(page).status_code == 404


def test_closed_by_hand_from_the_page(client, site):
    client.force_login(site.ian)
    client.post(
        reverse("venues:closed_set", args=[site.venue.pk]), {"closed": "1", "reason": "装修"}
    )
    site.venue.refresh_from_db()
    assert site.venue.status == "closed"


def test_the_public_pages_show_the_card_and_nothing_personal(client, site, world):
    card = _carded(site)
    token = crypto.unseal(site.venue.code_sealed)
    status = client.get(reverse("venues:public_status", args=[token])).content.decode()
    listing = client.get(reverse("venues:public_carded", args=[world.street.pk])).content.decode()
    for page in (status, listing):
        assert "老王饭店" in page and "黄牌整改中" in page and "2026-12-07" in page
        for personal in ("王大锤", "幸福路", "91350100M000100Y43", "5678", "139", "Ian", "ian"):
            assert personal not in page
    assert card.reason in status
    assert client.get(reverse("venues:public_status", args=["nope"])).status_code == 404


def test_the_notice_is_a_pdf_for_staff_who_see_the_card(client, site, world):
    card = _carded(site)
    client.force_login(world.users["carol"])
    answer = client.get(reverse("venues:card_notice", args=[card.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    token = crypto.unseal(site.venue.code_sealed)
    for shown in (
        "老王饭店",
        "黄牌",
        "2026-12-07",
        "2026-12-10",
        "进门测温",
        f"/v/status/{token}/",
    ):
        assert shown in text
    client.force_login(world.users["bella"])
    assert client.get(reverse("venues:card_notice", args=[card.pk])).status_code == 404


def test_the_api_records_once_per_client_id_and_lists_within_scope(api_client_for, site, world):
    api = api_client_for(site.ian)
    items = [{"item": item.pk, "passed": True} for item in checklist_of(site.venue)]
    body = {
        "venue": site.venue.pk,
        "client_id": "api-1",
        "items": json.dumps(items),
        "photos": [SimpleUploadedFile("b.jpg", PNG)],
    }
    first = api.post("/api/venues/inspections/", body, format="multipart")
    body["photos"] = [SimpleUploadedFile("b.jpg", PNG)]
    again = api.post("/api/venues/inspections/", body, format="multipart")
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json()["id"] == again.json()["id"] and len(first.json()["photos"]) == 1
    program = SimpleUploadedFile("c.jpg", b"MZ" + b"\x00" * 100)
    refused = api.post(
        "/api/venues/inspections/",
        body | {"client_id": "api-2", "photos": [program]},
        format="multipart",
    )
    assert refused.status_code == 400 and "c.jpg" in json.dumps(refused.json(), ensure_ascii=False)
    json_body = {"venue": site.venue.pk, "client_id": "api-3", "items": items[:1]}
    assert api.post("/api/venues/inspections/", json_body, format="json").status_code == 400
    _carded(site)
    assert api.get("/api/venues/cards/?open=true").json()["count"] == 1
    assert api.get("/api/venues/checklists/").status_code == 200
    outsider = api_client_for(inspector("olga", world.west))
    assert outsider.get("/api/venues/inspections/").json()["count"] == 0
    assert outsider.get("/api/venues/cards/").json()["count"] == 0
    denied = outsider.post(
        "/api/venues/inspections/", body | {"client_id": "api-4"}, format="multipart"
    )
    assert denied.status_code == 400
