"""Who reaches a request, on the pages and in the API: the household that made it (another
household gets 404), the workers of its grid and community (another grid's worker gets 404)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from wangge.residents.models import HelpRequest, RequestStatus
from wangge.residents.services import request_submit


@pytest.fixture
def asked(world, resident_client):
    """张三's request with a photo, and the clients of 张三 and 王五 (household "b")."""
    zhang_client, zhang = resident_client("13800001111")
    wang_client, _wang = resident_client("13700003333")
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    photo = SimpleUploadedFile("p.png", out.getvalue())
    request = request_submit(
        account=zhang,
        person=world.persons["zhang_san"],
        kind="pickup",
        text="取快递",
        photos=[photo],
    )
    return request, zhang_client, wang_client


def _staff(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_another_household_gets_404_for_the_request_on_every_page_and_endpoint(asked):
    request, zhang_client, wang_client = asked
    photo = request.photos.get()
    pages = [
        ("get", reverse("residents:request_mine", args=[request.pk])),
        ("get", reverse("residents:request_photo_mine", args=[photo.pk])),
        ("post", reverse("residents:request_withdraw", args=[request.pk])),
        ("post", reverse("residents:request_rate", args=[request.pk])),
        ("get", f"/api/my/requests/{request.pk}/"),
        ("post", f"/api/my/requests/{request.pk}/withdraw/"),
        ("post", f"/api/my/requests/{request.pk}/rate/"),
    ]
    for method, url in pages:
        assert getattr(wang_client, method)(url).status_code == 404, url
    assert wang_client.get("/api/my/requests/").json()["count"] == 0
    assert zhang_client.get(f"/api/my/requests/{request.pk}/").status_code == 200
    assert (
        zhang_client.get(reverse("residents:request_photo_mine", args=[photo.pk])).status_code
        == 200
    )
    assert HelpRequest.objects.get(pk=request.pk).status == RequestStatus.SUBMITTED


def test_the_resident_submits_on_the_page_and_a_bad_photo_is_named(world, resident_client):
    client, _account = resident_client("13800001111")
    url = reverse("residents:request_new")
    assert "代开药" in client.get(url).content.decode()
    member = world.persons["zhang_san"].pk
    bad = SimpleUploadedFile("单据.jpg", b"not a picture")
    refused = client.post(
        url, {"kind": "document", "text": "送材料", "person": member, "photos": bad}
    )
    assert refused.status_code == 400
    assert "单据.jpg" in refused.content.decode()
    sent = client.post(url, {"kind": "document", "text": "送材料", "person": member})
    request = HelpRequest.objects.get()
    assert sent["Location"] == reverse("residents:request_mine", args=[request.pk])
    page = client.get(sent["Location"]).content.decode()
    assert "待受理" in page and 'data-testid="event-submitted"' in page


def test_the_resident_api_creates_withdraws_and_rates(world, resident_client):
    client, _account = resident_client("13800001111")
    created = client.post(
        "/api/my/requests/", {"kind": "shopping", "text": "买米"}, content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["person"] == world.persons["zhang_san"].pk
    bad = client.post("/api/my/requests/", {"kind": "nope", "text": "x"}, "application/json")
    assert bad.status_code == 400 and "kind" in bad.json()
    pk = created.json()["id"]
    early = client.post(f"/api/my/requests/{pk}/rate/", {"rating": 5}, "application/json")
    assert early.status_code == 400
    withdrawn = client.post(f"/api/my/requests/{pk}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_worker_of_another_grid_cannot_see_or_act_and_the_own_worker_can(
    world, asked, api_client_for
):
    request, _zhang, _wang = asked
    bella, gavin = _staff(world, "bella"), _staff(world, "gavin")
    detail = reverse("residents:request_detail", args=[request.pk])
    assert bella.get(detail).status_code == 404
    act = reverse("residents:request_act", args=[request.pk])
    assert bella.post(act, {"action": "take"}).status_code == 404
    assert f"request-{request.pk}" not in bella.get(reverse("residents:requests")).content.decode()
    bella_api = api_client_for(world.users["bella"])
    assert bella_api.post(f"/api/residents/requests/{request.pk}/take/").status_code == 404
    # the own grid's worker
    assert f"request-{request.pk}" in gavin.get(reverse("residents:requests")).content.decode()
    gavin.post(act, {"action": "take"})
    gavin_api = api_client_for(world.users["gavin"])
    done = gavin_api.post(
        f"/api/residents/requests/{request.pk}/done/", {"text": "已取回"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    summary = gavin_api.get("/api/residents/requests/summary/").json()
    assert summary["total"]["by_status"]["done"] == 1
    assert gavin.get(reverse("residents:requests_summary")).status_code == 200
