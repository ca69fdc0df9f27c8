"""The demo street's venues: about 300 shops and sites of every kind over its grids, with Chinese
names by kind, addresses, a valid 统一社会信用代码 for most (check character by python-stdnum),
responsible persons with phones, coordinates around the street, and staff, some of them residents.
Then a week of inspections with cards in every state (venue_checks), visits and disinfection logs
(venue_traffic). Written with bulk inserts: the whole adds about a second to the seed."""

import random
from datetime import timedelta
from decimal import Decimal

from stdnum.cn import uscc

from wangge.checkpoints.tokens import new_token
from wangge.demo.outbreak import venue_checks, venue_traffic
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.venue_names import (
    NAMES,
    ROADS,
    STAFF_ROLES,
    SURNAMES,
    mobile,
    person_name,
)
from wangge.people.models import Person
from wangge.regions.models import Grid
from wangge.venues.models import EventKind, Venue, VenueEvent, VenueKind, VenueStaff, VenueStatus

VENUES = 300
# How many venues of each kind, out of every 300.
KIND_SHARES = {
    "餐饮店": 68,
    "商超": 26,
    "农贸市场": 4,
    "市场摊位": 60,
    "药店": 14,
    "诊所": 10,
    "物流寄递": 24,
    "建筑工地": 8,
    "冷链经营": 8,
    "养老机构": 5,
    "学校/托育": 14,
    "宾馆": 11,
    "企业": 38,
    "其他": 10,
}
WITHOUT_USCC_SHARE = 0.12
CLOSED_VENUES = 4  # 歇业
REGISTERED_DAYS = 30
# The street's centre (东阳, 浙江) and how far its venues spread (degrees).
CENTRE = (Decimal("29.289300"), Decimal("120.241600"))
SPREAD = 0.02


def _uscc(rng: random.Random, kind: str, taken: set[str]) -> str:
    """A valid code: 91 (company) or 92 (individual business), the county's division code, a
    nine-character organisation code and the check character python-stdnum computes."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        head = ("92" if kind in ("市场摊位", "餐饮店", "其他") else "91") + "330783"
        body = head + "MA" + "".join(rng.choices(alphabet, k=7))
        code = body + uscc.calc_check_digit(body)
        if code not in taken:
            taken.add(code)
            return code


def _name(rng: random.Random, kind: str, grid: Grid, taken: set[tuple[str, int]]) -> str:
    prefixes, suffixes = NAMES[kind]
    while True:
        prefix = rng.choice(prefixes) if rng.random() < 0.8 else rng.choice(SURNAMES) + "记"
        name = prefix + rng.choice(suffixes)
        if kind == "市场摊位":
            name += f"（{rng.randint(1, 80)}号）"
        if (name, grid.pk) not in taken:
            taken.add((name, grid.pk))
            return name


def _kinds() -> list[VenueKind]:
    kinds = {kind.name: kind for kind in VenueKind.objects.all()}
    return [kinds[name] for name, count in KIND_SHARES.items() for _ in range(count)]


def _venue(rng: random.Random, kind: VenueKind, grid: Grid, names: set, codes: set) -> Venue:
    token = new_token()
    venue = Venue(
        name=_name(rng, kind.name, grid, names),
        kind=kind,
        grid=grid,
        address=f"{rng.choice(ROADS)}{rng.randint(1, 399)}号",
        uscc="" if rng.random() < WITHOUT_USCC_SHARE else _uscc(rng, kind.name, codes),
        responsible_name=person_name(rng),
        staff_count=rng.randint(1, 60 if kind.name in ("企业", "建筑工地") else 12),
        latitude=CENTRE[0] + Decimal(f"{rng.uniform(-SPREAD, SPREAD):.6f}"),
        longitude=CENTRE[1] + Decimal(f"{rng.uniform(-SPREAD, SPREAD):.6f}"),
        code_sealed=token.sealed,
        code_hash=token.hash,
        status=VenueStatus.OPEN,
    )
    venue.set_responsible_phone(mobile(rng))
    return venue


def register_create(cast: Cast, rng: random.Random) -> list[Venue]:
    """The venues, a third of them in the outbreak's community (where the demo inspector works),
    the rest over the street's other grids; a few 歇业. Each has its 登记 line on the timeline."""
    grids = list(
        Grid.objects.filter(community__street=cast.street, children__isnull=True).order_by("pk")
    )
    home = [g for g in grids if g.community_id == cast.community.pk]
    names: set[tuple[str, int]] = set()
    codes: set[str] = set(Venue.objects.exclude(uscc="").values_list("uscc", flat=True))
    venues = []
    for number, kind in enumerate(_kinds()):
        grid = rng.choice(home if number % 3 == 0 else grids)
        venues.append(_venue(rng, kind, grid, names, codes))
    rng.shuffle(venues)
    registered = cast.calendar.now - timedelta(days=REGISTERED_DAYS)
    closed = registered + timedelta(days=9)
    for venue in venues[-CLOSED_VENUES:]:
        venue.status, venue.status_since = VenueStatus.CLOSED, closed
    Venue.objects.bulk_create(venues)
    Venue.objects.filter(pk__in=[v.pk for v in venues]).update(
        created_at=registered, updated_at=registered
    )
    events = [
        VenueEvent(venue=v, kind=EventKind.CREATED, at=registered, by=cast.commander)
        for v in venues
    ] + [
        VenueEvent(venue=v, kind=EventKind.STATUS, at=closed, by=cast.commander, text="歇业")
        for v in venues[-CLOSED_VENUES:]
    ]
    VenueEvent.objects.bulk_create(events)
    return venues


def staff_create(cast: Cast, rng: random.Random, venues: list[Venue]) -> None:
    """Two or three staff at every fifth venue; the first of them a resident of its community
    when one is free (so the venue's page shows their own code)."""
    residents: dict[int, list[Person]] = {}
    for person in cast.residents()[:600]:
        if person.household is not None:
            residents.setdefault(person.household.grid.community_id, []).append(person)
    rows = []
    for venue in venues[::5]:
        pool = residents.get(venue.grid.community_id, [])
        for position in range(rng.randint(2, 3)):
            person = pool.pop() if position == 0 and pool else None
            name = person.name if person is not None else person_name(rng)
            rows.append(
                VenueStaff(venue=venue, person=person, name=name, role=rng.choice(STAFF_ROLES))
            )
    VenueStaff.objects.bulk_create(rows)


def venues_seed(cast: Cast, rng: random.Random) -> list[Venue]:
    venues = register_create(cast, rng)
    staff_create(cast, rng, venues)
    venue_checks.inspections_create(cast, rng, venues)
    venue_traffic.visits_create(cast, rng, venues)
    venue_traffic.disinfection_create(cast, rng, venues)
    return venues
