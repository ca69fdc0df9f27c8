"""Areas named by a path from the street down, and who may address them.

Names repeat (every community has its 第一网格), so an audience names an area by its path:
`东社区`, `东社区/第一网格`, `东社区/阳光花园`, `东社区/阳光花园/3幢`, `东社区/阳光花园/3幢/2单元`.
A shorter path is read as the end of a full one ("第一网格" finds every grid of that name); a path
that finds none or several raises AudienceError with the candidate paths. Among several, the ones
the user may address win: a grid worker who writes "第一网格" means their own.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wangge.accounts.authority import holds, scope_for
from wangge.core.identity import normalise_text
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

LEVELS = ("street", "community", "grid", "compound", "building", "unit")
LEVEL_LABELS = {
    "street": ("街道", "street"),
    "community": ("社区", "community"),
    "grid": ("网格", "grid"),
    "compound": ("小区", "compound"),
    "building": ("楼栋", "building"),
    "unit": ("单元", "unit"),
}
MAX_CANDIDATES = 20


class AudienceError(ValueError):
    """An audience that cannot be used: the message says why (Chinese / English); `candidates`
    lists what the value may have meant; `code` is stable for API clients."""

    def __init__(self, message: str, candidates: Iterable[str] = (), code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)
        self.code = code


@dataclass(frozen=True)
class Place:
    """One area: its level, its row (a unit is its building's row and the unit as stored), its
    path, and the areas that hold it."""

    level: str
    id: int
    path: str
    street_id: int
    community_id: int | None = None
    grid_ids: tuple[int, ...] = ()  # the grids it lies in (a compound may span several)
    unit: str = ""
    segments: tuple[str, ...] = field(default=(), compare=False)

    @property
    def narrowest(self) -> tuple[int | None, int | None]:
        """(community, grid) of the narrowest area holding this place."""
        grid = self.grid_ids[0] if len(self.grid_ids) == 1 and self.level != "community" else None
        return self.community_id, grid


def segment(text: str) -> str:
    return normalise_text(text).replace(" ", "")


def _unit_key(text: str) -> str:
    return text[:-2] if text.endswith("单元") else text


def split_path(value: str) -> list[str]:
    return [segment(part) for part in normalise_text(value).replace("／", "/").split("/") if part]


def street_choose(name: str | None, by: Any) -> Street:
    """The street an audience is drawn from: the one named, the only one, or the only one the
    user works in; AudienceError listing the streets otherwise."""
    streets = list(Street.objects.order_by("name"))
    names = [street.name for street in streets]
    if name:
        found = [street for street in streets if street.name == segment(name)]
        if not found:
            raise AudienceError(
                f"没有名为“{name}”的街道 / no street named '{name}'", names, "not_found"
            )
        return found[0]
    if len(streets) == 1:
        return streets[0]
    if by is not None:
        mine = [street for street in streets if _touches(by, street)]
        if len(mine) == 1:
            return mine[0]
    raise AudienceError("有多个街道，请指定街道 / several streets: name one", names, "ambiguous")


def _touches(by: Any, street: Street) -> bool:
    scope = scope_for(by, "view")
    return (
        scope.everything
        or street.pk in scope.street_ids
        or Community.objects.filter(street=street, pk__in=sorted(scope.community_ids)).exists()
        or Grid.objects.filter(community__street=street, pk__in=sorted(scope.grid_ids)).exists()
    )


def _places(level: str, street: Street, last: str) -> list[Place]:
    """Every place of `level` in the street (units: only those named like `last`)."""
    s = street.pk
    if level == "street":
        return [Place("street", s, street.name, s, segments=(segment(street.name),))]
    if level == "community":
        rows = Community.objects.filter(street=street).values_list("pk", "name")
        return [Place("community", pk, name, s, pk, segments=(name,)) for pk, name in rows]
    if level == "grid":
        grids = Grid.objects.filter(community__street=street)
        return [
            Place("grid", pk, f"{c}/{name}", s, cid, (pk,), segments=(c, name))
            for pk, name, cid, c in grids.values_list("pk", "name", "community", "community__name")
        ]
    if level == "compound":
        spans: dict[int, set[int]] = {}
        for compound, grid in Building.objects.filter(
            compound__community__street=street
        ).values_list("compound", "grid"):
            spans.setdefault(compound, set()).add(grid)
        rows = Compound.objects.filter(community__street=street).values_list(
            "pk", "name", "community", "community__name"
        )
        return [
            Place(
                "compound",
                pk,
                f"{c}/{n}",
                s,
                cid,
                tuple(sorted(spans.get(pk, ()))),
                segments=(c, n),
            )
            for pk, n, cid, c in rows
        ]
    if level == "building":
        rows = Building.objects.filter(compound__community__street=street).values_list(
            "pk",
            "name",
            "grid",
            "compound__name",
            "compound__community",
            "compound__community__name",
        )
        return [
            Place("building", pk, f"{c}/{o}/{n}", s, cid, (g,), segments=(c, o, n))
            for pk, n, g, o, cid, c in rows
        ]
    key = _unit_key(last)
    rows = (
        Household.objects.filter(
            building__compound__community__street=street, unit__in=[key, f"{key}单元"]
        )
        .values_list(
            "building",
            "unit",
            "building__grid",
            "building__name",
            "building__compound__name",
            "building__compound__community",
            "building__compound__community__name",
        )
        .order_by()
        .distinct()
    )
    return [
        Place("unit", b, f"{c}/{o}/{n}/{_unit_key(u)}单元", s, cid, (g,), u, (c, o, n, key))
        for b, u, g, n, o, cid, c in rows
    ]


def _matches(place: Place, given: Sequence[str]) -> bool:
    full = place.segments
    if place.level == "unit":
        given = [*given[:-1], _unit_key(given[-1])]
    return len(given) <= len(full) and tuple(full[len(full) - len(given) :]) == tuple(given)


def place_held(by: Any, place: Place) -> bool:
    """Whether `by` may address the place: None (the system) everything; a user holds "view" on
    it (a compound: on its community, or on every grid it spans). Asked of `holds` with the rows
    the place already knows, so no query is made."""
    if by is None:
        return True
    if place.level == "street":
        return holds(by, "view", Street(pk=place.id))
    community = Community(pk=place.community_id, street_id=place.street_id)
    if holds(by, "view", community):
        return True
    if place.level == "community" or not place.grid_ids:
        return False
    return all(holds(by, "view", Grid(pk=grid, community=community)) for grid in place.grid_ids)


def place_find(
    value: str, street: Street, by: Any, levels: Sequence[str], label: tuple[str, str]
) -> Place:
    """The one place of one of `levels` that `value` names; AudienceError with candidates."""
    given = split_path(value)
    if len(given) > 1 and given[0] == segment(street.name):
        given = given[1:]
    if not given:
        raise AudienceError(f"缺少{label[0]} / missing {label[1]}", code="invalid")
    places = [p for level in levels for p in _places(level, street, given[-1])]
    found = [p for p in places if _matches(p, given)]
    exact = [p for p in found if len(p.segments) == len(given)]
    found = exact or found
    if len(found) > 1 and by is not None:
        found = [p for p in found if place_held(by, p)] or found
    if len(found) == 1:
        place = found[0]
        if not place_held(by, place):
            raise AudienceError(
                f"您无权向“{place.path}”发送通知 / you may not address '{place.path}'",
                code="forbidden",
            )
        return place
    if found:
        raise AudienceError(
            f"“{value}”对应多个{label[0]}，请写出完整路径 / '{value}' names several: give the path",
            _candidates(found, levels),
            "ambiguous",
        )
    near = _near(places, given)
    near = [p for p in near if place_held(by, p)] if by is not None else near
    raise AudienceError(
        f"找不到{label[0]}“{value}” / no {label[1]} '{value}'",
        _candidates(near, levels),
        "not_found",
    )


def _near(places: Sequence[Place], given: Sequence[str]) -> list[Place]:
    """What a path that found nothing may have meant: the places under the same parent, those
    whose name holds the name given (or is held by it), else every place of the level."""
    parent = tuple(given[:-1])
    if parent:
        siblings = [
            p for p in places if p.segments[:-1][len(p.segments) - 1 - len(parent) :] == parent
        ]
        if siblings:
            return siblings
    named = [p for p in places if given[-1] in p.segments[-1] or p.segments[-1] in given[-1]]
    return named or list(places)


def _candidates(places: Sequence[Place], levels: Sequence[str]) -> list[str]:
    named = [f"{p.level}:{p.path}" if len(levels) > 1 else p.path for p in places]
    return sorted(named)[:MAX_CANDIDATES]


def own_place(by: Any, street: Street) -> Place:
    """The one area a user works in (their street, community or grid) for an audience that names
    none; AudienceError when they hold none there, or several (they must name one with @)."""
    if by is None or scope_for(by, "view").everything or holds(by, "view", street):
        return _places("street", street, "")[0]
    scope = scope_for(by, "view")
    communities = [p for p in _places("community", street, "") if p.id in scope.community_ids]
    held = {p.id for p in communities}
    grids = [
        p
        for p in _places("grid", street, "")
        if p.id in scope.grid_ids and p.community_id not in held
    ]
    tops = {p.id for p in grids}
    parents = dict(Grid.objects.filter(pk__in=tops).values_list("pk", "parent"))
    grids = [p for p in grids if parents.get(p.id) not in tops]
    mine = communities + grids
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise AudienceError(
            f"您在{street.name}没有可发送通知的区域 / you hold no area in {street.name}",
            code="forbidden",
        )
    raise AudienceError(
        "您负责多个区域，请用@指定区域 / you hold several areas: name one with @",
        _candidates(mine, ["community", "grid"]),
        "ambiguous",
    )
