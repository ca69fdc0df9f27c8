"""demo_street_create: the whole demo street in one transaction, written with bulk inserts."""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import time_machine
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from faker import Faker

from wangge.core import crypto
from wangge.core.models import AuditEntry
from wangge.core.services import audit_record
from wangge.demo.areas import (
    HOUSEHOLDS_PER_PERSON,
    STREET_CODE,
    STREET_NAME,
    AreaBuilder,
    CommunityPlan,
)
from wangge.demo.families import FAMILY, Family, families_draw
from wangge.demo.identities import (
    LOCAL_AREA,
    ZHEJIANG_AREAS,
    IdentityMaker,
    birth_date_for_age,
)
from wangge.demo.outbreak.run import outbreak_create
from wangge.demo.staff import ASSIGNED_PERSONS, demo_accounts_create
from wangge.demo.tags import Resident, residents_tag
from wangge.people.models import Person, PersonStatusChange, Tag
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_recompute
from wangge.regions.models import Grid, Household, Street

MIN_PERSONS = 100
VACANT_SHARE = 0.08
RENTAL_SHARE = 0.15
LOCAL_REGISTRATION_SHARE = 0.85
BATCH = 2000
# How long before today the register was loaded (its colours date from then).
REGISTER_AGE = timedelta(days=30)


class DemoRefused(Exception):
    """The demo street cannot be loaded here; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class DemoSummary:
    street: Street
    communities: int
    grids: int
    compounds: int
    buildings: int
    households: int
    vacant: int
    rentals: int
    persons: int


def database_is_empty() -> bool:
    return not (Street.objects.exists() or Person.objects.exists())


def _check(persons: int, force: bool) -> None:
    if persons < MIN_PERSONS:
        raise DemoRefused(
            f"演示街道至少需要{MIN_PERSONS}人 / the demo street needs {MIN_PERSONS}+ persons"
        )
    if not force and not database_is_empty():
        raise DemoRefused(
            "数据库中已有街道或人员，如仍要载入演示街道请加 --force / the database already holds "
            "streets or persons: add --force to load the demo street beside them"
        )
    if Street.objects.filter(Q(name=STREET_NAME) | Q(code=STREET_CODE)).exists():
        raise DemoRefused(
            f"演示街道“{STREET_NAME}”（{STREET_CODE}）已存在；要重新生成请换一个空数据库 / the demo "
            "street already exists; start from an empty database to build it again"
        )


@transaction.atomic
def demo_street_create(
    *, persons: int, seed: int, force: bool = False, outbreak: bool = True
) -> DemoSummary:
    """Build the demo street with exactly `persons` residents; the same seed gives the same street.

    Refuses a database that already holds a street or a person unless `force`; never touches
    what is there (ID numbers already registered are not generated again). With `outbreak`, the
    street is on day 6 of an outbreak (wangge.demo.outbreak); without, it holds the register only.
    """
    _check(persons, force)
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    taken = set(Person.objects.values_list("id_number_hash", flat=True)) if force else set()

    builder = AreaBuilder(rng, fake)
    street = builder.street()
    plans = builder.communities(street, round(persons * HOUSEHOLDS_PER_PERSON))
    for plan in plans:
        builder.grids(plan)
    households = builder.households(plans)
    _set_kinds(rng, households)
    Household.objects.bulk_create(households, batch_size=BATCH)

    occupied = [h for h in households if h.kind != Household.Kind.VACANT]
    families = families_draw(rng, [h.kind == Household.Kind.RENTAL for h in occupied], persons)
    residents = _residents(rng, IdentityMaker(rng, fake, taken), occupied, families)
    residents_tag(rng, residents)
    Person.objects.bulk_create([r.person for r in residents], batch_size=BATCH)
    _write_tags_and_history(residents)
    _set_landlords(rng, residents, occupied)
    # The register was loaded before the outbreak began: its colours date from then, so the
    # commander's "change since yesterday" shows the outbreak's days, not the loading.
    with time_machine.travel(timezone.now() - REGISTER_AGE, tick=False):
        household_colours_recompute(street=street, reason=ColourReason.IMPORT)

    first_grid = plans[0].grids[0]
    demo_accounts_create(
        street=street,
        community=plans[0].community,
        grid=first_grid,
        doctor_persons=_pick(rng, residents, first_grid.pk, _needs_doctor),
        police_persons=_pick(rng, residents, first_grid.pk, lambda r: r.family.rental),
    )
    if outbreak:
        outbreak_create(
            street=street, community=plans[0].community, grid=first_grid, persons=persons, seed=seed
        )
    summary = _summary(street, plans, households, persons)
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        target=street,
        changes={"demo_seed": seed, "persons": persons, "households": len(households)},
        reason="演示数据 / demo data",
    )
    _refresh_planner_statistics()
    return summary


def _refresh_planner_statistics() -> None:
    """After a bulk load the planner's statistics are stale (PostgreSQL's autovacuum catches up
    later, SQLite never by itself); on PostgreSQL, searches took 50–190 ms before, 4–7 ms after."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _set_kinds(rng: random.Random, households: list[Household]) -> None:
    """Exactly 8 % vacant and 15 % rented out, spread over the street at random."""
    order = rng.sample(range(len(households)), len(households))
    vacant = round(len(households) * VACANT_SHARE)
    rentals = round(len(households) * RENTAL_SHARE)
    for position, index in enumerate(order):
        if position < vacant:
            households[index].kind = Household.Kind.VACANT
        elif position < vacant + rentals:
            households[index].kind = Household.Kind.RENTAL


def _residents(
    rng: random.Random, maker: IdentityMaker, households: list[Household], families: list[Family]
) -> list[Resident]:
    residents = []
    for household, family in zip(households, families, strict=True):
        surname, ethnicity = maker.surname(), maker.ethnicity()
        registered = family.residence_type == Person.ResidenceType.REGISTERED
        for member in family.members:
            own_line = member.surname != FAMILY
            born = birth_date_for_age(rng, member.age)
            area = maker.area_code(registered and rng.random() < LOCAL_REGISTRATION_SHARE)
            person = Person(
                household=household,
                relation=member.relation,
                residence_type=family.residence_type,
                birth_date=born,
                sex=member.sex,
                ethnicity=maker.ethnicity() if own_line else ethnicity,
                native_place=(
                    f"{ZHEJIANG_AREAS[LOCAL_AREA]}{STREET_NAME}"
                    if registered
                    else ZHEJIANG_AREAS[area]
                ),
            )
            person.set_name(
                (maker.surname() if own_line else surname) + maker.given_name(member.sex)
            )
            person.set_id_number(maker.id_number(area, born, member.sex, crypto.blind_index))
            person.set_phone(maker.phone(member.age))
            residents.append(
                Resident(
                    person=person,
                    member=member,
                    family=family,
                    building_key=household.building.pk,
                    community_key=household.grid.community_id,
                )
            )
    return residents


def _write_tags_and_history(residents: list[Resident]) -> None:
    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    through = Person.tags.through
    links = [
        through(person_id=r.person.pk, tag_id=tag_ids[code])
        for r in residents
        for code in sorted(r.tags)
    ]
    through.objects.bulk_create(links, batch_size=BATCH * 2)
    history = [
        PersonStatusChange(person=r.person, status=Person.Status.PRESENT, note="登记")
        for r in residents
    ] + [
        PersonStatusChange(person=r.person, status=Person.Status.AWAY, note="外出务工")
        for r in residents
        if r.person.status == Person.Status.AWAY
    ]
    PersonStatusChange.objects.bulk_create(history, batch_size=BATCH)


def _set_landlords(
    rng: random.Random, residents: list[Resident], occupied: list[Household]
) -> None:
    """Each rented-out flat has a landlord: an adult owner living in the same community."""
    owners: dict[int, list[Person]] = defaultdict(list)
    for r in residents:
        if (
            not r.family.rental
            and 30 <= r.member.age <= 75
            and r.member.relation in (Person.Relation.HEAD, Person.Relation.SPOUSE)
        ):
            owners[r.community_key].append(r.person)
    everyone = [p for people in owners.values() for p in people]
    rentals = [h for h in occupied if h.kind == Household.Kind.RENTAL]
    for household in rentals:
        household.landlord = rng.choice(owners.get(household.grid.community_id) or everyone)
    Household.objects.bulk_update(rentals, ["landlord"], batch_size=BATCH)


def _needs_doctor(resident: Resident) -> bool:
    return resident.member.age >= 65 or bool(resident.tags & {"serious_illness", "disabled"})


def _pick(
    rng: random.Random, residents: list[Resident], grid_id: int, first: Callable[[Resident], bool]
) -> list[Person]:
    """About 30 residents of the grid, those for whom `first` is true before the others."""
    in_grid = [
        r
        for r in residents
        if r.person.household is not None and r.person.household.grid_id == grid_id
    ]
    preferred = [r for r in in_grid if first(r)]
    others = [r for r in in_grid if not first(r)]
    chosen = rng.sample(preferred, min(ASSIGNED_PERSONS, len(preferred)))
    chosen += rng.sample(others, min(ASSIGNED_PERSONS - len(chosen), len(others)))
    return [r.person for r in chosen]


def _summary(
    street: Street, plans: list[CommunityPlan], households: list[Household], persons: int
) -> DemoSummary:
    return DemoSummary(
        street=street,
        communities=len(plans),
        grids=Grid.objects.filter(community__street=street).count(),
        compounds=len({bp.building.compound_id for plan in plans for bp in plan.buildings}),
        buildings=sum(len(plan.buildings) for plan in plans),
        households=len(households),
        vacant=sum(h.kind == Household.Kind.VACANT for h in households),
        rentals=sum(h.kind == Household.Kind.RENTAL for h in households),
        persons=persons,
    )
