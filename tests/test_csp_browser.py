"""With the Content-Security-Policy enforced, the main pages work in chromium and the browser
reports no violation: the behaviours moved out of inline handlers (data-autosubmit,
data-confirm) act as before, the scan page's QR reader compiles its WebAssembly, and the
Swagger UI starts from its own script file.

A listener added before any page script records every `securitypolicyviolation` event, and the
console's CSP messages are kept too; the last step provokes one refusal on purpose, so a listener
that heard nothing cannot pass for a page without violations.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS, sign_in
from wangge.checkpoints.models import Checkpoint
from wangge.checkpoints.tests.conftest import roster
from wangge.measures.models import MeasureTest, PersonMeasure
from wangge.testing import models as testing_models

pytestmark = pytest.mark.browser

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
# The smallest WebAssembly module: the magic number and version 1.
COMPILE_WASM = """async () => {
  try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return "compiled"; }
  catch (e) { return "refused"; }
}"""
# What checkpoints/scan.js does where the browser has no BarcodeDetector (chromium on Linux).
ZXING_READS = """async () => {
  const app = document.getElementById("scan-app");
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = app.dataset.polyfillUrl;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  const api = window.BarcodeDetectionAPI;
  api.prepareZXingModule({
    overrides: { locateFile: (path, prefix) => path.endsWith(".wasm") ? app.dataset.wasmUrl : prefix + path },
  });
  const reader = new api.BarcodeDetector({ formats: ["qr_code"] });
  const found = await reader.detect(new ImageData(64, 64));
  return found.length;
}"""


@pytest.fixture
def enforced(settings: Any) -> None:
    """The policy as the trust issue will send it: enforced, not report-only."""
    settings.CONTENT_SECURITY_POLICY = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


def _releasable(world: Any) -> PersonMeasure:
    """Li Si under a one-day watch without tests, started yesterday: releasable today."""
    from wangge.measures.models import MeasureType, RuleSet
    from wangge.measures.services.assign import measure_assign

    watch = MeasureType.objects.create(
        rule_set=RuleSet.objects.get(name="演练方案"),
        name="1天健康观察（演练）",
        category=MeasureType.Category.HEALTH_MONITORING,
        household_colour=MeasureType.Colour.YELLOW,
        duration_days=1,
        test_days=[],
        checkin_times=[],
        release_needs_negative=False,
    )
    (measure,) = measure_assign(
        by=world.users["alice"],
        persons=[world.persons["li_si"]],
        measure_type=watch,
        start=timezone.localdate() - timedelta(days=1),
        reason="演练",
    )
    return measure


def _listening(page: Page) -> list[str]:
    page.add_init_script(LISTEN)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return console


def _violations(page: Page, console: list[str]) -> list[str]:
    return page.evaluate("window.__violations") + console


def test_main_pages_work_under_the_enforced_policy_without_a_violation(
    fuller_world: Any, enforced: None, phone: Page
) -> None:
    world = fuller_world
    console = _listening(phone)
    measure = PersonMeasure.objects.get()
    seen: dict[str, list[str]] = {}

    # when Alice, commander, signs in and opens the main pages
    sign_in(phone, "alice")
    response = phone.goto(reverse("front:home"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    pages = [
        reverse("front:home"),
        reverse("people:person_detail", args=[world.persons["zhang_san"].pk]),
        reverse("regions:compound_detail", args=[world.households["a"].building.compound_id]),
        reverse("colours:compound", args=[world.households["a"].building.compound_id]),
        reverse("colours:areas"),
        reverse("measures:mine"),
        reverse("command:board"),
        reverse("checkpoints:report"),
        reverse("testing:vaccination"),
    ]
    for url in pages:
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        seen[url] = _violations(phone, console)
        console.clear()

    # and filters 管控对象 by a category: the select sends its form itself (data-autosubmit)
    phone.goto(reverse("measures:list"))
    phone.select_option("select[name=category]", index=1)
    phone.wait_for_url("**category=*")
    seen["measures:list"] = _violations(phone, console)

    # and filters 未检人员 by a grid the same way
    round_ = testing_models.NucleicRound.objects.get()
    phone.goto(reverse("testing:untested", args=[round_.pk]))
    phone.select_option("select[name=grid]", index=1)
    phone.wait_for_url("**grid=*")
    seen["testing:untested"] = _violations(phone, console)

    # and on the measure's page says no, then yes, to "确认登记为阳性？" (data-confirm)
    phone.goto(reverse("measures:detail", args=[measure.pk]))
    positive = phone.locator("button[name=result][value=positive]").first
    phone.once("dialog", lambda dialog: dialog.dismiss())
    positive.click()
    phone.wait_for_timeout(300)
    assert not MeasureTest.objects.filter(result="positive").exists()
    phone.once("dialog", lambda dialog: dialog.accept())
    positive.click()
    phone.wait_for_load_state("networkidle")
    seen["measures:detail"] = _violations(phone, console)
    phone.screenshot(path=ARTIFACTS / "csp-measure-detail-390.png", full_page=True)

    # and on a measure due for release says no, then yes, to "确认解除管控？" (a form's data-confirm)
    due = _releasable(world)
    phone.goto(reverse("measures:detail", args=[due.pk]))
    release = phone.locator("[data-testid=release]")
    phone.once("dialog", lambda dialog: dialog.dismiss())
    release.click()
    phone.wait_for_timeout(300)
    due.refresh_from_db()
    assert due.status == PersonMeasure.Status.ACTIVE
    phone.once("dialog", lambda dialog: dialog.accept())
    release.click()
    phone.wait_for_load_state("networkidle")
    seen["measures:release"] = _violations(phone, console)

    # then no page reported a violation, and each confirmed click did its work
    assert seen == {url: [] for url in seen}
    assert MeasureTest.objects.filter(measure=measure, result="positive").count() == 1
    due.refresh_from_db()
    assert due.status == PersonMeasure.Status.RELEASED

    # and the enforced policy is really there: compiling WebAssembly on the home page is refused
    # and reported, which the listener hears
    phone.goto(reverse("front:home"))
    assert phone.evaluate(COMPILE_WASM) == "refused"
    phone.wait_for_timeout(200)
    assert any("wasm-eval" in v or "script-src" in v for v in _violations(phone, console))


def test_the_scan_page_reads_qr_codes_with_webassembly_under_the_enforced_policy(
    fuller_world: Any, enforced: None, phone: Page
) -> None:
    # given Kim of the checkpoints on today's roster at the east gate
    console = _listening(phone)
    gate = Checkpoint.objects.get()
    roster(fuller_world.users["kim"], gate, {timezone.localdate()})
    sign_in(phone, "kim")

    # when she opens the scan page and its QR reader loads the ZXing polyfill and WebAssembly
    phone.goto(reverse("checkpoints:scan", args=[gate.pk]))
    found = phone.evaluate(ZXING_READS)

    # then the reader ran (nothing to read in a blank frame) and nothing was refused
    assert found == 0
    assert _violations(phone, console) == []


def test_the_api_docs_start_under_the_enforced_policy(
    fuller_world: Any, enforced: None, phone: Page
) -> None:
    # given Alice signed in
    console = _listening(phone)
    sign_in(phone, "alice")

    # when she opens the Swagger UI
    phone.goto(reverse("api-docs"))

    # then its start-up script (a file of its own) drew the operations, and nothing was refused
    expect(phone.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert _violations(phone, console) == []
