"""The residents' portal pages on a bad phone line: bytes transferred on first load and Largest
Contentful Paint, in chromium throttled as docs/performance.md says, against the production
configuration (gunicorn with 2 workers, DEBUG off, whitenoise serving the collected, compressed
static files; bench/scan_load.py's start_server), PostgreSQL.

    .venv/bin/python bench/portal_pages.py               # 3 runs a page, the median
    .venv/bin/python bench/portal_pages.py --runs 5

Each run opens a fresh browser context (an empty cache: a first load) on a 360 px wide viewport,
then through CDP: Network.emulateNetworkConditions (150 ms round trip, 1.6 Mbps = 200,000 bytes/s
down, 750 kbps = 93,750 bytes/s up) and Emulation.setCPUThrottlingRate 4. Bytes are the sum of
encodedDataLength of Network.loadingFinished (headers and bodies as they came over the wire, gzip
where whitenoise serves it); LCP the last largest-contentful-paint entry (buffered observer) after
the load event. The reference is a bare static HTML page of the same server (/static/bench-bare.html,
written into the collected files), so the figures read relative to what the line alone costs.

Then each page once more at the system's large font (the default font size 32 px, 200 %): a
screenshot in bench/out/portal-pages/ and whether the page scrolls sideways at 360 px.

The database (default postgres://postgres@127.0.0.1:5432/wangge_bench_portal) is created and
migrated on first use: a compound, one household of two members (the first under a home
isolation), the resident's account and a session. Prints one JSON object (also written to
bench/out/portal-pages/result.json). Asserts nothing.
"""

import argparse
import json
import os
import signal
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "portal-pages"
VAR = OUT / "var"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wangge_bench_portal"
PHONE = "13800001111"
BARE = "<!doctype html><html lang=zh-hans><meta charset=utf-8><title>参照</title><p>参照页</p>"
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from scan_load import django_ready, start_server  # noqa: E402

LINE = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
LCP = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => resolve(null), 5000);
})"""


def prepare(url: str) -> dict:
    """Migrate and collect the static files; once, the household; a session and the cookies."""
    django_ready(url, VAR)
    from django.conf import settings
    from django.core import signing
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # as scripts/run.sh does
    (Path(settings.STATIC_ROOT) / "bench-bare.html").write_text(BARE)
    from wangge.people.models import Person
    from wangge.residents.auth import COOKIE
    from wangge.residents.services import account_for_phone, session_start
    from wangge.residents.views.signin import PENDING, PENDING_SALT

    person = Person.objects.filter(name="压测张三").first()
    if person is None:
        person = _household()
    account = account_for_phone(phone=PHONE)
    _session, raw = session_start(account=account)
    return {
        "person": person.pk,
        "session": {COOKIE: raw},
        "pending": {PENDING: signing.dumps(PHONE, salt=PENDING_SALT)},
    }


def _household():
    """A compound with one household of two members, the first under a 7-day home isolation."""
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils import timezone

    from wangge.core.identity import gb11643_check_digit
    from wangge.measures.models import MeasureType, PersonMeasure, RuleSet
    from wangge.people.models import Person
    from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

    with transaction.atomic():
        street, _ = Street.objects.get_or_create(name="压测街道", defaults={"code": "330783998"})
        community, _ = Community.objects.get_or_create(street=street, name="压测社区")
        grid, _ = Grid.objects.get_or_create(community=community, name="压测网格")
        compound, _ = Compound.objects.get_or_create(community=community, name="压测小区")
        building, _ = Building.objects.get_or_create(compound=compound, name="1幢", grid=grid)
        household = Household.objects.create(
            building=building, grid=grid, unit="1", floor=1, room="101"
        )
        persons = []
        for serial, name, phone in ((991, "压测张三", PHONE), (993, "压测张小三", "13800009999")):
            person = Person(household=household, birth_date=date(1980, 5, 17), sex="M")
            first17 = f"33010219800517{serial:03d}"
            person.set_id_number(first17 + gb11643_check_digit(first17))
            person.set_name(name)
            person.set_phone(phone)
            person.save()
            persons.append(person)
        rule_set = RuleSet.objects.create(name="压测方案", kind=RuleSet.Kind.LOCAL)
        kind = MeasureType.objects.create(
            rule_set=rule_set,
            name="7天居家隔离",
            category=MeasureType.Category.HOME_ISOLATION,
            household_colour=MeasureType.Colour.ORANGE,
            duration_days=7,
        )
        today = timezone.localdate()
        PersonMeasure.objects.create(
            person=persons[0],
            measure_type=kind,
            start=today,
            end=today + timedelta(days=7),
            reason="密接",
        )
    return persons[0]


def _redirect(event: dict, sizes: list[int]) -> None:
    """A redirect's response has no loadingFinished of its own: count it when the next request goes."""
    if "redirectResponse" in event:
        sizes.append(int(event["redirectResponse"]["encodedDataLength"]))


def load(browser, base: str, path: str, cookies: dict[str, str]) -> dict:
    """One first load on the throttled line: bytes over the wire, requests, LCP in ms."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", LINE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    sizes: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: sizes.append(int(event["encodedDataLength"])))
    cdp.on("Network.requestWillBeSent", lambda event: _redirect(event, sizes))
    page.goto(base + path, wait_until="load")
    lcp = page.evaluate(LCP)
    page.wait_for_timeout(300)
    context.close()
    return {"bytes": sum(sizes), "requests": len(sizes), "lcp_ms": round(lcp) if lcp else None}


def large_font(browser, base: str, name: str, path: str, cookies: dict[str, str]) -> dict:
    """The page at the system's large font (200 %): sideways scroll at 360 px, and a screenshot."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.goto(base + path, wait_until="load")
    wide, font = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " parseFloat(getComputedStyle(document.body).fontSize)]"
    )
    page.screenshot(path=str(OUT / f"{name}-200pct.png"))
    context.close()
    return {"scroll_width_px": wide, "scrolls_sideways": wide > 360, "body_font_px": font}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--port", type=int, default=8794)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = prepare(args.postgres)
    session, pending = fixtures["session"], fixtures["pending"]
    pages = {
        "reference (bare static HTML)": ("/static/bench-bare.html", {}),
        "sign-in /my/signin/": ("/my/signin/", {}),
        "code entry /my/signin/code/": ("/my/signin/code/", pending),
        "home /my/": ("/my/", session),
        "code page /my/code/<id>/": (f"/my/code/{fixtures['person']}/", session),
        "code page via /my/code/": ("/my/code/", session),
        "registration /my/registration/": ("/my/registration/", session),
        "registration form /my/registration/new/": ("/my/registration/new/", session),
        "check-in /my/checkin/<id>/": (f"/my/checkin/{fixtures['person']}/", session),
        "arrival report /my/reports/arrival/": ("/my/reports/arrival/", session),
        "self-test /my/reports/self-test/": ("/my/reports/self-test/", session),
        "notices /my/notices/": ("/my/notices/", session),
        "requests /my/requests/": ("/my/requests/", session),
        "new request /my/requests/new/": ("/my/requests/new/", session),
    }
    server = start_server(args.postgres, args.port, var=VAR)
    base = f"http://127.0.0.1:{args.port}"
    results: dict[str, dict] = {}
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            load(browser, base, "/my/signin/", {})  # warm the workers up
            for name, (path, cookies) in pages.items():
                runs = [load(browser, base, path, cookies) for _ in range(args.runs)]
                lcps = [run["lcp_ms"] for run in runs if run["lcp_ms"] is not None]
                results[name] = {
                    "path": path,
                    "bytes": int(statistics.median(run["bytes"] for run in runs)),
                    "requests": runs[0]["requests"],
                    "lcp_ms": round(statistics.median(lcps)) if lcps else None,
                    "runs": runs,
                }
                if not name.startswith("reference"):
                    slug = path.strip("/").replace("/", "-") or "root"
                    results[name]["large_font"] = large_font(browser, base, slug, path, cookies)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    reference = results["reference (bare static HTML)"]
    for row in results.values():
        row["kb"] = round(row["bytes"] / 1024, 1)
        row["within_50kb"] = row["bytes"] <= 50 * 1024
        row["within_2s"] = row["lcp_ms"] is not None and row["lcp_ms"] < 2000
        if reference["lcp_ms"] and row["lcp_ms"]:
            row["lcp_to_reference"] = round(row["lcp_ms"] / reference["lcp_ms"], 2)
    result = {
        "benchmark": "portal_pages",
        "server": "gunicorn, 2 sync workers, DEBUG off, whitenoise (compressed), PostgreSQL",
        "line": LINE,
        "cpu_slowdown": 4,
        "viewport_px": 360,
        "runs": args.runs,
        "pages": results,
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    (OUT / "result.json").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
