"""包保 reads: the 五包一 / 六包一 team of each household under a measure, with its gaps, and a
household's 四级包保 chain (street, community, grid, building).

A household's team is every active assignment on the household itself or on one of its persons (the
measure's 三包 rows are person assignments). The two schemes name the duties that make a full team:

- 五包一 (seed 001, 笕桥): 街道干部, 社区党组织书记, 网格员, 片医, 片警.
- 六包一 (seed 003, 花园路): 区级领导, 区直单位人员, 街道干部, 社区党组织书记, 片医, 片警.

The 四级 chain reads, for each level, the duties that stand for it (the level's own 包保 duty or
its cadre: 街道包保 or 街道干部, …, 楼栋长) on the household, its persons, its building and its grid
(and the big grid around a small one), nearest first.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.measures.models import PersonMeasure
from wangge.people.models import Assignment, Duty
from wangge.regions.models import Grid, Household

SCHEMES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "five": (
        _("五包一"),
        (Duty.STREET_CADRE, Duty.COMMUNITY_SECRETARY, Duty.GRID_WORKER, Duty.DOCTOR, Duty.POLICE),
    ),
    "six": (
        _("六包一"),
        (
            Duty.DISTRICT_LEADER,
            Duty.DISTRICT_UNIT,
            Duty.STREET_CADRE,
            Duty.COMMUNITY_SECRETARY,
            Duty.DOCTOR,
            Duty.POLICE,
        ),
    ),
}

LEVELS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("street", _("街道"), (Duty.STREET_LEVEL, Duty.STREET_CADRE)),
    ("community", _("社区"), (Duty.COMMUNITY_LEVEL, Duty.COMMUNITY_SECRETARY)),
    ("grid", _("网格"), (Duty.GRID_LEVEL, Duty.GRID_WORKER)),
    ("building", _("楼栋"), (Duty.BUILDING_LEADER,)),
)

# The duties the 包保 forms assign by hand (care, sweeps and units write their own).
BAOBAO_DUTIES = tuple(
    duty for duty in Duty if duty not in (Duty.CARE_GIVER, Duty.SWEEPER, Duty.COBUILDING)
)


@dataclass
class HouseholdTeam:
    household: Household
    persons: list[str]
    members: dict[str, list[Assignment]] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return not self.gaps

    @property
    def slots(self) -> list[tuple[Any, list[Assignment]]]:
        """(duty label, holders) in the scheme's order; an empty list is a gap."""
        return [(Duty(duty).label, rows) for duty, rows in self.members.items()]


def team_rows(household_ids: Iterable[int]) -> QuerySet[Assignment]:
    """Active assignments on these households or on their persons."""
    ids = list(household_ids)
    return (
        Assignment.objects.active()
        .filter(Q(household__in=ids) | Q(person__household__in=ids))
        .select_related("holder_user", "holder_person", "person")
        .order_by("started", "pk")
    )


def household_teams(households: Iterable[Household], scheme: str) -> list[HouseholdTeam]:
    """Each household's team under the scheme's duties, and the duties nobody holds (its gaps)."""
    duties = SCHEMES[scheme][1]
    households = list(households)
    by_household: dict[int, dict[str, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
    for row in team_rows(h.pk for h in households):
        household_id = row.household_id or (row.person.household_id if row.person else None)
        if household_id is not None and row.duty in duties:
            by_household[household_id][row.duty].append(row)
    teams = []
    for household in households:
        members = by_household.get(household.pk, {})
        team = HouseholdTeam(
            household=household,
            persons=getattr(household, "measured_names", []),
            members={duty: members.get(duty, []) for duty in duties},
        )
        team.gaps = [duty for duty in duties if not members.get(duty)]
        teams.append(team)
    return teams


def measured_households(user: User, grid: Grid | None = None) -> list[Household]:
    """Households of the user's area with a person under a measure in force today, each with
    `measured_names`, ordered by grid and dwelling."""
    measures = PersonMeasure.objects.restrict(user, Action.VIEW).active()
    if grid is not None:
        measures = measures.filter(person__household__grid=grid)
    names: dict[int, list[str]] = defaultdict(list)
    for household_id, name in measures.values_list("person__household", "person__name").order_by(
        "person__name_pinyin"
    ):
        if household_id is not None:
            names[household_id].append(name)
    households = list(
        Household.objects.restrict(user, Action.VIEW)
        .filter(pk__in=list(names))
        .select_related("grid__community", "building__compound")
        .order_by("grid__community__name", "grid__name", "building__name", "floor", "room")
    )
    for household in households:
        household.measured_names = names[household.pk]
    return households


@dataclass
class Level:
    code: str
    label: Any
    holders: list[tuple[Assignment, str]]


def chain(household: Household) -> list[Level]:
    """四级包保 of a household: per level, the holders and where each is assigned (户, 人员,
    楼栋, 网格), nearest first."""
    grid_ids = [household.grid_id]
    if household.grid.parent_id:
        grid_ids.append(household.grid.parent_id)
    places = Q(household=household) | Q(person__household=household) | Q(grid__in=grid_ids)
    if household.building_id:
        places |= Q(building=household.building_id)
    rows = (
        Assignment.objects.active()
        .filter(places, duty__in=[d for _c, _l, duties in LEVELS for d in duties])
        .select_related("holder_user", "holder_person", "person")
        .order_by("pk")
    )

    def where(row: Assignment) -> tuple[int, str]:
        if row.household_id:
            return 0, str(_("本户"))
        if row.person_id:
            return 1, str(row.person.name) if row.person else ""
        if row.building_id:
            return 2, str(_("本楼栋"))
        return 3, str(_("本网格"))

    levels = []
    for code, label, duties in LEVELS:
        held = sorted((r for r in rows if r.duty in duties), key=lambda r: where(r)[0])
        levels.append(Level(code, label, [(row, where(row)[1]) for row in held]))
    return levels
