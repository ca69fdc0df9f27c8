"""The demo street's notifications (seeded once for the package, see conftest.py): robots,
templates, messages in every state whose deliveries went through the engine, acknowledgements,
and the grid worker's call list."""

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from wangge.accounts.models import RoleAssignment, User
from wangge.core.models import Alert
from wangge.core.origin import Origin
from wangge.core.roles import Role
from wangge.notify import calls
from wangge.notify.models import (
    Attempt,
    Delivery,
    Message,
    MessageKind,
    Receipt,
    Recipient,
    Robot,
    Template,
)
from wangge.notify.services import message_cancel
from wangge.regions.models import Grid


def demo_grid_worker() -> User:
    return User.objects.get(username="demo-grid")


def demo_grid() -> Grid:
    grid = RoleAssignment.objects.get(user__username="demo-grid").grid
    assert grid is not None
    return grid


def test_grids_have_robots_and_the_street_has_templates(street_db):
    robots = Robot.objects.all()
    assert robots.filter(kind=Robot.Kind.DINGTALK, grid=demo_grid()).exists()
    assert robots.filter(kind=Robot.Kind.DINGTALK).count() >= 3
    assert robots.filter(kind=Robot.Kind.WECOM).count() == 1
    # the settings (the fake gateway under `make run`) decide where they post
    assert not robots.exclude(base_url="").exists()
    dingtalk = robots.filter(kind=Robot.Kind.DINGTALK).first()
    assert len(dingtalk.token) == 64 and dingtalk.secret.startswith("SEC")
    assert set(Template.objects.values_list("name", flat=True)) == {
        "核酸检测通知",
        "居家隔离提醒",
        "紧急通知",
    }


def test_messages_are_in_every_state_and_deliveries_went_through_the_engine(street_db):
    statuses = set(Message.objects.values_list("status", flat=True))
    assert {"sent", "sending", "scheduled"} <= statuses
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert set(MessageKind.values) <= kinds
    states = dict(
        Delivery.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    assert {"delivered", "failed", "unknown", "sent"} <= set(states)
    assert states["delivered"] > states["failed"]
    # every delivery that left has an attempt; refusals and failed receipts carry real codes
    assert not Delivery.objects.exclude(state="queued").filter(attempt=None).exists()
    codes = set(Delivery.objects.exclude(error_code="").values_list("error_code", flat=True))
    assert {"isv.MOBILE_NUMBER_ILLEGAL", "MK:0005"} <= codes
    assert Attempt.objects.filter(outcome=Attempt.Outcome.TIMEOUT).exists()
    assert Receipt.objects.filter(delivered=True).count() > 100
    assert not Delivery.objects.filter(state__in=["queued", "sending"]).exists()


def test_the_emergency_was_acknowledged_by_most_households_and_escalated(street_db):
    # the emergency of the notify module (the residents' urgent notice is one too, without ack)
    emergency = Message.objects.get(kind=MessageKind.EMERGENCY, ack=True)
    assert emergency.ack and emergency.escalate
    households = Recipient.objects.filter(message=emergency).values("household_id").distinct()
    acked = households.filter(acknowledged_at__isnull=False)
    assert 0.5 <= acked.count() / households.count() <= 0.7
    told = Message.objects.get(kind=MessageKind.ESCALATION)
    assert told.grid == demo_grid()
    # the grid's group was told five minutes after the emergency went out
    assert 5 * 60 <= (told.created_at - emergency.frozen_at).total_seconds() < 6 * 60
    assert Delivery.objects.filter(message=told, state="delivered").count() == 1


def test_staff_got_the_in_app_notice(street_db):
    assert Alert.objects.filter(recipient=demo_grid_worker(), kind="notify_message").exists()


def test_the_grid_worker_has_a_call_list_another_grid_worker_does_not(street_db):
    worker = demo_grid_worker()
    listed = calls.listed(worker)
    assert listed.filter(reached_by_phone=True).count() == 1
    open_rows = calls.open_calls(worker)
    assert 0 < open_rows.values("household_id").distinct().count() < 30
    building = open_rows.first().household.building.name

    other_grid = Grid.objects.exclude(pk=demo_grid().pk).first()
    other = User.objects.create(username="other-grid", full_name="别的网格员")
    RoleAssignment.objects.create(user=other, role=Role.GRID_WORKER, grid=other_grid)
    assert not calls.listed(other).exists()

    page = Client()
    page.force_login(worker)
    assert building in page.get(reverse("notify:calls")).content.decode()
    page.force_login(other)
    shown = page.get(reverse("notify:calls")).content.decode()
    assert building not in shown


def test_the_grid_worker_may_cancel_tomorrows_notice(street_db):
    scheduled = Message.objects.get(status=Message.Status.SCHEDULED)
    assert scheduled.created_by == demo_grid_worker()
    message_cancel(scheduled, by=demo_grid_worker(), origin=Origin.SYSTEM)
    scheduled.refresh_from_db()
    assert scheduled.status == Message.Status.CANCELLED
