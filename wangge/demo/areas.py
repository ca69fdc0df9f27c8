"""The demo street's places: 8 communities, their grids, compounds, buildings and dwellings.

A community holds compounds of high-rise towers (18–33 floors, 2–4 units, 2–4 flats a floor) and
older low-rise blocks (5–7 floors, 2 flats a floor). Buildings are dealt to grids in order, so a
compound may span grids; a grid holds about 500 households, and a community with many grids has
one big grid with small grids (微网格) inside.
"""

import random
from dataclasses import dataclass, field

from faker import Faker

from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

STREET_NAME = "江南街道"
STREET_CODE = "330783002"
COMMUNITY_NAMES = (
    "春晓社区",
    "滨江社区",
    "南苑社区",
    "东湖社区",
    "望江社区",
    "清波社区",
    "西园社区",
    "北岸社区",
)
HOUSEHOLDS_PER_PERSON = 30_000 / 80_000
HOUSEHOLDS_PER_GRID = 500

_PREFIXES = [
    "阳光",
    "锦绣",
    "翡翠",
    "金色",
    "东方",
    "江景",
    "滨江",
    "望江",
    "春江",
    "桂花",
    "梧桐",
    "香樟",
    "和谐",
    "幸福",
    "绿城",
    "丽水",
    "银湖",
    "凤凰",
    "文华",
    "紫荆",
    "嘉禾",
    "御景",
    "明珠",
    "碧水",
    "青山",
    "新城",
    "怡和",
    "康乐",
    "清溪",
    "天和",
    "瑞景",
    "金桂",
    "玉兰",
    "荷花",
    "海棠",
    "悦江",
    "云栖",
    "万象",
    "翠苑",
    "枫林",
    "兰亭",
    "九龙",
    "龙山",
    "白云",
    "锦江",
    "星河",
    "朝阳",
    "秀水",
]
_HIGH_SUFFIXES = ("花园", "家园", "名苑", "华府", "华庭", "雅苑", "尚城", "公馆")
_LOW_SUFFIXES = ("新村", "小区", "坊", "苑", "里", "公寓")
_NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (enough for grid names)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return f"{'' if tens == 1 else _NUMERALS[tens]}十{_NUMERALS[ones] if ones else ''}"


@dataclass
class BuildingPlan:
    building: Building
    dwellings: list[tuple[str, int, str]]  # (unit, floor, room)


@dataclass
class CommunityPlan:
    community: Community
    buildings: list[BuildingPlan] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)  # leaf grids, in order

    @property
    def dwelling_count(self) -> int:
        return sum(len(plan.dwellings) for plan in self.buildings)


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers in proportion to `weights` that add up to `total` (largest remainder)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True):
        if sum(parts) == total:
            break
        parts[index] += 1
    return parts


class AreaBuilder:
    def __init__(self, rng: random.Random, fake: Faker):
        self.rng = rng
        self.fake = fake
        self.compound_names: set[str] = set()

    def street(self) -> Street:
        return Street.objects.create(name=STREET_NAME, code=STREET_CODE)

    def communities(self, street: Street, households: int) -> list[CommunityPlan]:
        weights = [self.rng.uniform(0.7, 1.3) for _ in COMMUNITY_NAMES]
        communities = Community.objects.bulk_create(
            Community(street=street, name=name, code=f"{street.code}{index:03d}")
            for index, name in enumerate(COMMUNITY_NAMES, start=1)
        )
        plans = []
        for community, target in zip(communities, _split(households, weights), strict=True):
            plan = CommunityPlan(community)
            self._compounds(plan, target)
            plans.append(plan)
        return plans

    def _compound_name(self, high_rise: bool) -> str:
        suffixes = _HIGH_SUFFIXES if high_rise else _LOW_SUFFIXES
        while True:
            name = self.rng.choice(_PREFIXES) + self.rng.choice(suffixes)
            if name not in self.compound_names:
                self.compound_names.add(name)
                return name

    def _compounds(self, plan: CommunityPlan, target: int) -> None:
        remaining = target
        while remaining > 0:
            high_rise = remaining >= 150 and self.rng.random() < 0.5
            compound = Compound.objects.create(
                community=plan.community,
                name=self._compound_name(high_rise),
                address=f"{self.fake.street_name()}{self.rng.randint(1, 399)}号",
            )
            count = self.rng.randint(4, 12) if high_rise else self.rng.randint(6, 20)
            for number in range(1, count + 1):
                if remaining <= 0:
                    break
                building_plan = self._building(compound, number, high_rise)
                building_plan.dwellings = building_plan.dwellings[:remaining]
                building_plan.building.floors = max(f for _, f, _ in building_plan.dwellings)
                remaining -= len(building_plan.dwellings)
                plan.buildings.append(building_plan)

    def _building(self, compound: Compound, number: int, high_rise: bool) -> BuildingPlan:
        rng = self.rng
        floors = rng.randint(18, 33) if high_rise else rng.randint(5, 7)
        units = rng.randint(2, 4)
        per_floor = rng.randint(2, 4) if high_rise else 2
        dwellings = [
            (str(unit), floor, f"{floor}{flat:02d}")
            for floor in range(1, floors + 1)
            for unit in range(1, units + 1)
            for flat in range(1, per_floor + 1)
        ]
        building = Building(compound=compound, name=f"{number}幢", units=units, floors=floors)
        return BuildingPlan(building, dwellings)

    def grids(self, plan: CommunityPlan) -> None:
        """Leaf grids of ~500 households; with five or more, the last few may form a big grid."""
        leaves = max(1, min(round(plan.dwelling_count / HOUSEHOLDS_PER_GRID), len(plan.buildings)))
        small = self.rng.choice((2, 3)) if leaves >= 5 and self.rng.random() < 0.5 else 0
        community = plan.community
        top = [
            Grid(community=community, name=f"第{chinese_number(i)}网格")
            for i in range(1, leaves - small + 1)
        ]
        if small:
            big = Grid.objects.create(
                community=community, name=f"第{chinese_number(leaves - small + 1)}网格"
            )
            top += [
                Grid(community=community, parent=big, name=f"{big.name}{i}号微网格")
                for i in range(1, small + 1)
            ]
        plan.grids = Grid.objects.bulk_create(top)
        sizes = _split(plan.dwelling_count, [1.0] * leaves)
        grid_index, filled = 0, 0
        for building_plan in plan.buildings:
            if filled >= sizes[grid_index] and grid_index < leaves - 1:
                grid_index, filled = grid_index + 1, 0
            building_plan.building.grid = plan.grids[grid_index]
            filled += len(building_plan.dwellings)

    def households(self, plans: list[CommunityPlan]) -> list[Household]:
        """Save buildings, then every dwelling as a household (kinds are set by the caller)."""
        buildings = [bp for plan in plans for bp in plan.buildings]
        Building.objects.bulk_create([bp.building for bp in buildings], batch_size=1000)
        households = [
            Household(
                building=bp.building, grid=bp.building.grid, unit=unit, floor=floor, room=room
            )
            for bp in buildings
            for unit, floor, room in bp.dwellings
        ]
        return households
