"""A community approves its figures of a day (docs/reports.md "Approval"): only its own staff,
only a finished day with a snapshot; approved figures are locked against a rebuild (page, command)
until an unapproval with a reason, which the community or the street's command may make; every
step is recorded and audited."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from wangge.core.models import AuditEntry
from wangge.reports.models import Approval, ApprovalChange, AreaFigures
from wangge.reports.services import report_build
from wangge.reports.services.approvals import report_approve, report_unapprove


@pytest.fixture
def yesterday(world):
    day = timezone.localdate() - timedelta(days=1)
    report_build(street=world.street, on=day)
    return day


def test_the_communitys_own_worker_approves_and_it_is_recorded(world, yesterday):
    # when
    approval = report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    # then
    assert approval.approved_by == world.users["carol"]
    change = ApprovalChange.objects.get()
    assert (change.kind, change.community, change.day) == ("approve", world.east, yesterday)
    assert AuditEntry.objects.filter(action="report_approve").count() == 1


@pytest.mark.parametrize("who", ["alice", "gavin", "admin", "tracy"])
def test_nobody_but_the_communitys_own_staff_approves(world, yesterday, who):
    # the street's command, a grid worker of the community, the administrator, a tracer
    with pytest.raises(PermissionDenied):
        report_approve(by=world.users[who], community=world.east, day=yesterday)
    assert not Approval.objects.exists()


def test_a_day_without_a_snapshot_or_not_over_cannot_be_approved(world, yesterday):
    carol = world.users["carol"]
    with pytest.raises(ValidationError, match="快照"):
        report_approve(by=carol, community=world.east, day=yesterday - timedelta(days=1))
    today = timezone.localdate()
    report_build(street=world.street, on=today)
    with pytest.raises(ValidationError, match="还没有结束"):
        report_approve(by=carol, community=world.east, day=today)
    report_approve(by=carol, community=world.east, day=yesterday)
    with pytest.raises(ValidationError, match="已经审批"):
        report_approve(by=carol, community=world.east, day=yesterday)


def test_approved_figures_are_locked_against_a_rebuild(world, yesterday):
    # given
    report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    stored = sorted(AreaFigures.objects.filter(day=yesterday).values_list("pk", "figures"))
    # when / then: the page's builder and the command are both refused
    with pytest.raises(ValidationError, match="东社区"):
        report_build(street=world.street, on=yesterday, by=world.users["alice"], rebuild=True)
    with pytest.raises(CommandError) as refused:
        call_command("report_daily", "--date", yesterday.isoformat(), "--rebuild")
    assert refused.value.returncode == 2
    assert sorted(AreaFigures.objects.filter(day=yesterday).values_list("pk", "figures")) == stored
    # but printing the day still works
    out = StringIO()
    call_command("report_daily", "--date", yesterday.isoformat(), stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1])["scopes"] == 7


def test_an_unapproval_needs_a_reason_and_unlocks_the_day(world, yesterday):
    # given
    report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    # when: the street's command sends it back without a reason, then with one
    with pytest.raises(ValidationError, match="原因"):
        report_unapprove(by=world.users["alice"], community=world.east, day=yesterday, reason="  ")
    report_unapprove(
        by=world.users["alice"], community=world.east, day=yesterday, reason="核酸数有误"
    )
    # then
    assert not Approval.objects.exists()
    assert list(ApprovalChange.objects.values_list("kind", "reason")) == [
        ("unapprove", "核酸数有误"),
        ("approve", ""),
    ]
    assert AuditEntry.objects.get(action="report_unapprove").reason == "核酸数有误"
    report_build(street=world.street, on=yesterday, rebuild=True, by=world.users["alice"])


def test_a_grid_worker_cannot_unapprove_and_a_day_not_approved_cannot_be(world, yesterday):
    with pytest.raises(ValidationError, match="尚未审批"):
        report_unapprove(by=world.users["carol"], community=world.east, day=yesterday, reason="x")
    report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    with pytest.raises(PermissionDenied):
        report_unapprove(by=world.users["gavin"], community=world.east, day=yesterday, reason="x")
    assert Approval.objects.count() == 1


def test_the_page_shows_the_lock_instead_of_the_rebuild_button(client, world, yesterday):
    report_approve(by=world.users["carol"], community=world.east, day=yesterday)
    client.force_login(world.users["alice"])
    page = client.get("/reports/daily/", {"day": yesterday.isoformat()}).content.decode()
    assert 'data-testid="report-locked"' in page and 'name="rebuild"' not in page
