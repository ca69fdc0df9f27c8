"""Writing a plan: missing areas, then persons with their tags and import records, landlords, and
the colours of the households touched, all in bulk.

Its one caller is pipeline.write_batch, which runs it inside the transaction that locked the batch
and marks it done, so every valid row lands or none does (a job run again writes nothing twice). Returns what undo needs: the areas this import created and the households whose landlord it
changed; the persons' before-values go into ImportRecord rows.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wangge.core.natural import natural_sort_key
from wangge.people.importing import bulk
from wangge.people.importing.planner import PersonChange, PersonState, Plan
from wangge.people.importing.rows import IdKey, PlaceKey
from wangge.people.models import ImportBatch, ImportRecord, Person, Tag
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh
from wangge.regions.models import Building, Community, Compound, Grid, Household, Street

CHUNK = 2000
STATE_FIELDS = (
    "sex",
    "birth_date",
    "ethnicity",
    "residence_type",
    "relation",
    "native_place",
    "note",
    "household_id",
)
PHONE_FIELDS = (
    "phone_sealed",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    "phone_last6",
    "second_phone_sealed",
    "second_phone_hash",
    "second_phone_masked",
)


def _phones_differ(change: PersonChange) -> bool:
    state, before = change.state, change.before
    assert before is not None
    return (state.phone_hash, state.second_phone_hash) != (
        before.phone_hash,
        before.second_phone_hash,
    )


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class StoredForms:
    """The stored forms of name, ID number and phone, computed by Person's own setters.

    Borrowing the setters keeps one definition of pinyin keys, sealing, blind index, masks and
    tails, without the cost of a model instance per row (about 25 µs).
    """

    __slots__ = (
        "name",
        "name_pinyin",
        "name_initials",
        "id_number_sealed",
        "id_number_hash",
        "id_number_masked",
        "id_last4",
        "id_last6",
        *PHONE_FIELDS,
    )
    set_name = Person.set_name
    set_id_number = Person.set_id_number
    set_phone = Person.set_phone
    set_second_phone = Person.set_second_phone

    def columns(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass
class Writer:
    plan: Plan
    batch: ImportBatch
    now: datetime
    created: dict[str, list[int]] = field(default_factory=dict)
    households_before: dict[str, list[Any]] = field(default_factory=dict)
    _household_pks: dict[PlaceKey, int] = field(default_factory=dict)
    _person_pks: dict[IdKey, int] = field(default_factory=dict)
    _tag_ids: dict[str, int] = field(default_factory=dict)

    def write(self) -> dict[str, Any]:
        self._tag_ids = dict(Tag.objects.values_list("code", "pk"))
        self._person_pks = dict(self.plan.stored_pks)
        self._create_areas()
        self._create_persons()
        self._update_persons()
        self._set_landlords()
        household_colours_refresh(
            household_ids={self._household_pk(c.state) for c in self.plan.creates}
            | {self._household_pk(c.state) for c in self.plan.updates}
            | {self._household_pk(c.before) for c in self.plan.updates if c.before is not None},
            reason=ColourReason.IMPORT,
        )
        return {"created": self.created, "households": self.households_before}

    # Areas --------------------------------------------------------------------------------------
    def _create_areas(self) -> None:
        areas = self.plan.areas
        new = self.plan.new_households
        street = areas.street
        if street is None and new:
            street = areas.street = Street.objects.create(name=areas.street_name)
            self.created["street"] = [street.pk]
        grid_of = {place: (place[0], row.grid) for place, row in new.items()}
        communities = self._bulk(
            Community,
            {place[0] for place in new},
            areas.communities,
            lambda name: Community(street=street, name=name),
        )
        grids = self._bulk(
            Grid,
            set(grid_of.values()),
            areas.grids,
            lambda key: Grid(community_id=communities[key[0]], name=key[1]),
        )
        compounds = self._bulk(
            Compound,
            {place[:2] for place in new},
            areas.compounds,
            lambda key: Compound(community_id=communities[key[0]], name=key[1]),
        )
        shapes = self._building_shapes()
        buildings = self._bulk(
            Building,
            set(shapes),
            areas.buildings,
            lambda key: Building(
                compound_id=compounds[key[:2]],
                grid_id=grids[shapes[key][0]],
                name=key[2],
                units=shapes[key][1],
                floors=shapes[key][2],
            ),
        )
        self._create_households(buildings, grids)

    def _create_households(self, buildings: dict[tuple, int], grids: dict[tuple, int]) -> None:
        new = self.plan.new_households
        base = bulk.defaults(Household)
        bulk.insert(
            Household,
            (
                {
                    "building_id": buildings[place[:3]],
                    "grid_id": grids[(place[0], row.grid)],
                    "unit": place[3],
                    "unit_key": natural_sort_key(place[3]),
                    "floor": row.floor,
                    "room": place[4],
                    "room_key": natural_sort_key(place[4]),
                    "kind": (
                        Household.Kind.RENTAL
                        if place in self.plan.rental_places
                        else Household.Kind.OWNER
                    ),
                }
                for place, row in new.items()
            ),
            base,
        )
        place_of = {(buildings[place[:3]], place[3], place[4]): place for place in new}
        building_ids = sorted({building_id for building_id, _, _ in place_of})
        stored = Household.objects.filter(building_id__in=building_ids)
        for pk, building_id, unit, room in stored.values_list("pk", "building_id", "unit", "room"):
            place = place_of.get((building_id, unit, room))
            if place is not None:
                self._household_pks[place] = pk
        self.created["household"] = sorted(self._household_pks.values())

    def _building_shapes(self) -> dict[tuple, tuple[tuple[str, str], int, int]]:
        """Building key → (the grid of its first row, units seen, highest floor seen)."""
        grids: dict[tuple, tuple[str, str]] = {}
        units: dict[tuple, set[str]] = {}
        floors: dict[tuple, int] = {}
        for place, row in self.plan.new_households.items():
            key = place[:3]
            grids.setdefault(key, (place[0], row.grid))
            units.setdefault(key, set()).add(place[3])
            floors[key] = max(floors.get(key, 1), row.floor or 1)
        return {key: (grids[key], max(1, len(units[key] - {""})), floors[key]) for key in grids}

    def _bulk(
        self,
        model: Any,
        keys: set[Any],
        existing: dict[Any, int],
        make: Callable[[Any], Any],
    ) -> dict[Any, int]:
        """Create the objects for keys that do not exist yet; map every key to its pk."""
        missing = sorted(key for key in keys if key not in existing)
        if missing:
            objs = model.objects.bulk_create([make(key) for key in missing], batch_size=CHUNK)
            self.created.setdefault(model._meta.model_name, []).extend(obj.pk for obj in objs)
            existing.update({key: obj.pk for key, obj in zip(missing, objs, strict=True)})
        return {key: existing[key] for key in keys}

    def _household_pk(self, state: PersonState) -> int | None:
        kind, value = state.household
        return value if kind == "id" else self._household_pks[value]

    # Persons ------------------------------------------------------------------------------------
    def _create_persons(self) -> None:
        base = bulk.defaults(Person) | {"import_batch_id": self.batch.pk}
        for part in chunks(self.plan.creates):
            bulk.insert(Person, (self._new_person(change) for change in part), base)
        created = Person.objects.filter(import_batch=self.batch)
        for id_type, id_hash, pk in created.values_list("id_type", "id_number_hash", "pk"):
            self._person_pks[(id_type, id_hash)] = pk
        through = Person.tags.through
        links = (
            {"person_id": self._person_pks[change.id_key], "tag_id": tag_id}
            for change in self.plan.creates
            for tag_id in (self._tag_ids[code] for code in change.state.tags)
        )
        bulk.insert(through, links, bulk.defaults(through))
        bulk.insert_select(
            ImportRecord,
            {"batch_id": self.batch.pk, "created": True, "before": {}},
            person_id=created,
        )

    def _new_person(self, change: PersonChange) -> dict[str, Any]:
        state = change.state
        stored: Any = StoredForms()  # Person's setters, borrowed: the stubs want a Person
        stored.set_name(state.name)
        stored.set_id_number(change.id_number)
        stored.set_phone(change.phone or "")
        stored.set_second_phone(change.second_phone or "")
        return {
            **stored.columns(),
            "id_type": change.id_key[0],
            "birth_date": state.birth_date,
            "sex": state.sex,
            "ethnicity": state.ethnicity,
            "residence_type": state.residence_type,
            "household_id": self._household_pk(state),
            "relation": state.relation,
            "native_place": state.native_place,
            "note": state.note,
        }

    def _update_persons(self) -> None:
        through = Person.tags.through
        for part in chunks(self.plan.updates):
            stored_phones = self._stored_phones(part)
            plain, with_phone, retag, records = [], [], [], []
            for change in part:
                person = Person(pk=change.pk, updated_at=self.now)
                for name in STATE_FIELDS:
                    setattr(person, name, self._state_value(change.state, name))
                before = {name: self._state_value(change.before, name) for name in STATE_FIELDS}
                born = change.before.birth_date
                before["birth_date"] = born.isoformat() if born else None
                before["tags"] = sorted(change.before.tags)
                if _phones_differ(change):
                    person.set_phone(change.phone or "")
                    person.set_second_phone(change.second_phone or "")
                    before["phone"] = stored_phones[change.pk]
                    with_phone.append(person)
                else:
                    plain.append(person)
                if change.state.tags != change.before.tags:
                    retag.append(change)
                records.append(
                    ImportRecord(
                        batch=self.batch, person_id=change.pk, created=False, before=before
                    )
                )
            fields = [*STATE_FIELDS, "updated_at"]
            Person.objects.bulk_update(plain, fields, batch_size=500)
            Person.objects.bulk_update(with_phone, fields + list(PHONE_FIELDS), batch_size=500)
            through.objects.filter(person_id__in=[change.pk for change in retag]).delete()
            through.objects.bulk_create(
                [
                    through(person_id=change.pk, tag_id=self._tag_ids[code])
                    for change in retag
                    for code in change.state.tags
                ],
                batch_size=CHUNK,
            )
            ImportRecord.objects.bulk_create(records, batch_size=CHUNK)

    def _state_value(self, state: PersonState, name: str) -> Any:
        return self._household_pk(state) if name == "household_id" else getattr(state, name)

    def _stored_phones(self, part: Sequence[PersonChange]) -> dict[int, dict[str, str]]:
        pks = [c.pk for c in part if _phones_differ(c)]
        rows = Person.objects.filter(pk__in=pks).values_list("pk", *PHONE_FIELDS)
        return {pk: dict(zip(PHONE_FIELDS, values, strict=True)) for pk, *values in rows}

    # Landlords ----------------------------------------------------------------------------------
    def _set_landlords(self) -> None:
        stored = {household.pk: household for household in self.plan.areas.households.values()}
        changed = []
        for (kind, value), landlord_key in self.plan.landlords.items():
            landlord_id = self._person_pks[landlord_key]
            pk = value if kind == "id" else self._household_pks[value]
            before = stored.get(pk)
            if before is not None and (before.landlord_id, before.kind) == (
                landlord_id,
                Household.Kind.RENTAL,
            ):
                continue
            if before is not None:
                self.households_before[str(pk)] = [before.landlord_id, before.kind]
            changed.append(
                Household(
                    pk=pk, landlord_id=landlord_id, kind=Household.Kind.RENTAL, updated_at=self.now
                )
            )
        Household.objects.bulk_update(
            changed, ["landlord_id", "kind", "updated_at"], batch_size=500
        )
