"""The alert inbox (the bell) and the audit log."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import RoleAssignment, User
from wangge.core.models import Alert, AuditEntry
from wangge.core.roles import Role
from wangge.core.services import audit_record, post_alert
from wangge.regions.models import Community, Grid, Street

AFTER_MIDNIGHT = datetime(2026, 3, 1, 16, 1, tzinfo=UTC)  # 00:01 on 2 March in Shanghai


def test_bell_counts_unread_alerts_and_inbox_lists_them(client, world):
    gavin = world.users["gavin"]
    post_alert([gavin], "import", "导入完成", "/people/search/?q=zs")
    post_alert([gavin], "import", "第二条")
    client.force_login(gavin)

    response = client.get(reverse("core:alerts"))

    assert response.status_code == 200
    assert 'data-testid="unread-count">2<' in response.text
    assert "导入完成" in response.text
    assert 'href="/people/search/?q=zs"' in response.text


def test_mark_one_alert_read(client, world):
    gavin = world.users["gavin"]
    first, second = post_alert([gavin], "k", "一"), post_alert([gavin], "k", "二")
    client.force_login(gavin)

    response = client.post(reverse("core:alerts_read"), {"alert": first[0].pk})

    assert response.status_code == 302
    assert Alert.objects.get(pk=first[0].pk).read_at is not None
    assert Alert.objects.get(pk=second[0].pk).read_at is None


def test_mark_all_alerts_read_touches_only_ones_own(client, world):
    gavin, bella = world.users["gavin"], world.users["bella"]
    post_alert([gavin, bella], "k", "给两人")
    post_alert([gavin], "k", "给gavin")
    client.force_login(gavin)

    client.post(reverse("core:alerts_read"))

    assert not Alert.objects.filter(recipient=gavin, read_at__isnull=True).exists()
    assert Alert.objects.filter(recipient=bella, read_at__isnull=True).count() == 1


def test_one_cannot_mark_someone_elses_alert(client, world):
    alert = post_alert([world.users["bella"]], "k", "bella的")[0]
    client.force_login(world.users["gavin"])

    client.post(reverse("core:alerts_read"), {"alert": alert.pk})

    alert.refresh_from_db()
    assert alert.read_at is None


def _other_street_worker() -> User:
    street = Street.objects.create(name="北街道")
    community = Community.objects.create(street=street, name="北社区")
    grid = Grid.objects.create(community=community, name="北网格")
    user = User.objects.create_user(username="nora", password="x")
    RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, grid=grid)
    return user


def test_commander_reads_entries_of_staff_in_her_street_only(client, world):
    # given: gavin (grid A of her street) and nora (another street) each changed something
    audit_record(actor=world.users["gavin"], action="update", target=world.persons["zhang_san"])
    nora = _other_street_worker()
    audit_record(actor=nora, action="update", target_type="people.person", target_label="北某")
    client.force_login(world.users["alice"])

    # when
    response = client.get(reverse("front:audit"))

    # then
    labels = [entry.actor_label for entry in response.context["page"]]
    assert "gavin" in labels
    assert "nora" not in labels


def test_admin_reads_every_entry(client, world):
    nora = _other_street_worker()
    audit_record(actor=nora, action="update", target_type="people.person", target_label="北某")
    client.force_login(world.users["admin"])

    response = client.get(reverse("front:audit"))

    assert "nora" in [entry.actor_label for entry in response.context["page"]]


def test_audit_log_is_closed_to_staff_without_audit(client, world):
    for persona in ("gavin", "carol", "kim", "tracy"):
        client.force_login(world.users[persona])
        assert client.get(reverse("front:audit")).status_code == 403


@time_machine.travel(AFTER_MIDNIGHT, tick=False)
def test_audit_log_filters_by_action_actor_target_and_date(client, world):
    gavin, carol = world.users["gavin"], world.users["carol"]
    zhang = world.persons["zhang_san"]
    audit_record(actor=gavin, action="reveal", target=zhang, changes={"field": "id_number"})
    audit_record(actor=carol, action="update", target=zhang, changes={"note": ["", "新"]})
    old = audit_record(actor=carol, action="export", target_type="people.person")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=10))
    client.force_login(world.users["alice"])

    def actions(**params):
        response = client.get(reverse("front:audit"), params)
        return sorted(entry.action for entry in response.context["page"])

    assert actions(action="reveal") == ["reveal"]
    assert actions(actor="caro") == ["export", "update"]
    assert actions(target=f"people.person:{zhang.pk}") == ["reveal", "update"]
    assert actions(target="张三") == ["reveal", "update"]
    today = timezone.localdate()
    assert "export" not in actions(since=today.isoformat(), until=today.isoformat())
    assert actions(until=(today - timedelta(days=9)).isoformat()) == ["export"]


def test_audit_log_shows_changes_readably(client, world):
    audit_record(
        actor=world.users["carol"],
        action="update",
        target=world.persons["zhang_san"],
        changes={"note": ["旧备注", "新备注"]},
    )
    client.force_login(world.users["alice"])

    response = client.get(reverse("front:audit"))

    assert "旧备注 → 新备注" in response.text


def test_audit_filter_rejects_reversed_dates(client, world):
    client.force_login(world.users["alice"])

    response = client.get(reverse("front:audit"), {"since": "2026-02-02", "until": "2026-01-01"})

    assert "起始日期晚于截止日期" in response.text
    assert list(response.context["page"]) == []
