"""The numbers of the checkpoint report: passages in and out and denials per local hour of one day,
per checkpoint and street-wide, with the scans just before and after the day left out."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from wangge.checkpoints.rules import Reason, Verdict
from wangge.checkpoints.selectors import hourly_series, scan_report

from .conftest import DAY, at, code_of, scan

NEXT_DAY = DAY + timedelta(days=1)
PREVIOUS_DAY = DAY - timedelta(days=1)


@pytest.fixture
def day_of_scans(world, on_duty, clock):
    """Zhang San through the east gate: out at 23:59 the evening before, in at 00:01 and out with a
    fever at 00:30, out at 09:15 and in at 09:45, in at 23:59, out at 00:00 the next day."""
    code = code_of(world, world.persons["zhang_san"])
    verdicts = {}
    for moment, direction, temperature in [
        (at(PREVIOUS_DAY, 23, 59), "out", None),
        (at(DAY, 0, 1), "in", None),
        (at(DAY, 0, 30), "out", "38.0"),
        (at(DAY, 9, 15), "out", None),
        (at(DAY, 9, 45), "in", None),
        (at(DAY, 23, 59), "in", None),
        (at(NEXT_DAY, 0, 0), "out", None),
    ]:
        clock.move_to(moment)
        outcome = scan(world, on_duty, code=code, direction=direction, temperature=temperature)
        verdicts[moment] = outcome.scan.verdict
    clock.move_to(at(NEXT_DAY, 9))
    return verdicts


def test_only_the_fever_is_denied(day_of_scans):
    denied = [moment for moment, verdict in day_of_scans.items() if verdict == Verdict.DENY]
    assert denied == [at(DAY, 0, 30)]


def test_the_hourly_series_counts_each_scan_in_its_local_hour_of_the_day(world, day_of_scans):
    series = hourly_series(world.users["carol"], DAY)

    expected_in, expected_out, expected_denied = [0] * 24, [0] * 24, [0] * 24
    expected_in[0] = expected_in[9] = expected_in[23] = 1
    expected_out[0] = expected_out[9] = 1
    expected_denied[0] = 1
    assert series == {"in": expected_in, "out": expected_out, "denied": expected_denied}


def test_the_report_of_one_checkpoint_has_a_row_per_hour_with_its_reasons(
    world, gate, day_of_scans
):
    report = scan_report(world.users["carol"], DAY, checkpoint=gate)

    rows = [(row.label, row.scans_in, row.scans_out, row.denied) for row in report.rows]
    assert rows == [("00:00", 1, 1, 1), ("09:00", 1, 1, 0), ("23:00", 1, 0, 0)]
    assert [row.fevers for row in report.rows] == [1, 0, 0]
    totals = report.totals
    assert (totals.scans_in, totals.scans_out, totals.denied, totals.fevers) == (3, 2, 1, 1)
    assert (Reason.FEVER, Reason.FEVER.label) in report.reasons


def test_the_street_wide_report_has_a_row_per_checkpoint(world, gate, day_of_scans):
    report = scan_report(world.users["carol"], DAY)

    assert [(row.label, row.scans_in, row.scans_out, row.denied) for row in report.rows] == [
        (gate.name, 3, 2, 1)
    ]
    previous = scan_report(world.users["carol"], PREVIOUS_DAY)
    assert [(row.scans_in, row.scans_out) for row in previous.rows] == [(0, 1)]


def test_the_report_page_charts_the_same_numbers(client, world, day_of_scans):
    client.force_login(world.users["carol"])

    page = client.get(reverse("checkpoints:report") + f"?day={DAY:%Y-%m-%d}").content.decode()

    found = re.search(r'<script id="hourly-data" type="application/json">(.*?)</script>', page)
    chart = json.loads(found.group(1))
    assert chart["in"] == hourly_series(world.users["carol"], DAY)["in"]
    assert sum(chart["in"]) == 3 and sum(chart["out"]) == 2 and sum(chart["denied"]) == 1
