"""The big screen on a 1920 × 1080 wall: nothing scrolls, no text under 24 px, key figures of at
least 64 px; when the data stops coming the figures stay under a banner that counts the minutes,
and a page opened without network shows the copy it kept. Debian's chromium through Playwright
against pytest-django's live server, as in people/tests/test_browser.py; Playwright's clock moves
the minute on."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import ARTIFACTS, browser_page, drill_home_isolation, sign_in
from wangge.command.services.events import event_raise
from wangge.measures.services.assign import measure_assign
from wangge.reports.services import report_build

pytestmark = pytest.mark.browser

DATA = re.compile(r"/reports/screen/data/")

# Every visible element holding text of its own: its font size, and whether it is a key figure.
TEXT_SIZES = """() => [...document.querySelectorAll("#screen *")].filter((node) => {
  const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
  const box = node.getBoundingClientRect();
  return own && box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== "hidden";
}).map((node) => ({
  text: node.textContent.trim(),
  size: parseFloat(getComputedStyle(node).fontSize),
  key: Boolean(node.closest(".screen-figure-value")),
}))"""


@pytest.fixture
def wall(live_server, monkeypatch):
    """A page of Debian's chromium on a 1920 × 1080 screen, against the live server."""
    yield from browser_page(monkeypatch, live_server.url, 1920, 1080, "echarts.min.js")


def test_the_wall_fits_reads_from_afar_and_outlasts_the_network(world, wall):
    # given: Zhang San isolated, the street's snapshots of yesterday and today, and an event
    # awaiting a response
    today = timezone.localdate()
    measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill_home_isolation(),
        start=today,
        reason="密接",
    )
    for day in (today - timedelta(days=1), today):
        report_build(street=world.street, on=day)
    event_raise(kind="grid_report", title="t", household=world.households["a"], source="s")

    # when: Alice opens the screen
    wall.clock.install()
    sign_in(wall, "alice")
    wall.goto(reverse("reports:screen"))
    figures = wall.locator("[data-testid=screen-figures] .screen-figure")
    expect(figures).to_have_count(6)
    expect(wall.locator("[data-testid=screen-totals] .screen-total-value").first).to_have_text("1")
    expect(wall.locator("[data-testid=screen-map] .screen-tile")).to_have_count(3)
    expect(wall.locator("[data-testid=screen-trends] canvas")).to_have_count(2)

    # then: nothing scrolls, no text is under 24 px, the key figures are 64 px or more
    sizes = wall.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert sizes[0] <= 1920 and sizes[1] <= 1080
    texts = wall.evaluate(TEXT_SIZES)
    assert len(texts) > 40
    assert [t for t in texts if t["size"] < 24] == []
    key = [t for t in texts if t["key"]]
    assert len(key) >= 7 and all(t["size"] >= 64 for t in key)
    wall.screenshot(path=ARTIFACTS / "reports-screen-1920.png")

    # when: the network drops and the minute passes
    shown = figures.first.locator(".screen-figure-value").inner_text()
    assert shown == "1"
    wall.route(DATA, lambda route: route.abort())
    wall.clock.fast_forward("01:05")
    # then: the figures stay, under a banner counting the minutes since they came
    stale = wall.locator("[data-testid=screen-stale]")
    expect(stale).to_be_visible()
    expect(stale).to_have_text(re.compile(r"数据更新于 1 分钟前（网络中断）"))
    wall.clock.fast_forward("02:00")
    expect(stale).to_have_text(re.compile(r"数据更新于 3 分钟前"))
    assert figures.first.locator(".screen-figure-value").inner_text() == shown
    wall.screenshot(path=ARTIFACTS / "reports-screen-1920-stale.png")

    # and a page opened while the network is down shows the copy it kept
    wall.reload()
    expect(figures).to_have_count(6)
    expect(figures.first.locator(".screen-figure-value")).to_have_text(shown)
    expect(stale).to_be_visible()

    # and when the network is back the banner goes at the next minute
    wall.unroute(DATA)
    wall.clock.fast_forward("01:05")
    expect(stale).to_be_hidden()
