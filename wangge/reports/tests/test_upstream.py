"""The upstream tables (docs/reports.md "Enter once"): only the street's command keeps templates;
a hostile file or a wrong mapping is refused with the reason; a fill writes only the approved
communities (the others' rows cleared, the street's cells only when all approved) and keeps what
it said about each, which the community reads back unchanged after its figures change."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from conftest import drill_home_isolation
from wangge.accounts.models import RoleAssignment
from wangge.core.models import AuditEntry
from wangge.core.roles import Role
from wangge.measures.services.assign import measure_assign
from wangge.reports.models import UpstreamFillArea
from wangge.reports.selectors.upstream import received_for
from wangge.reports.services import report_build
from wangge.reports.services.approvals import report_approve, report_unapprove
from wangge.reports.services.upstream import template_create, upstream_fill
from wangge.reports.tests.builders import FIRST_ROW, MAPPING, SHEET, STREET_ROW, template


@pytest.fixture
def drill(world):
    return drill_home_isolation()


@pytest.fixture
def day(world, drill):
    yesterday = timezone.localdate() - timedelta(days=1)
    measure_assign(
        by=world.users["alice"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill,
        start=yesterday,
        reason="密接",
    )
    report_build(street=world.street, on=yesterday)
    return yesterday


def make_template(world, **changes):
    given = {
        "by": world.users["alice"],
        "street": world.street,
        "name": "疫情防控日报表",
        "recipient": "区防控办",
        "file_name": "日报表.xlsx",
        "content": template(),
        "mapping": MAPPING,
    } | changes
    return template_create(**given)


def sheet_of(fill):
    return load_workbook(BytesIO(bytes(fill.content)))[SHEET]


def test_a_fill_writes_only_the_approved_communities(world, day):
    # given: 东社区 approved, 西社区 not
    made = make_template(world)
    report_approve(by=world.users["carol"], community=world.east, day=day)
    # when
    fill = upstream_fill(by=world.users["alice"], template=made, day=day)
    # then: 东社区's row (the first) carries its figures, 西社区's is empty, the street's cell too
    sheet = sheet_of(fill)
    assert sheet[f"A{FIRST_ROW}"].value == "东社区"
    assert sheet[f"C{FIRST_ROW}"].value == 1
    assert sheet[f"C{FIRST_ROW + 1}"].value is None
    assert sheet[f"C{STREET_ROW}"].value is None and not fill.street_filled
    assert sheet["B2"].value == "江南街道" and sheet["F2"].value == day.isoformat()
    sent = UpstreamFillArea.objects.get(fill=fill)
    assert sent.community == world.east
    assert sent.figures == {"measures.active": 1, "checkins.missed": 0, "tests.target": 0}
    assert AuditEntry.objects.filter(action="upstream_fill").count() == 1


def test_the_streets_cells_are_filled_once_every_community_approved(world, day):
    made = make_template(world)
    west_worker = world.users["bella"]
    RoleAssignment.objects.create(
        user=west_worker, role=Role.COMMUNITY_WORKER, community=world.west
    )
    report_approve(by=world.users["carol"], community=world.east, day=day)
    report_approve(by=west_worker, community=world.west, day=day)
    fill = upstream_fill(by=world.users["alice"], template=made, day=day)
    assert fill.street_filled
    assert sheet_of(fill)[f"C{STREET_ROW}"].value == 1


def test_nothing_goes_up_without_an_approval_and_only_the_street_sends(world, day):
    made = make_template(world)
    with pytest.raises(ValidationError, match="没有已审批"):
        upstream_fill(by=world.users["alice"], template=made, day=day)
    report_approve(by=world.users["carol"], community=world.east, day=day)
    with pytest.raises(PermissionDenied):
        upstream_fill(by=world.users["carol"], template=made, day=day)
    with pytest.raises(PermissionDenied):
        make_template(world, by=world.users["carol"], name="另一张")


@pytest.mark.parametrize(
    ("content", "mapping", "field", "words"),
    [
        (b"PK\x03\x04 not really", MAPPING, "file", ""),
        (b"name,phone\n1,2\n", MAPPING, "file", ""),
        (None, MAPPING | {"sheet": "周报"}, "mapping", "周报"),
        (None, {**MAPPING, "cells": {"B2": "measures.nothing"}}, "mapping", "measures.nothing"),
        (None, {**MAPPING, "cells": {f"C{FIRST_ROW + 4}": "@day"}}, "mapping", "公式"),
    ],
)
def test_a_bad_file_or_mapping_is_refused_naming_what(world, content, mapping, field, words):
    with pytest.raises(ValidationError) as refused:
        make_template(world, content=content or template(), mapping=mapping)
    problems = " ".join(refused.value.message_dict[field])
    assert words in problems and "/" in problems


def test_the_community_reads_back_what_was_sent_after_its_figures_change(world, day, drill):
    # given: 东社区's figures of the day were sent
    made = make_template(world)
    report_approve(by=world.users["carol"], community=world.east, day=day)
    upstream_fill(by=world.users["alice"], template=made, day=day)
    # when: sent back, Li Si found to have been isolated too, rebuilt
    report_unapprove(by=world.users["alice"], community=world.east, day=day, reason="漏报一人")
    measure_assign(
        by=world.users["alice"],
        persons=[world.persons["li_si"]],
        measure_type=drill,
        start=day,
        reason="密接",
    )
    report_build(street=world.street, on=day, rebuild=True)
    # then: Carol sees what upstream received, unchanged, beside today's figure
    (item,) = received_for(world.users["carol"])
    active = next(f for f in item.figures if f.sent == 1)
    assert (active.sent, active.now) == (1, 2) and item.changed
    assert item.community == "东社区" and item.recipient == "区防控办"
    # and a grid worker sees nothing of it
    assert received_for(world.users["gavin"]) == []
