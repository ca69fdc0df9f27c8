"""Both questions of authority, one matrix: every role, held on each level it may be held on, asked
for every action about every level of area (its own and the neighbour's), through `holds`,
`areas_held` and `.restrict()` on households.

The expected answers come from the small tables below, written from the rules as the docs state
them, not from `core.roles` or the code under test.
"""

from dataclasses import dataclass

import pytest

from wangge.accounts.authority import Level, areas_held, holds, user_can
from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Action, Role
from wangge.regions.models import Building, Community, Compound, District, Grid, Household, Street

# What each role may do somewhere (docs/architecture.md, "Roles").
ACTIONS = {
    "admin": {"view", "edit", "reveal", "export", "import", "audit", "manage_staff", "inspect"},
    "commander": {"view", "edit", "reveal", "export", "import", "audit", "manage_staff", "inspect"},
    "community_worker": {"view", "edit", "reveal", "export", "import", "manage_staff", "inspect"},
    "grid_worker": {"view", "edit", "reveal", "inspect"},
    "tracer": {"view", "reveal", "export"},
    "doctor": {"view", "reveal"},
    "police": {"view", "reveal"},
    "checkpoint": set(),
    "inspector": {"inspect"},
}
# Roles whose area is theirs; doctors and police hold none (they see their assigned persons); an
# inspector's area is theirs for the one action they hold.
AREA_ROLES = {"admin", "commander", "community_worker", "grid_worker", "tracer", "inspector"}

# The area tree: name -> (level, parent). "own" areas lie under street s1's community c1's grid g1.
TREE = {
    "d1": ("district", None),
    "d2": ("district", None),
    "s1": ("street", "d1"),
    "s2": ("street", "d1"),
    "c1": ("community", "s1"),
    "c2": ("community", "s1"),
    "c3": ("community", "s2"),
    "g1": ("grid", "c1"),
    "g2": ("grid", "c1"),
    "g3": ("grid", "c2"),
    "g4": ("grid", "c3"),
    "g1a": ("small grid", "g1"),
    "g2a": ("small grid", "g2"),
}
# Where each role is held in the matrix: on every level it may be held on, in the "own" branch.
HOLDINGS = [
    ("admin", None),
    ("commander", "s1"),
    ("community_worker", "c1"),
    ("grid_worker", "g1"),
    ("tracer", "s1"),
    ("doctor", "c1"),
    ("doctor", "g1"),
    ("police", "c1"),
    ("police", "g1"),
    ("checkpoint", "s1"),
    ("checkpoint", "c1"),
    ("checkpoint", "g1"),
    ("inspector", "s1"),
    ("inspector", "c1"),
    ("inspector", "g1"),
]
LEVEL_MODELS: dict[str, Level] = {
    "district": District,
    "street": Street,
    "community": Community,
    "grid": Grid,
}


def _within(area: str, held: str | None) -> bool:
    current: str | None = area
    while current is not None:
        if current == held:
            return True
        current = TREE[current][1]
    return False


def expected_holds(role: str, held: str | None, action: str, area: str) -> bool:
    if action not in ACTIONS[role] or role not in AREA_ROLES:
        return False
    return role == "admin" or _within(area, held)


@dataclass
class Tree:
    areas: dict
    households: dict


def _build_tree() -> Tree:
    areas: dict = {}
    for name, (level, parent) in TREE.items():
        if level == "district":
            areas[name] = District.objects.create(name=name)
        elif level == "street":
            areas[name] = Street.objects.create(name=name, code=f"33078300{name[-1]}")
            areas[name].district = areas[parent]
            areas[name].save()
        elif level == "community":
            areas[name] = Community.objects.create(street=areas[parent], name=name)
        elif level == "grid":
            areas[name] = Grid.objects.create(community=areas[parent], name=name)
        else:
            big = areas[parent]
            areas[name] = Grid.objects.create(community=big.community, name=name, parent=big)
    households = {}
    for name, (level, _parent) in TREE.items():
        if level in ("grid", "small grid"):
            grid = areas[name]
            compound, _ = Compound.objects.get_or_create(community=grid.community, name="苑")
            building = Building.objects.create(compound=compound, grid=grid, name=f"{name}幢")
            households[name] = Household.objects.create(
                building=building, grid=grid, unit="1", floor=1, room="101"
            )
    return Tree(areas, households)


def _holder(tree: Tree, role: str, held: str | None) -> User:
    user = User.objects.create_user(username=f"{role}-{held}", password="x")
    area = tree.areas.get(held)
    level = TREE[held][0] if held else None
    fields: dict[str | None, str] = {"street": "street", "community": "community", "grid": "grid"}
    field = fields.get(level)
    RoleAssignment.objects.create(user=user, role=role, **({field: area} if field else {}))
    return user


def test_the_tables_cover_every_role_and_action():
    assert set(ACTIONS) == set(Role.values)
    assert {role for role, _ in HOLDINGS} == set(Role.values)
    assert all(actions <= set(Action.values) for actions in ACTIONS.values())


def _wrong_answers(tree: Tree, user: User, role: str, held: str | None, action: str) -> list:
    wrong = []
    for name, area in tree.areas.items():
        want = expected_holds(role, held, action, name)
        if holds(user, action, area) != want:
            wrong.append(f"holds {name}: expected {want}")

    for level, model in LEVEL_MODELS.items():
        levels = {level, "small grid"} if level == "grid" else {level}
        want_areas = {
            name
            for name, (lv, _) in TREE.items()
            if lv in levels and expected_holds(role, held, action, name)
        }
        got = {area.name for area in areas_held(user, action, model)}
        if got != want_areas:
            wrong.append(f"areas_held {level}: expected {sorted(want_areas)}, got {sorted(got)}")

    want_rows = {name for name in tree.households if expected_holds(role, held, action, name)}
    visible = set(Household.objects.restrict(user, action).values_list("pk", flat=True))
    got = {name for name, household in tree.households.items() if household.pk in visible}
    if got != want_rows:
        wrong.append(f"restrict households: expected {sorted(want_rows)}, got {sorted(got)}")

    somewhere = action in ACTIONS[role] and role != "checkpoint"
    if user_can(user, action) != somewhere:
        wrong.append(f"user_can somewhere: expected {somewhere}")

    everywhere = role == "admin" and action in ACTIONS[role]
    if holds(user, action, None) != everywhere:
        wrong.append(f"holds the whole deployment: expected {everywhere}")
    return [f"{action}: {answer}" for answer in wrong]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "held"), HOLDINGS, ids=[f"{r}@{h}" for r, h in HOLDINGS])
def test_authority_matrix(role, held):
    """Every action, asked in one test per holding: building the tree dominates the time."""
    tree = _build_tree()
    user = _holder(tree, role, held)

    wrong = [
        answer
        for action in Action.values
        for answer in _wrong_answers(tree, user, role, held, action)
    ]

    assert not wrong, wrong


@pytest.mark.django_db
def test_an_inactive_or_anonymous_user_holds_nothing():
    from django.contrib.auth.models import AnonymousUser

    tree = _build_tree()
    commander = _holder(tree, "commander", "s1")
    commander.is_active = False
    commander.save()

    for user in (commander, AnonymousUser(), None):
        assert not holds(user, "view", tree.areas["s1"])
        assert not areas_held(user, "view", Street).exists()
        assert not user_can(user, "view")


@pytest.mark.django_db
def test_a_superuser_holds_everything():
    tree = _build_tree()
    root = User.objects.create_superuser(username="root", password="x")

    assert all(
        holds(root, action, area) for action in Action.values for area in tree.areas.values()
    )
    assert areas_held(root, "audit", District).count() == 2
    assert holds(root, "manage_staff", None)
