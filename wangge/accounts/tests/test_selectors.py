from wangge.accounts.models import RoleAssignment, User
from wangge.accounts.selectors import community_workers_of, grid_workers_of
from wangge.core.roles import Role


def test_grid_workers_of_a_small_grid_include_its_big_grids_own_first(world):
    # given a grid worker placed on the small grid A1 only
    small = User.objects.create_user(username="sam", password="x")
    RoleAssignment.objects.create(user=small, role=Role.GRID_WORKER, grid=world.grid_a1)

    # then A1's workers are sam first, then gavin of the big grid A; grid B keeps bella
    workers = grid_workers_of([world.grid_a1.pk, world.grid_b.pk])
    assert workers[world.grid_a1.pk] == [small.pk, world.users["gavin"].pk]
    assert workers[world.grid_b.pk] == [world.users["bella"].pk]


def test_deactivated_staff_are_never_alerted(world):
    carol = world.users["carol"]
    carol.is_active = False
    carol.save()

    assert community_workers_of([world.east.pk]) == {}
