"""The Content-Security-Policy header and the endpoint that logs what browsers report
(docs/adr/0008-content-security-policy.md)."""

import json
import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

LEGACY = "application/csp-report"
REPORTING = "application/reports+json"


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def _legacy_report(blocked: str = "inline") -> bytes:
    return json.dumps(
        {
            "csp-report": {
                "document-uri": "https://wangge.example/measures/1/",
                "violated-directive": "script-src-attr",
                "effective-directive": "script-src-attr",
                "blocked-uri": blocked,
                "line-number": 64,
                "disposition": "report",
            }
        }
    ).encode()


def ours(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "wangge.csp"]


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    yield
    cache.clear()


def test_pages_carry_the_policy_report_only_with_scripts_from_our_origin_only(world, client):
    # when anyone opens the login page
    response = client.get(reverse("accounts:login"))

    # then the policy is reported, not enforced, and allows no inline script nor eval
    assert "Content-Security-Policy" not in response
    policy = _directives(response["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["report-uri"] == [reverse("csp-report")]
    assert response["Reporting-Endpoints"] == (
        f'csp-endpoint="http://testserver{reverse("csp-report")}"'
    )


def test_the_enforcing_setting_sends_the_same_policy_as_the_enforced_header(
    world, client, settings
):
    # given an operator who switched the policy to enforced
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None

    # when anyone opens the login page
    response = client.get(reverse("accounts:login"))

    # then the browser is told to enforce it
    assert "Content-Security-Policy-Report-Only" not in response
    assert _directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_only_the_scan_page_may_compile_webassembly(world, client):
    # given Kim of the checkpoints and the gate she mans today
    from wangge.checkpoints.models import Checkpoint
    from wangge.checkpoints.services import CheckpointData, checkpoint_create
    from wangge.checkpoints.tests.conftest import roster

    gate = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园东门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            compound=world.households["a"].building.compound,
        ),
    )
    roster(world.users["kim"], gate, {timezone.localdate()})
    client.force_login(world.users["kim"])

    # when she opens the scan page and the checkpoints' list
    scan = client.get(reverse("checkpoints:scan", args=[gate.pk]))
    index = client.get(reverse("checkpoints:index"))

    # then the QR reader's WebAssembly is allowed on the scan page alone
    header = "Content-Security-Policy-Report-Only"
    assert scan.status_code == 200
    assert _directives(scan[header])["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert _directives(index[header])["script-src"] == ["'self'"]


def test_only_the_printable_svg_plan_may_carry_a_style_element(world, client):
    # given Alice, commander of the street
    client.force_login(world.users["alice"])
    compound = world.households["a"].building.compound

    # when she opens the compound's plan page and its printable SVG
    page = client.get(reverse("colours:compound", args=[compound.pk]))
    svg = client.get(reverse("colours:plan_svg", args=[compound.pk]))

    # then the page has no <style> and keeps style-src 'self'; the self-contained SVG has one
    header = "Content-Security-Policy-Report-Only"
    assert b"<style" not in page.content
    assert _directives(page[header])["style-src"] == ["'self'"]
    assert b"<style>" in svg.content
    assert _directives(svg[header])["style-src"] == ["'self'", "'unsafe-inline'"]


def test_a_browser_report_is_logged_without_a_csrf_token(db, caplog):
    # given a browser, which sends no CSRF token
    browser = Client(enforce_csrf_checks=True)

    # when it reports a refused inline handler
    with caplog.at_level(logging.WARNING, logger="wangge.csp"):
        response = browser.post(reverse("csp-report"), _legacy_report(), content_type=LEGACY)

    # then the violation is logged with where it happened
    assert response.status_code == 204
    [record] = ours(caplog)
    assert "effective-directive='script-src-attr'" in record.getMessage()
    assert "document-uri='https://wangge.example/measures/1/'" in record.getMessage()
    assert "line-number='64'" in record.getMessage()


def test_a_reporting_api_batch_logs_each_csp_violation_and_nothing_else(db, client, caplog):
    # given a Reporting API batch: two CSP violations and a deprecation notice
    def violation(url: str) -> dict:
        return {
            "type": "csp-violation",
            "url": url,
            "body": {"documentURL": url, "effectiveDirective": "script-src-elem"},
        }

    batch = [
        violation("https://wangge.example/a/"),
        {"type": "deprecation", "body": {"id": "x"}},
        violation("https://wangge.example/b/"),
    ]

    # when the browser sends it
    with caplog.at_level(logging.WARNING, logger="wangge.csp"):
        response = client.post(reverse("csp-report"), json.dumps(batch), content_type=REPORTING)

    # then the two violations are logged
    assert response.status_code == 204
    assert [("/a/" in r.getMessage(), "/b/" in r.getMessage()) for r in ours(caplog)] == [
        (True, False),
        (False, True),
    ]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"csp-report": {}}', "application/json", 415),
        (b"not json", LEGACY, 400),
        (b'["a list"]', LEGACY, 400),
        (b'{"an": "object"}', REPORTING, 400),
        (b"\xff\xfe", REPORTING, 400),
        (b'{"csp-report": {"blocked-uri": "' + b"x" * 70_000 + b'"}}', LEGACY, 413),
    ],
)
def test_what_is_no_report_is_refused_and_not_logged(
    db, client, caplog, body, content_type, status
):
    with caplog.at_level(logging.WARNING, logger="wangge.csp"):
        response = client.post(reverse("csp-report"), body, content_type=content_type)

    assert response.status_code == status
    assert ours(caplog) == []


def test_the_report_endpoint_takes_no_get(db, client):
    assert client.get(reverse("csp-report")).status_code == 405


def test_one_address_is_logged_a_bounded_number_of_times_a_minute(db, client, settings, caplog):
    # given a limit of two reports a minute for one address
    settings.WANGGE = {**settings.WANGGE, "CSP_REPORTS_PER_MINUTE": 2}
    url = reverse("csp-report")

    # when a page sends four reports within a minute, and one more in the next minute
    with (
        caplog.at_level(logging.WARNING, logger="wangge.csp"),
        time_machine.travel(datetime(2022, 7, 1, 1, 0, 5, tzinfo=UTC), tick=False) as clock,
    ):
        statuses = [client.post(url, _legacy_report(), content_type=LEGACY).status_code]
        statuses += [client.post(url, _legacy_report(), content_type=LEGACY).status_code]
        statuses += [client.post(url, _legacy_report(), content_type=LEGACY).status_code]
        statuses += [client.post(url, _legacy_report(), content_type=LEGACY).status_code]
        clock.move_to(datetime(2022, 7, 1, 1, 1, 5, tzinfo=UTC))
        statuses += [client.post(url, _legacy_report(), content_type=LEGACY).status_code]

    # then two are logged, the next two dropped quietly, and the new minute is logged again
    assert statuses == [204, 204, 204, 204, 204]
    assert len(ours(caplog)) == 3
    assert [r.name for r in ours(caplog)] == ["wangge.csp"] * 3
