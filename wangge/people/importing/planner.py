"""Deciding what each row does — created, updated, unchanged or rejected — before anything is written.

The counting rules (issue 3, "Counting, decided"): every non-blank data row counts exactly once.
A person new to the deployment → created; a known ID whose fields differ → updated; a known ID with
nothing new, or a row identical to an earlier row of the file → unchanged. Rows sharing an ID but
differing in name or household are all rejected (neither can be trusted); a known ID registered
under another name is rejected (fix by hand); an ID registered where the importer cannot see is
rejected and that community alerted. Rows sharing an ID, name and household apply in file order,
each counted against the state the earlier one left.

Matching is set-based: existing persons are looked up by blind index in chunks, their tags in one
query per chunk. "Differs" compares normalised values: hashes for ID and phone, tag code sets, and
household identity.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from wangge.core.roles import Action
from wangge.people.importing.areas import AreaIndex, HouseholdRef
from wangge.people.importing.rows import IdKey, ParsedRow, PlaceKey, Rejection, RowWarning
from wangge.people.importing.snapshot import state_digest
from wangge.people.models import Person

CHUNK = 500
PHONES = (4, 5)  # positions of phone_hash and second_phone_hash among the stored facts below
Labels = Callable[[str], str]  # field → its column header as the file writes it
PARTY_MEMBER = "party_member"
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
WARNINGS = "warnings"  # rows imported with a warning; each also counts in one of the four above


@dataclass(slots=True)
class PersonState:
    """The comparable facts of a person; equal states mean "nothing new"."""

    name: str
    sex: str
    birth_date: date | None
    ethnicity: str
    phone_hash: str
    second_phone_hash: str
    residence_type: str
    relation: str
    native_place: str
    note: str
    tags: frozenset[str]
    household: HouseholdRef


@dataclass(slots=True)
class StoredPerson:
    pk: int
    state: PersonState
    community_id: int | None
    visible: bool = False


@dataclass(slots=True)
class PersonChange:
    """A person to create (pk None) or update, with the final state the file leaves."""

    pk: int | None
    id_key: IdKey
    id_number: str
    state: PersonState
    phone: str | None  # plain, for sealing; None keeps the stored phone
    second_phone: str | None = None
    before: PersonState | None = None


@dataclass
class Plan:
    areas: AreaIndex
    counts: dict[str, int]
    rejections: list[Rejection]
    creates: list[PersonChange]
    updates: list[PersonChange]
    new_households: dict[PlaceKey, ParsedRow]  # the first accepted row that names each
    rental_places: set[PlaceKey]
    landlords: dict[HouseholdRef, IdKey]
    stored_pks: dict[IdKey, int] = field(default_factory=dict)
    alerts: dict[int, list[str]] = field(default_factory=dict)  # community → ID tails
    warnings: list[RowWarning] = field(default_factory=list)
    read_keys: set[IdKey] = field(default_factory=set)  # the IDs looked up in the database
    digest: str = ""  # of what the plan read (snapshot.state_digest)


def merged(state: PersonState | None, row: ParsedRow, household: HouseholdRef) -> PersonState:
    """The state after applying `row`: blank cells keep what is stored, defaults for a new person."""
    if state is None:
        state = PersonState(
            name=row.name,
            sex="",
            birth_date=None,
            ethnicity="",
            phone_hash="",
            second_phone_hash="",
            residence_type=Person.ResidenceType.REGISTERED,
            relation=Person.Relation.HEAD if row.is_landlord else Person.Relation.OTHER,
            native_place="",
            note="",
            tags=frozenset(),
            household=household,
        )
    tags = row.tags if row.tags is not None else state.tags
    if row.party_member is not None:
        tags = tags | {PARTY_MEMBER} if row.party_member else tags - {PARTY_MEMBER}
    return PersonState(
        name=row.name,
        sex=row.sex or state.sex,
        birth_date=row.birth_date or state.birth_date,
        ethnicity=_keep(row.ethnicity, state.ethnicity),
        phone_hash=_keep(row.phone_hash, state.phone_hash),
        second_phone_hash=_keep(row.second_phone_hash, state.second_phone_hash),
        residence_type=_keep(row.residence_type, state.residence_type),
        relation=Person.Relation.HEAD if row.is_landlord else _keep(row.relation, state.relation),
        native_place=_keep(row.native_place, state.native_place),
        note=_keep(row.note, state.note),
        tags=frozenset(tags),
        household=household,
    )


def _keep(value: str | None, stored: str) -> str:
    return stored if value is None else value


def _reject(rejections: list[Rejection], row: ParsedRow, column: str, reason: str) -> None:
    rejections.append(Rejection(row.row, [(column, reason)], row.id_key, row.name, row.place))


def plan_import(
    *, rows: list[ParsedRow], rejections: list[Rejection], areas: AreaIndex, by: Any, labels: Labels
) -> Plan:
    """Outcome of every row. `labels(field)` gives a column's header as the file writes it."""
    rejections = list(rejections)
    rows = _check_places(rows, rejections, areas, labels)
    rows = _check_duplicates(rows, rejections, labels)
    read_keys = {row.id_key for row in rows} | _landlord_keys(rows)
    stored = stored_persons(read_keys, areas, by)
    alerts: dict[int, list[str]] = defaultdict(list)
    rows = _check_known(rows, rejections, stored, alerts, labels)
    rows = _check_landlords(rows, rejections, stored, labels)
    plan = Plan(
        areas=areas,
        counts={CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0},
        rejections=rejections,
        creates=[],
        updates=[],
        new_households={},
        rental_places=set(),
        landlords={},
        alerts=dict(alerts),
        stored_pks={key: person.pk for key, person in stored.items() if person.visible},
        read_keys=read_keys,
        digest=state_digest(areas, stored),
    )
    _count(rows, stored, plan)
    plan.counts[REJECTED] = len(rejections)
    plan.warnings = [RowWarning(row.row, row.warnings) for row in rows if row.warnings]
    plan.counts[WARNINGS] = len(plan.warnings)
    rejections.sort(key=lambda rejection: rejection.row)
    return plan


def _check_places(
    rows: list[ParsedRow], rejections: list[Rejection], areas: AreaIndex, labels: Labels
) -> list[ParsedRow]:
    kept: list[ParsedRow] = []
    first_grid: dict[PlaceKey, tuple[str, int]] = {}
    for row in rows:
        community, *_ = row.place
        refusal = areas.refusal(community, row.grid)
        if refusal:
            _reject(rejections, row, labels("grid"), refusal)
            continue
        stored = areas.households.get(row.place)
        if stored is not None and stored.grid_id != areas.grid_id(community, row.grid):
            grid = areas.grid_names.get(stored.grid_id, "")
            _reject(
                rejections,
                row,
                labels("grid"),
                f"该房屋已登记在网格“{grid}” / this dwelling is registered in grid '{grid}'",
            )
            continue
        if stored is None:
            grid, first_row = first_grid.setdefault(row.place, (row.grid, row.row))
            if grid != row.grid:
                _reject(
                    rejections,
                    row,
                    labels("grid"),
                    f"第{first_row}行把同一房屋填在网格“{grid}” / row {first_row} puts this "
                    f"dwelling in grid '{grid}'",
                )
                continue
        kept.append(row)
    return kept


def _check_duplicates(
    rows: list[ParsedRow], rejections: list[Rejection], labels: Labels
) -> list[ParsedRow]:
    """All rows of an ID that appears with different names or households are rejected."""
    items: list[ParsedRow | Rejection] = [*rows, *rejections]
    repeated = {
        key for key, count in Counter(item.id_key for item in items).items() if count > 1
    } - {None}
    if not repeated:
        return rows
    groups: dict[IdKey, list[ParsedRow | Rejection]] = defaultdict(list)
    for item in items:
        key = item.id_key
        if key is not None and key in repeated:
            groups[key].append(item)
    conflicting: dict[IdKey, str] = {}
    for key, group in groups.items():
        names = {item.name for item in group if item.name}
        places = {item.place for item in group if item.place is not None}
        if len(names) > 1 or len(places) > 1:
            listed = "、".join(str(number) for number in sorted(item.row for item in group))
            conflicting[key] = (
                f"同一证件号码出现在第{listed}行，姓名或住址不同，均未导入 / rows {listed} share "
                "this ID number but differ in name or address; none was imported"
            )
    kept: list[ParsedRow] = []
    for row in rows:
        reason = conflicting.get(row.id_key)
        if reason:
            _reject(rejections, row, labels("id_number"), reason)
        else:
            kept.append(row)
    return kept


def _landlord_keys(rows: Iterable[ParsedRow]) -> set[IdKey]:
    return {row.landlord_key for row in rows if row.landlord_key is not None}


def stored_persons(keys: set[IdKey], areas: AreaIndex, by: Any) -> dict[IdKey, StoredPerson]:
    """Existing persons with these IDs, by blind index, CHUNK hashes per query."""
    hashes = sorted({id_hash for _, id_hash in keys})
    found: dict[IdKey, StoredPerson] = {}
    if by is not None:
        visible_base = Person.objects.restrict(by, Action.IMPORT)
    elif areas.street is not None:
        visible_base = Person.objects.filter(household__grid__community__street=areas.street)
    else:
        visible_base = Person.objects.none()
    through = Person.tags.through
    held_once: dict[Any, Any] = {}
    shared = held_once.setdefault
    for start in range(0, len(hashes), CHUNK):
        chunk = hashes[start : start + CHUNK]
        by_pk: dict[int, StoredPerson] = {}
        for values in Person.objects.filter(id_number_hash__in=chunk).values_list(
            "pk",
            "id_type",
            "id_number_hash",
            "name",
            "sex",
            "birth_date",
            "ethnicity",
            "phone_hash",
            "second_phone_hash",
            "residence_type",
            "relation",
            "native_place",
            "note",
            "household_id",
            "household__grid__community_id",
        ):
            pk, id_type, id_hash, *facts, household_id, community_id = values
            key = (id_type, id_hash)
            if key not in keys:
                continue
            # 汉族, 户主, a birth date … held once, not once per person (phone hashes are unique)
            fields: list[Any] = [
                fact if index in PHONES else shared(fact, fact) for index, fact in enumerate(facts)
            ]
            fields += (frozenset(), ("id", household_id))  # then tags, household
            state = PersonState(*fields)
            by_pk[pk] = found[key] = StoredPerson(pk, state, community_id)
        if not by_pk:
            continue
        tags: dict[int, set[str]] = defaultdict(set)
        for person_id, code in through.objects.filter(person_id__in=list(by_pk)).values_list(
            "person_id", "tag__code"
        ):
            tags[person_id].add(code)
        for pk in visible_base.filter(pk__in=list(by_pk)).values_list("pk", flat=True):
            by_pk[pk].visible = True
        for pk, person in by_pk.items():
            codes = frozenset(tags.get(pk, ()))
            person.state.tags = shared(codes, codes)
    return found


def _check_known(
    rows: list[ParsedRow],
    rejections: list[Rejection],
    stored: dict[IdKey, StoredPerson],
    alerts: dict[int, list[str]],
    labels: Labels,
) -> list[ParsedRow]:
    kept: list[ParsedRow] = []
    alerted: set[IdKey] = set()
    for row in rows:
        person = stored.get(row.id_key)
        if person is None:
            kept.append(row)
        elif not person.visible:
            _reject(
                rejections,
                row,
                labels("id_number"),
                "该证件号码已登记在您无权查看的区域，已通知所属社区 / this ID number is registered "
                "in an area you cannot see; its community has been notified",
            )
            if person.community_id is not None and row.id_key not in alerted:
                alerted.add(row.id_key)
                alerts[person.community_id].append(row.id_number[-4:])
        elif person.state.name != row.name:
            _reject(
                rejections,
                row,
                labels("name"),
                "该证件号码已登记为另一姓名，请人工核对后修改 / this ID number is registered under "
                "another name: check and correct it by hand",
            )
        else:
            kept.append(row)
    return kept


def _check_landlords(
    rows: list[ParsedRow],
    rejections: list[Rejection],
    stored: dict[IdKey, StoredPerson],
    labels: Labels,
) -> list[ParsedRow]:
    """A 房东 column must name a person of the file or a registered person the importer may see."""
    while True:
        in_file = {row.id_key for row in rows}
        kept = []
        for row in rows:
            key = row.landlord_key
            known = key is None or key in in_file or (key in stored and stored[key].visible)
            if known:
                kept.append(row)
            else:
                _reject(
                    rejections,
                    row,
                    labels("landlord"),
                    "房东证件号码未登记或不在您的管辖范围内 / the landlord's ID number is not "
                    "registered in your area",
                )
        if len(kept) == len(rows):
            return kept
        rows = kept


def _count(rows: list[ParsedRow], stored: dict[IdKey, StoredPerson], plan: Plan) -> None:
    areas = plan.areas
    states: dict[IdKey, PersonState] = {}
    changes: dict[IdKey, PersonChange] = {}
    for row in rows:
        household = areas.household_ref(row.place)
        if household[0] == "new":
            plan.new_households.setdefault(row.place, row)
        if row.relation == Person.Relation.TENANT or row.landlord_key or row.is_landlord:
            plan.rental_places.add(row.place)
        if row.is_landlord:
            plan.landlords[household] = row.id_key
        elif row.landlord_key is not None:
            plan.landlords[household] = row.landlord_key
        key = row.id_key
        known = stored.get(key)
        before = states.get(key, known.state if known else None)
        after = merged(before, row, household)
        states[key] = after
        change = changes.get(key)
        if before is None:
            plan.counts[CREATED] += 1
            change = changes[key] = PersonChange(
                None, key, row.id_number, after, row.phone, row.second_phone
            )
            plan.creates.append(change)
            continue
        if after == before:
            plan.counts[UNCHANGED] += 1
            continue
        plan.counts[UPDATED] += 1
        if change is None:
            assert known is not None  # a person the file creates has its change already
            change = changes[key] = PersonChange(
                known.pk, key, row.id_number, after, row.phone, row.second_phone, known.state
            )
            plan.updates.append(change)
        change.state = after
        if row.phone is not None:
            change.phone = row.phone
            change.second_phone = row.second_phone
