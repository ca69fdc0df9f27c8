"""Kim at the gate with a phone (390×844): a typed ID number gets a big decision, an unknown visitor
is registered, a scan made offline waits on the phone and is stored once when sent, and the QR
polyfill reads a code with its WebAssembly served by Wangge (other hosts are blocked).

Drives Debian's chromium through Playwright against pytest-django's live server; screenshots land
in test-artifacts/ (git-ignored).
"""

import base64
import io

import pytest
import segno
from django.urls import reverse
from playwright.sync_api import Route, expect

from conftest import ARTIFACTS, make_id_number, sign_in
from wangge.checkpoints.models import Scan

from .conftest import code_of

pytestmark = pytest.mark.browser


def _local_only(route: Route, base: str) -> None:
    """No CDN: any request to another host fails the page's fetch."""
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.abort()


@pytest.mark.usefixtures("on_duty")
def test_a_typed_id_number_and_a_visitor_on_a_phone(world, gate, phone):
    zhang = world.persons["zhang_san"]
    sign_in(phone, "kim")
    phone.goto(reverse("checkpoints:index"))
    phone.locator(f"[data-testid=scan-{gate.pk}]").click()
    phone.wait_for_url(f"**{reverse('checkpoints:scan', args=[gate.pk])}")

    # a resident going out with a fever
    phone.locator("[data-testid=direction-out] + span").click()
    phone.fill("[data-testid=temperature]", "38.2")
    phone.fill("[data-testid=typed]", zhang.id_number)
    phone.locator("[data-testid=submit]").click()
    verdict = phone.locator("[data-testid=verdict]")
    expect(verdict).to_have_attribute("data-verdict", "deny")
    expect(verdict).to_contain_text("劝返")
    expect(verdict).to_contain_text("体温异常")
    expect(verdict).to_contain_text("张*")
    assert zhang.name not in phone.content()
    expect(phone.locator("[data-testid=recent]")).to_contain_text("张*")
    phone.screenshot(path=ARTIFACTS / "checkpoint-scan-deny-390.png", full_page=True)

    # a stranger coming in: registered as a visitor, then decided
    phone.locator("[data-testid=direction-in] + span").click()
    phone.fill("[data-testid=typed]", make_id_number(88))
    phone.locator("[data-testid=submit]").click()
    expect(verdict).to_have_attribute("data-verdict", "check")
    expect(phone.locator("[data-testid=resolve]")).to_be_visible()
    expect(phone.locator("[data-testid=visitor-id]")).to_have_value(make_id_number(88))
    phone.fill("[data-testid=visitor-name]", "钱七")
    phone.fill("[data-testid=visitor-phone]", "13900009999")
    phone.fill("[data-testid=visitor-purpose]", "探望父母")
    phone.fill("[data-testid=visitor-host]", "1幢1单元101")
    phone.screenshot(path=ARTIFACTS / "checkpoint-visitor-390.png", full_page=True)
    phone.locator("[data-testid=visitor-submit]").click()
    expect(verdict).to_have_attribute("data-verdict", "pass")
    expect(verdict).to_contain_text("钱*（访客）")
    assert Scan.objects.filter(visitor__name="钱七", verdict="pass").count() == 1


@pytest.mark.usefixtures("on_duty")
def test_a_scan_made_offline_waits_on_the_phone_and_is_stored_once(world, gate, phone):
    sign_in(phone, "kim")
    phone.goto(reverse("checkpoints:scan", args=[gate.pk]))
    phone.context.set_offline(True)
    phone.fill("[data-testid=typed]", world.persons["li_si"].id_number)
    phone.locator("[data-testid=submit]").click()
    expect(phone.locator("[data-testid=verdict]")).to_contain_text("已暂存")
    expect(phone.locator("[data-testid=queue-status]")).to_contain_text("待上传 1 条")
    phone.screenshot(path=ARTIFACTS / "checkpoint-offline-390.png", full_page=True)
    assert not Scan.objects.exists()
    # back online: the queue is sent by itself
    phone.context.set_offline(False)
    expect(phone.locator("[data-testid=queue-status]")).to_be_hidden()
    expect(phone.locator("[data-testid=recent]")).to_contain_text("李*")
    queued = Scan.objects.get()
    # the same scan queued again (a phone that lost the answer) is sent on the next page load
    item = {
        "client_id": queued.client_id,
        "checkpoint": gate.pk,
        "direction": "in",
        "temperature": "",
        "scanned_at": queued.scanned_at.isoformat(),  # a replay carries its time unchanged
        "id_number": world.persons["li_si"].id_number,
    }
    phone.evaluate("item => localStorage.setItem('wangge.scanQueue', JSON.stringify([item]))", item)
    phone.reload()
    expect(phone.locator("[data-testid=queue-status]")).to_be_hidden()
    phone.wait_for_function("() => localStorage.getItem('wangge.scanQueue') === '[]'")
    assert Scan.objects.count() == 1


def test_the_qr_polyfill_reads_a_code_with_wasm_served_locally(world, phone):
    text = code_of(world, world.persons["zhang_san"])
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    image = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    sign_in(phone, "kim")
    phone.goto(reverse("checkpoints:index"))
    found = phone.evaluate(
        """async ([script, wasm, image]) => {
            await new Promise((ok, fail) => {
                const tag = document.createElement('script');
                tag.src = script; tag.onload = ok; tag.onerror = fail;
                document.head.appendChild(tag);
            });
            const api = window.BarcodeDetectionAPI;
            api.prepareZXingModule({overrides: {locateFile: (path, prefix) =>
                path.endsWith('.wasm') ? wasm : prefix + path}});
            const img = new Image(); img.src = image; await img.decode();
            const codes = await new api.BarcodeDetector({formats: ['qr_code']}).detect(img);
            return codes.map(code => code.rawValue);
        }""",
        ["/static/vendor/barcode-detector.js", "/static/vendor/zxing_reader.wasm", image],
    )
    assert found == [text]
