"""The recipients an audience stands for, read set-based: one query over the persons (plain
values, in chunks), one over the opt-outs, one over the robots; never a query per person.

Persons count while they live in the household (在住 or 外出: a person away still has their phone);
a person's address on the person channels is their phone (SMS); residents have no account, so the
in-app and e-mail channels reach staff only. For a colour, one person per household: the head,
else the first adult (18+) with a phone, else the first with a phone; a household whose living
members have no phone is one unreachable row (household, no person); one whose only phones opted
out is left out. A grid's robot is the recipient on a group channel; a grid without a robot of
any chosen group kind is one unreachable row.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wangge.accounts.models import RoleAssignment, assignment_area_condition
from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_phone
from wangge.core.masking import mask_name, mask_phone
from wangge.core.scoping import Scope
from wangge.measures.models import PersonMeasure
from wangge.notify.models import Channel, OptOut, Robot, SavedListEntry
from wangge.notify.models.messages import GROUP_CHANNELS, OPTIONAL_KINDS
from wangge.notify.rendering import salutation
from wangge.people.colour_inputs import LIVING
from wangge.people.models import Person
from wangge.regions.models import Grid, Household
from wangge.regions.models.areas import dwelling_label

CHUNK = 2000
ADULT_YEARS = 18
PERSON_COLUMNS = (
    "pk",
    "name",
    "sex",
    "household_id",
    "household__grid_id",
    "phone_sealed",
    "phone_hash",
    "phone_masked",
    "household__unit",
    "household__room",
    "household__building__name",
    "household__building__compound__name",
    "relation",
    "birth_date",
)
# Kinds whose robots are the area's grids (even empty ones); the others reach the grids where
# their persons live.
AREA_ROBOT_KINDS = frozenset({"street", "community", "grid", "role", "phones"})


@dataclass
class RecipientRow:
    person_id: int | None = None
    household_id: int | None = None
    user_id: int | None = None
    robot_id: int | None = None
    grid_id: int | None = None
    label: str = ""
    phone_sealed: str = ""
    phone_hash: str = ""
    phone_masked: str = ""
    email: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    unreachable: bool = False
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    kind: str
    level: str
    area_id: int
    unit: str
    street_id: int
    target: str
    target_ids: tuple[int, ...]


def grid_family(grid_id: int) -> list[int]:
    """A grid and its small grids, at any depth."""
    found, frontier = {grid_id}, {grid_id}
    while frontier:
        frontier = set(Grid.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return sorted(found)


def area_q(selection: Selection, prefix: str = "household__") -> Q:
    level, pk = selection.level, selection.area_id
    if level == "street":
        return Q(**{f"{prefix}grid__community__street": pk})
    if level == "community":
        return Q(**{f"{prefix}grid__community": pk})
    if level == "grid":
        return Q(**{f"{prefix}grid__in": grid_family(pk)})
    if level == "compound":
        return Q(**{f"{prefix}building__compound": pk})
    if level == "building":
        return Q(**{f"{prefix}building": pk})
    return Q(**{f"{prefix}building": pk, f"{prefix}unit": selection.unit})


def area_grid_ids(selection: Selection) -> list[int]:
    """The grids of the audience's area (a compound, building or unit: those of its households)."""
    level, pk = selection.level, selection.area_id
    if level == "street":
        rows = Grid.objects.filter(community__street=pk)
    elif level == "community":
        rows = Grid.objects.filter(community=pk)
    elif level == "grid":
        return grid_family(pk)
    else:
        return sorted(
            Household.objects.filter(area_q(selection, ""))
            .values_list("grid", flat=True)
            .distinct()
        )
    return sorted(rows.values_list("pk", flat=True))


def persons(selection: Selection) -> QuerySet[Person]:
    """The living persons the audience names (for a colour: the members of its households)."""
    rows = Person.objects.filter(area_q(selection), status__in=LIVING)
    kind = selection.kind
    if kind == "colour":
        return rows.filter(household__colour=selection.target)
    if kind == "tag":
        return rows.filter(tags__in=selection.target_ids)
    if kind == "measure":
        under = PersonMeasure.objects.active(timezone.localdate()).filter(
            measure_type__in=selection.target_ids
        )
        return rows.filter(pk__in=under.values("person"))
    if kind in ("list", "phones"):
        entries = SavedListEntry.objects.filter(
            saved_list__in=selection.target_ids, person__isnull=False
        )
        return rows.filter(pk__in=entries.values("person"))
    return rows


def _opted_out(kind: str) -> set[int]:
    if kind not in OPTIONAL_KINDS:
        return set()
    return set(OptOut.objects.filter(kind=kind).values_list("person", flat=True))


def _adult_born_by(today: date) -> date:
    try:
        return today.replace(year=today.year - ADULT_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - ADULT_YEARS, day=28)


def _address(values: tuple[Any, ...]) -> str:
    unit, room, building, compound = values[8:12]
    return f"{compound}{building}{dwelling_label(unit, room)}"


def _person_row(values: tuple[Any, ...], channels: tuple[str, ...]) -> RecipientRow:
    pk, name, sex, household, grid, sealed, phone_hash, masked = values[:8]
    reachable = ("sms",) if sealed and Channel.SMS in channels else ()
    return RecipientRow(
        person_id=pk,
        household_id=household,
        grid_id=grid,
        label=name[:80],
        phone_sealed=sealed,
        phone_hash=phone_hash,
        phone_masked=masked,
        variables={"称呼": salutation(name, sex), "姓名": mask_name(name), "户": _address(values)},
        unreachable=not reachable,
        channels=reachable,
    )


def _values(rows: QuerySet[Person]) -> Iterator[tuple[Any, ...]]:
    return rows.order_by("household_id", "pk").values_list(*PERSON_COLUMNS).iterator(CHUNK)


def _person_rows(
    selection: Selection, channels: tuple[str, ...], opted_out: set[int]
) -> Iterator[RecipientRow]:
    for values in _values(persons(selection)):
        if values[0] not in opted_out:
            yield _person_row(values, channels)


def _household_choice(members: list[tuple[Any, ...]], opted_out: set[int], born_by: date) -> Any:
    """The member to write to, "unreachable", or None (every phone in it opted out)."""
    phones = [m for m in members if m[5]]
    willing = [m for m in phones if m[0] not in opted_out]
    if not willing:
        return None if phones else "unreachable"
    heads = [m for m in willing if m[12] == Person.Relation.HEAD]
    adults = [m for m in willing if m[13] is not None and m[13] <= born_by]
    return (heads or adults or willing)[0]


def _colour_rows(
    selection: Selection, channels: tuple[str, ...], opted_out: set[int]
) -> Iterator[RecipientRow]:
    born_by = _adult_born_by(timezone.localdate())
    for household, group in groupby(_values(persons(selection)), key=lambda values: values[3]):
        members = list(group)
        choice = _household_choice(members, opted_out, born_by)
        if choice is None:
            continue
        if choice != "unreachable":
            yield _person_row(choice, channels)
            continue
        address = _address(members[0])
        yield RecipientRow(
            household_id=household,
            grid_id=members[0][4],
            label=address[:80],
            variables={"户": address},
            unreachable=True,
        )


def _list_rows(
    selection: Selection, channels: tuple[str, ...], opted_out: set[int], kind: str
) -> Iterator[RecipientRow]:
    """Saved persons (as the register has them now), then bare phones not already reached."""
    seen: set[str] = set()
    for row in _person_rows(selection, channels, opted_out):
        seen.add(row.phone_hash)
        yield row
    if kind in OPTIONAL_KINDS:
        refused = Person.objects.filter(pk__in=OptOut.objects.filter(kind=kind).values("person"))
        seen |= set(refused.exclude(phone_hash="").values_list("phone_hash", flat=True))
    entries = SavedListEntry.objects.filter(
        saved_list__in=selection.target_ids, person__isnull=True
    ).order_by("pk")
    for label, sealed, phone_hash, masked in entries.values_list(
        "label", "phone_sealed", "phone_hash", "phone_masked"
    ).iterator(CHUNK):
        if phone_hash in seen:
            continue
        seen.add(phone_hash)
        reachable = ("sms",) if Channel.SMS in channels else ()
        yield RecipientRow(
            label=(label or masked)[:80],
            phone_sealed=sealed,
            phone_hash=phone_hash,
            phone_masked=masked,
            variables={"称呼": mask_name(label), "姓名": mask_name(label)},
            unreachable=not reachable,
            channels=reachable,
        )


def _staff_scope(selection: Selection) -> Scope:
    if selection.level == "street":
        return Scope(street_ids={selection.area_id})
    if selection.level == "community":
        return Scope(community_ids={selection.area_id})
    return Scope(grid_ids=set(area_grid_ids(selection)))


def _staff_phone(text: str) -> str:
    try:
        return parse_phone(text) if text else ""
    except IdentityError:
        return ""


def _staff_rows(selection: Selection, channels: tuple[str, ...]) -> Iterator[RecipientRow]:
    """Active staff holding the role on the area or inside it, once each."""
    held = RoleAssignment.objects.filter(
        assignment_area_condition(_staff_scope(selection)),
        role=selection.target,
        user__is_active=True,
    ).order_by("user_id", "pk")
    columns = ("user_id", "user__full_name", "user__username", "user__phone", "user__email", "grid")
    for user, group in groupby(held.values_list(*columns), key=lambda values: values[0]):
        _, full_name, username, phone_text, email, grid = next(group)
        phone = _staff_phone(phone_text) if Channel.SMS in channels else ""
        addresses = {"inapp": True, "sms": bool(phone), "email": bool(email)}
        reachable = tuple(c for c in channels if addresses.get(c))
        name = full_name or username
        yield RecipientRow(
            user_id=user,
            grid_id=grid,
            label=name[:80],
            phone_sealed=crypto.seal(phone),
            phone_hash=crypto.blind_index(phone),
            phone_masked=mask_phone(phone),
            email=email if Channel.EMAIL in channels else "",
            variables={"称呼": name, "姓名": name},
            unreachable=not reachable,
            channels=reachable,
        )


def _robot_rows(grid_ids: Iterable[int], kinds: tuple[str, ...]) -> Iterator[RecipientRow]:
    grids = sorted(set(grid_ids))
    robots: dict[int, list[tuple[int, str, str]]] = {}
    for pk, grid, kind, name in (
        Robot.objects.filter(grid__in=grids, kind__in=kinds, active=True)
        .order_by("grid", "kind")
        .values_list("pk", "grid", "kind", "name")
    ):
        robots.setdefault(grid, []).append((pk, kind, name))
    names = {
        pk: f"{community}/{name}"
        for pk, community, name in Grid.objects.filter(pk__in=grids).values_list(
            "pk", "community__name", "name"
        )
    }
    for grid in grids:
        for pk, kind, name in robots.get(grid, []):
            yield RecipientRow(
                robot_id=pk,
                grid_id=grid,
                label=name[:80],
                variables={"称呼": "各位"},
                channels=(kind,),
            )
        if grid not in robots:
            yield RecipientRow(grid_id=grid, label=names.get(grid, "")[:80], unreachable=True)


def rows_for(selection: Selection, channels: tuple[str, ...], kind: str) -> Iterator[RecipientRow]:
    person_channels = tuple(c for c in channels if c not in GROUP_CHANNELS)
    group_channels = tuple(c for c in channels if c in GROUP_CHANNELS)
    grids: set[int] = set()
    if selection.kind in AREA_ROBOT_KINDS and group_channels:
        grids.update(area_grid_ids(selection))
    if person_channels:
        if selection.kind == "role":
            produced = _staff_rows(selection, person_channels)
        elif selection.kind == "colour":
            produced = _colour_rows(selection, person_channels, _opted_out(kind))
        elif selection.kind in ("list", "phones"):
            produced = _list_rows(selection, person_channels, _opted_out(kind), kind)
        else:
            produced = _person_rows(selection, person_channels, _opted_out(kind))
        for row in produced:
            if row.grid_id is not None and selection.kind not in AREA_ROBOT_KINDS:
                grids.add(row.grid_id)
            yield row
    elif group_channels and selection.kind not in AREA_ROBOT_KINDS:
        grids.update(
            persons(selection).values_list("household__grid", flat=True).distinct().order_by()
        )
    if group_channels:
        yield from _robot_rows(grids, group_channels)
