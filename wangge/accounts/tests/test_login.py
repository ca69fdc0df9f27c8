from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from wangge.core.models import AuditEntry

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_is_chinese_and_mobile_ready(client, world):
    response = client.get(LOGIN)

    html = response.content.decode()
    assert response.status_code == 200
    assert "登录" in html
    assert 'name="viewport"' in html
    assert "csrfmiddlewaretoken" in html


def test_login_redirects_home_and_is_audited(client, world):
    response = sign_in(client, "gavin")

    assert response.status_code == 302
    assert response.url == reverse("front:home")
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == world.users["gavin"]


def test_failed_login_is_audited_under_the_typed_username(client, world):
    response = sign_in(client, "gavin", "wrong-Password-1")

    assert response.status_code == 422
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.actor is None
    assert entry.actor_label == "gavin"
    assert entry.target_id == str(world.users["gavin"].pk)


def test_logout_needs_post_and_is_audited(client, world):
    client.force_login(world.users["gavin"])

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="logout", actor=world.users["gavin"]).count() == 1
    assert client.get(reverse("front:home")).status_code == 302


def test_login_form_is_csrf_protected(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": "gavin", "password": PASSWORD})

    assert response.status_code == 403


def test_five_failures_lock_the_account_and_say_when_to_retry(client, world):
    # given four failures at 16:00 Beijing time, the fifth locks
    with time_machine.travel(datetime(2026, 3, 2, 8, 0, tzinfo=UTC), tick=False):
        for _ in range(4):
            assert sign_in(client, "gavin", "Wrong-pass-1").status_code == 422

        # when
        locked = sign_in(client, "gavin", "Wrong-pass-1")

    # then the lockout page names the time (cool-off 30 minutes), in Chinese and English
    html = locked.content.decode()
    assert locked.status_code == 429
    assert settings.AXES_COOLOFF_TIME == 0.5
    assert "2026-03-02 16:30" in html
    assert "账号已锁定" in html and "Account locked" in html
    # and even the right password is refused until the cool-off ends
    with time_machine.travel(datetime(2026, 3, 2, 8, 29, tzinfo=UTC), tick=False):
        assert sign_in(client, "gavin").status_code == 429
    assert "_auth_user_id" not in client.session
    # the other accounts behind the same address still sign in
    assert sign_in(Client(), "bella").status_code == 302


def test_lock_lifts_after_the_cool_off(client, world):
    for _ in range(5):
        sign_in(client, "gavin", "Wrong-pass-1")

    later = timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(Client(), "gavin").status_code == 302


def test_first_login_forces_a_password_change(client, world):
    gavin = world.users["gavin"]
    gavin.must_change_password = True
    gavin.save()

    response = sign_in(client, "gavin")
    assert client.get(response.url).url == reverse("accounts:password_change")
    assert client.get("/people/search/?q=zs").url == reverse("accounts:password_change")

    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Grid-A-2027!",
            "new_password2": "Grid-A-2027!",
        },
    )

    assert changed.status_code == 302
    gavin.refresh_from_db()
    assert gavin.must_change_password is False
    assert gavin.password_changed_at is not None
    assert gavin.check_password("Grid-A-2027!")
    assert client.get(reverse("front:home")).status_code == 200  # still signed in
    assert AuditEntry.objects.filter(action="update", target_id=str(gavin.pk)).exists()


def test_password_change_refuses_a_weak_password(client, world):
    gavin = world.users["gavin"]
    gavin.must_change_password = True
    gavin.save()
    client.force_login(gavin)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "password1", "new_password2": "password1"},
    )

    assert response.status_code == 422
    gavin.refresh_from_db()
    assert gavin.must_change_password is True


def test_session_ends_after_thirty_idle_minutes(client, world):
    client.force_login(world.users["gavin"])
    home = reverse("front:home")
    assert client.get(home).status_code == 200

    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        response = client.get(home)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_activity_keeps_the_session_alive(client, world):
    client.force_login(world.users["gavin"])
    home = reverse("front:home")
    start = timezone.now()

    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(home).status_code == 200


def test_session_cookie_ends_with_the_browser(client, world):
    response = sign_in(client, "gavin")

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]
