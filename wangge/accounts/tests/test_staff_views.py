from django.urls import reverse

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Role


def signed_in(client, user):
    client.force_login(user)
    return client


def test_staff_list_shows_the_community_workers_staff_only(client, world):
    response = signed_in(client, world.users["carol"]).get(reverse("accounts:staff_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Gavin" in html and "Bella" in html
    assert "Alice" not in html and "Dora" not in html


def test_grid_worker_cannot_open_staff_pages(client, world):
    signed_in(client, world.users["gavin"])

    for name in ("accounts:staff_list", "accounts:staff_create", "accounts:staff_import"):
        assert client.get(reverse(name)).status_code == 403
    assert (
        client.get(reverse("accounts:staff_detail", args=[world.users["bella"].pk])).status_code
        == 403
    )


def test_staff_outside_scope_is_not_found(client, world):
    signed_in(client, world.users["carol"])

    assert (
        client.get(reverse("accounts:staff_detail", args=[world.users["dora"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts:staff_detail", args=[world.users["bella"].pk])).status_code
        == 200
    )


def test_create_shows_the_one_time_password_once(client, world):
    signed_in(client, world.users["carol"])
    form = client.get(reverse("accounts:staff_create")).content.decode()
    assert f"grid:{world.grid_d.pk}" not in form  # 西社区's grid is not offered
    assert f'value="{Role.COMMANDER}"' not in form

    response = client.post(
        reverse("accounts:staff_create"),
        {
            "username": "wangxm",
            "full_name": "王小明",
            "phone": "",
            "role": Role.GRID_WORKER,
            "area": f"grid:{world.grid_b.pk}",
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = response.context["password"]
    assert password in response.content.decode()
    assert User.objects.get(username="wangxm").check_password(password)


def test_create_rejects_an_area_outside_scope(client, world):
    signed_in(client, world.users["carol"])

    response = client.post(
        reverse("accounts:staff_create"),
        {
            "username": "x2",
            "full_name": "某",
            "role": Role.GRID_WORKER,
            "area": f"grid:{world.grid_d.pk}",
        },
    )

    assert response.status_code == 422
    assert not User.objects.filter(username="x2").exists()


def test_grant_and_revoke_through_the_page(client, world):
    signed_in(client, world.users["carol"])
    bella = world.users["bella"]
    detail = reverse("accounts:staff_detail", args=[bella.pk])

    granted = client.post(
        reverse("accounts:staff_grant", args=[bella.pk]),
        {"role": Role.POLICE, "area": f"community:{world.east.pk}"},
    )
    assert granted.status_code == 302 and granted.url == detail
    assignment = RoleAssignment.objects.get(user=bella, role=Role.POLICE)

    revoked = client.post(reverse("accounts:staff_revoke", args=[bella.pk, assignment.pk]))
    assert revoked.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_grant_of_a_forbidden_role_is_refused_by_the_form(client, world):
    signed_in(client, world.users["carol"])
    bella = world.users["bella"]

    response = client.post(
        reverse("accounts:staff_grant", args=[bella.pk]),
        {"role": Role.COMMANDER, "area": f"street:{world.street.pk}"},
    )

    assert response.status_code == 422
    assert not RoleAssignment.objects.filter(user=bella, role=Role.COMMANDER).exists()


def test_grant_on_the_wrong_level_shows_the_reason(client, world):
    signed_in(client, world.users["carol"])
    bella = world.users["bella"]

    response = client.post(
        reverse("accounts:staff_grant", args=[bella.pk]),
        {"role": Role.GRID_WORKER, "area": f"community:{world.east.pk}"},
    )

    assert response.status_code == 422
    assert "网格员须分配在" in response.content.decode()


def test_deactivate_and_unlock_through_the_page(client, world):
    from django.test import Client

    bella = world.users["bella"]
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "bella", "password": "Wrong-pass-1"})
    signed_in(client, world.users["carol"])
    detail = client.get(reverse("accounts:staff_detail", args=[bella.pk]))
    assert detail.context["locked"] is True

    client.post(reverse("accounts:staff_unlock", args=[bella.pk]))
    assert client.get(reverse("accounts:staff_detail", args=[bella.pk])).context["locked"] is False
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "bella", "password": "Demo-Pass-2026"})
        .status_code
        == 302
    )

    client.post(reverse("accounts:staff_deactivate", args=[bella.pk]))
    bella.refresh_from_db()
    assert bella.is_active is False
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "bella", "password": "Demo-Pass-2026"})
        .status_code
        == 422
    )


def test_staff_pages_render_on_a_phone_layout(client, world):
    signed_in(client, world.users["alice"])

    for url in (
        reverse("accounts:staff_list"),
        reverse("accounts:staff_create"),
        reverse("accounts:staff_detail", args=[world.users["gavin"].pk]),
        reverse("accounts:staff_import"),
        reverse("accounts:tokens"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="viewport"' in response.content.decode()


def test_an_area_must_be_chosen_and_admin_holds_no_area(client, world):
    signed_in(client, world.users["admin"])
    gavin = world.users["gavin"]

    missing = client.post(
        reverse("accounts:staff_grant", args=[gavin.pk]), {"role": Role.ADMIN, "area": ""}
    )
    granted = client.post(
        reverse("accounts:staff_grant", args=[gavin.pk]), {"role": Role.ADMIN, "area": "all"}
    )

    assert missing.status_code == 422
    assert granted.status_code == 302
    assert RoleAssignment.objects.filter(
        user=gavin, role=Role.ADMIN, street=None, community=None, grid=None
    ).exists()


def test_staff_forms_are_csrf_protected(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["carol"])
    bella = world.users["bella"]

    response = client.post(
        reverse("accounts:staff_grant", args=[bella.pk]),
        {"role": Role.POLICE, "area": f"community:{world.east.pk}"},
    )

    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=bella, role=Role.POLICE).exists()
