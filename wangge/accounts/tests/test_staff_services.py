import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wangge.accounts import services
from wangge.accounts.models import RoleAssignment, User
from wangge.core.models import AuditEntry
from wangge.core.roles import Role


def fresh(user: User) -> User:
    """The same account without the scopes cached on the object."""
    return User.objects.get(pk=user.pk)


def new_staff(world, by="admin", role=Role.GRID_WORKER, area=None, username="newbie") -> User:
    user, _password = services.staff_create(
        by=world.users[by],
        username=username,
        full_name="新人",
        role=role,
        area=area or world.grid_b,
    )
    return user


def test_staff_in_scope_of_a_community_worker(world):
    visible = User.objects.restrict(world.users["carol"], "manage_staff")

    assert sorted(u.username for u in visible) == ["bella", "carol", "gavin"]


def test_commander_sees_the_street_staff_but_not_admins(world):
    visible = {u.username for u in User.objects.restrict(world.users["alice"], "manage_staff")}

    assert visible == {"alice", "carol", "gavin", "bella", "dora", "kim", "tracy"}


def test_grid_worker_manages_no_one(world):
    gavin = world.users["gavin"]

    assert not User.objects.restrict(gavin, "manage_staff").exists()
    with pytest.raises(PermissionDenied):
        services.staff_create(
            by=gavin, username="x1", full_name="某", role=Role.GRID_WORKER, area=world.grid_a
        )
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(by=gavin, user=world.users["bella"])


def test_staff_create_gives_a_one_time_password_once(world):
    # when
    user, password = services.staff_create(
        by=world.users["carol"],
        username="wangxm",
        full_name="王小明",
        phone="138 0013 8000",
        role=Role.GRID_WORKER,
        area=world.grid_b,
    )

    # then
    assert user.check_password(password)
    assert user.must_change_password is True
    assert user.phone == "13800138000"
    assert password not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert list(user.role_assignments.values_list("role", "grid")) == [
        (Role.GRID_WORKER, world.grid_b.pk)
    ]
    assert set(
        AuditEntry.objects.filter(target_id=str(user.pk)).values_list("action", flat=True)
    ) == {
        "create",
        "permission",
    }


def test_staff_create_refuses_a_taken_username(world):
    with pytest.raises(ValidationError) as caught:
        services.staff_create(
            by=world.users["carol"],
            username="gavin",
            full_name="重名",
            role=Role.GRID_WORKER,
            area=world.grid_b,
        )

    assert "username" in caught.value.message_dict


def test_carol_grants_grid_workers_in_her_community(world):
    assignment = services.role_grant(
        by=world.users["carol"],
        user=world.users["bella"],
        role=Role.GRID_WORKER,
        area=world.grid_a1,
    )

    assert assignment.grid == world.grid_a1
    entry = AuditEntry.objects.get(action="permission", target_id=str(world.users["bella"].pk))
    assert "网格员" in entry.changes["granted"]


def test_carol_cannot_grant_in_the_next_community(world):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=world.users["carol"],
            user=world.users["bella"],
            role=Role.GRID_WORKER,
            area=world.grid_d,
        )
    assert not RoleAssignment.objects.filter(grid=world.grid_d).exists()


@pytest.mark.parametrize("role", [Role.COMMANDER, Role.COMMUNITY_WORKER, Role.TRACER, Role.ADMIN])
def test_carol_cannot_grant_a_role_above_her_own(world, role):
    area = {
        Role.COMMANDER: world.street,
        Role.TRACER: world.street,
        Role.COMMUNITY_WORKER: world.east,
        Role.ADMIN: None,
    }[role]

    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=world.users["carol"], user=world.users["gavin"], role=role, area=area
        )


def test_commander_grants_anything_but_admin_in_the_street(world):
    alice, gavin = world.users["alice"], world.users["gavin"]

    services.role_grant(by=alice, user=gavin, role=Role.COMMANDER, area=world.street)
    services.role_grant(by=alice, user=gavin, role=Role.COMMUNITY_WORKER, area=world.west)
    with pytest.raises(PermissionDenied):
        services.role_grant(by=alice, user=gavin, role=Role.ADMIN, area=None)


def test_admin_grants_admin(world):
    services.role_grant(
        by=world.users["admin"], user=world.users["gavin"], role=Role.ADMIN, area=None
    )

    assert fresh(world.users["gavin"]).role_assignments.filter(role=Role.ADMIN).exists()


@pytest.mark.parametrize(
    "role,area_name",
    [
        (Role.COMMANDER, "east"),
        (Role.GRID_WORKER, "east"),
        (Role.COMMUNITY_WORKER, "grid_a"),
        (Role.ADMIN, "street"),
        (Role.DOCTOR, "street"),
    ],
)
def test_a_role_is_held_on_its_kind_of_area(world, role, area_name):
    with pytest.raises(ValidationError) as caught:
        services.role_grant(
            by=world.users["admin"],
            user=world.users["bella"],
            role=role,
            area=getattr(world, area_name),
        )

    assert "area" in caught.value.message_dict


def test_a_role_is_not_granted_twice(world):
    with pytest.raises(ValidationError):
        services.role_grant(
            by=world.users["carol"],
            user=world.users["gavin"],
            role=Role.GRID_WORKER,
            area=world.grid_a,
        )


def test_no_one_changes_their_own_roles(world):
    alice = world.users["alice"]
    own = alice.role_assignments.get()

    with pytest.raises(PermissionDenied):
        services.role_grant(by=alice, user=alice, role=Role.TRACER, area=world.street)
    with pytest.raises(PermissionDenied):
        services.role_revoke(by=alice, assignment=own)


def test_revoke_is_audited_and_bounded_like_grant(world):
    carol = world.users["carol"]
    kims_role = world.users["kim"].role_assignments.get()  # checkpoint on the street
    gavins_role = world.users["gavin"].role_assignments.get()

    with pytest.raises(PermissionDenied):
        services.role_revoke(by=carol, assignment=kims_role)
    services.role_revoke(by=carol, assignment=gavins_role)

    assert not world.users["gavin"].role_assignments.exists()
    revoked = AuditEntry.objects.filter(action="permission", target_id=str(world.users["gavin"].pk))
    assert "网格员" in revoked.get().changes["revoked"]


def test_deactivate_needs_every_role_of_the_account_to_be_grantable(world):
    carol, gavin = world.users["carol"], world.users["gavin"]
    services.role_grant(by=world.users["alice"], user=gavin, role=Role.TRACER, area=world.street)

    with pytest.raises(PermissionDenied):
        services.staff_deactivate(by=fresh(carol), user=fresh(gavin))
    services.staff_deactivate(by=world.users["alice"], user=gavin)

    assert fresh(gavin).is_active is False
    assert AuditEntry.objects.filter(
        action="permission", target_id=str(gavin.pk), changes__is_active=[True, False]
    ).exists()


def test_no_one_deactivates_themselves(world):
    with pytest.raises(PermissionDenied):
        services.staff_deactivate(by=world.users["alice"], user=world.users["alice"])


def test_a_deactivated_manager_manages_no_one(world):
    carol = world.users["carol"]
    services.staff_deactivate(by=world.users["alice"], user=carol)

    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=fresh(carol), user=world.users["bella"], role=Role.POLICE, area=world.east
        )
