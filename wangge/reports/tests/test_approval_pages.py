"""The approvals and upstream pages and their API: each user sees and may do what the services
allow — Carol approves 东社区, Alice sends it back and sends tables, Gavin sees his grids only."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wangge.reports.models import Approval, ApprovalChange, UpstreamFill
from wangge.reports.services import report_build
from wangge.reports.services.approvals import report_approve
from wangge.reports.services.upstream import template_create
from wangge.reports.tests.builders import MAPPING, template


@pytest.fixture
def day(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    report_build(street=world.street, on=yesterday)
    return yesterday


def as_user(client, user):
    client.force_login(user)
    return client


def test_carol_approves_her_community_on_the_page(client, world, day):
    page = as_user(client, world.users["carol"]).get(reverse("reports:approvals"), {"day": day})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="approve"' in html
    assert "西社区" not in html  # she sees her community only
    answer = client.post(
        reverse("reports:approve"), {"community": world.east.pk, "day": day.isoformat()}
    )
    assert answer.status_code == 302 and Approval.objects.filter(community=world.east).exists()


def test_alice_sends_it_back_with_a_reason_and_cannot_approve(client, world, day):
    report_approve(by=world.users["carol"], community=world.east, day=day)
    page = as_user(client, world.users["alice"]).get(reverse("reports:approvals"), {"day": day})
    html = page.content.decode()
    assert 'data-testid="approve"' not in html and 'data-testid="unapprove"' in html
    client.post(
        reverse("reports:unapprove"),
        {"community": world.east.pk, "day": day.isoformat(), "reason": "数字有误"},
    )
    assert not Approval.objects.exists()
    assert ApprovalChange.objects.first().reason == "数字有误"
    assert "已退回" in client.get(reverse("reports:approvals"), {"day": day}).content.decode()


def test_a_grid_worker_has_no_community_to_approve(client, world, day):
    page = as_user(client, world.users["gavin"]).get(reverse("reports:approvals"))
    assert 'data-testid="approvals-none"' in page.content.decode()
    denied = client.post(
        reverse("reports:approve"), {"community": world.east.pk, "day": day.isoformat()}
    )
    assert denied.status_code == 404


def test_alice_uploads_a_template_and_sends_the_days_table(client, world, day):
    as_user(client, world.users["alice"])
    answer = client.post(
        reverse("reports:templates"),
        {
            "name": "疫情防控日报表",
            "recipient": "区防控办",
            "mapping": json.dumps(MAPPING, ensure_ascii=False),
            "file": SimpleUploadedFile("日报表.xlsx", template()),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    detail = answer["Location"]
    report_approve(by=world.users["carol"], community=world.east, day=day)
    sent = client.post(detail, {"day": day.isoformat()})
    assert sent.status_code == 302
    fill = UpstreamFill.objects.get()
    download = client.get(reverse("reports:fill_file", args=[fill.pk]))
    assert download.status_code == 200 and bytes(download.content) == bytes(fill.content)
    page = client.get(detail).content.decode()
    assert fill.file_name in page and "模板中没有这个社区" not in page


def test_a_bad_mapping_is_shown_on_the_form(client, world):
    answer = as_user(client, world.users["alice"]).post(
        reverse("reports:templates"),
        {
            "name": "表",
            "recipient": "区",
            "mapping": "{not json",
            "file": SimpleUploadedFile("t.xlsx", template()),
        },
    )
    assert answer.status_code == 422 and "JSON" in answer.content.decode()


def test_a_community_worker_reads_what_was_sent_and_not_the_templates(client, world, day):
    made = template_create(
        by=world.users["alice"],
        street=world.street,
        name="疫情防控日报表",
        recipient="区防控办",
        file_name="t.xlsx",
        content=template(),
        mapping=MAPPING,
    )
    report_approve(by=world.users["carol"], community=world.east, day=day)
    as_user(client, world.users["alice"]).post(
        reverse("reports:template", args=[made.pk]), {"day": day.isoformat()}
    )
    as_user(client, world.users["carol"])
    assert client.get(reverse("reports:templates"))["Location"] == reverse("reports:received")
    assert client.get(reverse("reports:template", args=[made.pk])).status_code == 404
    html = client.get(reverse("reports:received")).content.decode()
    assert 'data-testid="received"' in html and "区防控办" in html


def test_the_api_approves_fills_and_reads_back(client, world, day):
    as_user(client, world.users["carol"])
    listed = client.get("/api/reports/approvals/", {"day": day.isoformat()}).json()
    assert [(r["name"], r["state"], r["may_approve"]) for r in listed] == [
        ("东社区", "pending", True)
    ]
    approved = client.post(
        "/api/reports/approvals/approve/",
        {"community": world.east.pk, "day": day.isoformat()},
        content_type="application/json",
    )
    assert approved.status_code == 201 and approved.json()["state"] == "approved"
    as_user(client, world.users["alice"])
    locked = client.post(
        "/api/reports/snapshots/build/",
        {"street": world.street.pk, "day": day.isoformat(), "rebuild": True},
        content_type="application/json",
    )
    assert locked.status_code == 400
    created = client.post(
        "/api/reports/templates/",
        {
            "name": "表",
            "recipient": "区防控办",
            "mapping": json.dumps(MAPPING),
            "file": SimpleUploadedFile("t.xlsx", template()),
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    filled = client.post(
        f"/api/reports/templates/{pk}/fill/",
        {"day": day.isoformat()},
        content_type="application/json",
    )
    assert filled.status_code == 201 and filled.json()["areas"][0]["community"] == world.east.pk
    fill_file = client.get(f"/api/reports/fills/{filled.json()['id']}/file/")
    assert fill_file.status_code == 200
    as_user(client, world.users["carol"])
    assert client.post(f"/api/reports/templates/{pk}/fill/", {}).status_code == 404
    (received,) = client.get("/api/reports/received/").json()
    assert received["community"] == "东社区" and received["changed"] is False


def test_the_api_figures_are_scoped_to_the_callers_areas(client, world, day):
    rows = as_user(client, world.users["gavin"]).get("/api/reports/figures/").json()["results"]
    assert {(r["level"], r["area_id"]) for r in rows} == {
        ("grid", world.grid_a.pk),
        ("grid", world.grid_a1.pk),
    }
    assert client.get("/api/reports/figures/", {"level": "town"}).status_code == 400
    missing = client.get("/api/reports/approvals/", {"day": "yesterday"})
    assert missing.status_code == 400 and "day" in missing.json()
