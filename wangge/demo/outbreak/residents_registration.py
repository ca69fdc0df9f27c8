"""防疫登记 on the demo street: about thirty registrations waiting for their grid worker across
the grids — households adding a phone-less elder or child (代办), changing a phone, moving a
member out, adding a car; newcomers registering a home the register does not have; one tenant
waiting for the landlord — and a few confirmed and rejected ones. The demo resident's household
(the first of demo-grid's grid with someone under an active measure) has one waiting, and
demo-grid's queue at least three, all made through the residents' services over the last days."""

import random
from datetime import date
from typing import Any

from wangge.accounts.models import RoleAssignment
from wangge.accounts.selectors import grid_workers_of, users_by_id
from wangge.core import crypto
from wangge.core.identity import gb11643_check_digit
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import DAYS, moment
from wangge.demo.outbreak.venue_names import mobile, person_name
from wangge.measures.models import PersonMeasure
from wangge.people.models import Person
from wangge.regions.models import Building, Grid, Household
from wangge.residents.models import Account, Registration
from wangge.residents.services import (
    MemberEntry,
    RegistrationInput,
    account_for_phone,
    registration_confirm,
    registration_reject,
    registration_submit,
)

PENDING_CHANGES, NEWCOMERS, CONFIRMED = 21, 12, 4
IN_DEMO_GRID = 3
REASONS = (
    "证件号码与户口本不符，请核对后重新提交",
    "该房屋登记为空置，请补充租赁合同或与网格员联系",
    "同一成员重复登记，请合并后重新提交",
)
PLATE_LETTERS = "ABCDEFGHJK"


class _Ids:
    """Valid ID numbers the register does not hold yet (Zhejiang counties, GB 11643 digits)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.taken = rng, set(Person.objects.values_list("id_number_hash", flat=True))

    def new(self, born_year: int, male: bool) -> str:
        while True:
            born = date(born_year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            sequence = self.rng.randrange(0, 499) * 2 + (1 if male else 0)
            first17 = f"330783{born:%Y%m%d}{sequence:03d}"
            number = first17 + gb11643_check_digit(first17)
            if crypto.blind_index(number) not in self.taken:
                self.taken.add(crypto.blind_index(number))
                return number


def _demo_grid(cast: Cast) -> Grid:
    assignment = RoleAssignment.objects.filter(user=cast.grid_worker, grid__isnull=False).first()
    return assignment.grid if assignment else cast.grid


def _own_account(household: Household) -> tuple[Account, Person] | None:
    person = household.members.exclude(phone_sealed="").order_by("pk").first()
    if person is None:
        return None
    account = account_for_phone(phone=crypto.unseal(person.phone_sealed))
    return (account, person) if account.household_id == household.pk else None


def _change(rng: random.Random, ids: _Ids, household: Household, kind: int) -> RegistrationInput:
    """One of four changes: an elder without a phone (代办), a child, a new phone, a car."""
    head = household.members.order_by("pk").first()
    residence = head.residence_type if head else Person.ResidenceType.REGISTERED
    if residence == Person.ResidenceType.RENTING and kind < 2:
        kind = 3  # a tenant's new member waits for the landlord: the demo has one such
    if kind == 0:
        elder = MemberEntry(
            name=person_name(rng), relation="parent", id_number=ids.new(1942, False)
        )
        return RegistrationInput(residence_type=residence, members=[elder])
    if kind == 1:
        child = MemberEntry(name=person_name(rng), relation="child", id_number=ids.new(2021, True))
        return RegistrationInput(residence_type=residence, members=[child])
    if kind == 2 and head is not None:
        phone = MemberEntry(
            name=head.name, relation=head.relation, person_id=head.pk, phone=mobile(rng)
        )
        return RegistrationInput(residence_type=residence, members=[phone])
    plate = f"浙G{rng.choice(PLATE_LETTERS)}{household.pk % 10000:04d}"
    return RegistrationInput(residence_type=residence, plates_add=[plate])


def _newcomer(
    rng: random.Random, ids: _Ids, home: tuple[Building, str, str], landlord: str = ""
) -> tuple[Account, RegistrationInput]:
    """A newcomer's registration of `home` (building, unit, room): renting it from `landlord`."""
    building, unit, room = home
    phone = mobile(rng)
    members = [
        MemberEntry(
            name=person_name(rng), relation="head", id_number=ids.new(1990, True), phone=phone
        )
    ]
    if rng.random() < 0.5:
        members.append(
            MemberEntry(name=person_name(rng), relation="spouse", id_number=ids.new(1992, False))
        )
    data = RegistrationInput(
        residence_type="renting" if landlord else "floating",
        building_id=building.pk,
        unit=unit,
        room=room,
        landlord_phone=landlord,
        members=members,
    )
    return account_for_phone(phone=phone), data


def _empty_room(
    rng: random.Random, buildings: list[Building], taken: set[tuple[int, str]]
) -> tuple[Any, ...]:
    """A room the register does not have yet (a new flat let for the first time)."""
    while True:
        building = rng.choice(buildings)
        room = f"{rng.randint(1, building.floors or 6)}{rng.randint(5, 12):02d}"
        known = Household.objects.filter(building=building, unit="1", room=room).exists()
        if not known and (building.pk, room) not in taken:
            taken.add((building.pk, room))
            return building, "1", room


def _households(cast: Cast, demo_grid: Grid, rng: random.Random) -> list[Household]:
    """The demo resident's household first, two more of demo-grid's grid, then others."""
    under_measure = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE).values(
        "person__household"
    )
    street = Household.objects.filter(grid__community__street=cast.street).order_by("pk")
    first = street.filter(grid=demo_grid, pk__in=under_measure).first()
    near = list(street.filter(grid=demo_grid).exclude(pk=getattr(first, "pk", None))[:20])
    rest = list(street.exclude(grid=demo_grid)[:400])
    rng.shuffle(near)
    rng.shuffle(rest)
    chosen = ([first] if first else []) + near[: IN_DEMO_GRID + 1] + rest
    return chosen[: PENDING_CHANGES + CONFIRMED]


def _decider(registration: Registration, cast: Cast) -> Any:
    ids = grid_workers_of([registration.grid_id]).get(registration.grid_id, [])
    users = users_by_id(ids)
    return next(iter(users.values()), cast.commander)


def _submit(cast: Cast, rng: random.Random, account: Account, data: RegistrationInput) -> Any:
    day = rng.randint(DAYS - 2, DAYS)
    with moment(cast.calendar.at(day, rng.randint(7, 21), rng.randint(0, 59))):
        return registration_submit(account=account, data=data)


def _decide(cast: Cast, registration: Registration, reason: str = "") -> None:
    with moment(cast.calendar.now):
        by = _decider(registration, cast)
        if reason:
            registration_reject(by=by, registration=registration, reason=reason)
        else:
            registration_confirm(by=by, registration=registration)


def _landlord_waiting(cast: Cast, rng: random.Random, ids: _Ids) -> None:
    rental = (
        Household.objects.filter(
            grid__community__street=cast.street, kind=Household.Kind.RENTAL, landlord__isnull=False
        )
        .exclude(landlord__phone_sealed="")
        .select_related("landlord", "building")
        .order_by("pk")
        .first()
    )
    if rental is None:
        return
    landlord_phone = crypto.unseal(rental.landlord.phone_sealed)
    account_for_phone(phone=landlord_phone)
    home = (rental.building, rental.unit, rental.room)
    account, data = _newcomer(rng, ids, home, landlord_phone)
    _submit(cast, rng, account, data)


def registrations_seed(cast: Cast, rng: random.Random) -> None:
    """The confirmed ones change phones and cars only, so the street keeps exactly the persons
    the seed was asked for; the rejected ones are newcomers'."""
    ids = _Ids(rng)
    households = _households(cast, _demo_grid(cast), rng)
    confirmed, rejected = [], []
    for number, household in enumerate(households):
        own = _own_account(household)
        if own is None:
            continue
        kind = number % 4 if number < PENDING_CHANGES else 2 + number % 2
        registration = _submit(cast, rng, own[0], _change(rng, ids, household, kind))
        if number >= PENDING_CHANGES:
            confirmed.append(registration)
    buildings = list(Building.objects.filter(grid__community__street=cast.street).order_by("pk"))
    taken: set[tuple[int, str]] = set()
    for number in range(NEWCOMERS):
        account, data = _newcomer(rng, ids, _empty_room(rng, buildings, taken))
        registration = _submit(cast, rng, account, data)
        if number < len(REASONS):
            rejected.append(registration)
    _landlord_waiting(cast, rng, ids)
    for registration in confirmed:
        _decide(cast, registration)
    for reason, registration in zip(REASONS, rejected, strict=True):
        _decide(cast, registration, reason)
