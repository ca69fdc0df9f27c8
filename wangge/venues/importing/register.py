"""What the planner reads: the street's areas (and which grids the importer may import into) and
the register's venues that the file's rows may be (the street's, and those elsewhere holding one
of the file's USCCs), each in a handful of queries. A digest of all of it lets the write, under
the import's lock, tell whether the plan still holds (planner.current_plan)."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from wangge.core.roles import Action
from wangge.regions.models import Grid, Street
from wangge.venues.models import Venue

CHUNK = 500


class VenueState(NamedTuple):
    """The comparable facts of a venue; equal states mean "nothing new"."""

    name: str
    kind_id: int
    grid_id: int
    address: str
    uscc: str
    responsible_name: str
    phone_hash: str
    staff_count: int
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(slots=True)
class Stored:
    pk: int
    state: VenueState
    street_id: int
    street_name: str = ""


@dataclass
class Register:
    street: Street
    grids: dict[tuple[str, str], int] = field(default_factory=dict)  # (community, grid) → id
    communities: set[str] = field(default_factory=set)
    allowed: set[int] = field(default_factory=set)  # grids the importer may import into
    by_pk: dict[int, Stored] = field(default_factory=dict)  # the street's venues
    by_uscc: dict[str, Stored] = field(default_factory=dict)
    by_name: dict[tuple[int, str], list[Stored]] = field(default_factory=dict)
    digest: str = ""

    @classmethod
    def load(cls, *, street: Street, by: Any, usccs: set[str]) -> "Register":
        # taken before the reads: a change made while they run shows at the write's check
        register = cls(street=street, digest=state_digest(street=street, by=by, usccs=usccs))
        grids = Grid.objects.filter(community__street=street)
        for pk, community, name in grids.values_list("pk", "community__name", "name"):
            register.grids[(community, name)] = pk
            register.communities.add(community)
        allowed = grids if by is None else Grid.objects.restrict(by, Action.IMPORT)
        register.allowed = set(
            allowed.filter(community__street=street).values_list("pk", flat=True)
        )
        by_name: dict[tuple[int, str], list[Stored]] = defaultdict(list)
        stored = Venue.objects.filter(grid__community__street=street).order_by("pk")
        for pk, *facts in stored.values_list(
            "pk",
            "name",
            "kind_id",
            "grid_id",
            "address",
            "uscc",
            "responsible_name",
            "responsible_phone_hash",
            "staff_count",
            "latitude",
            "longitude",
        ):
            venue = register.by_pk[pk] = Stored(pk, VenueState(*facts), street.pk)
            by_name[(venue.state.grid_id, venue.state.name)].append(venue)
            if venue.state.uscc:
                register.by_uscc[venue.state.uscc] = venue
        register.by_name = dict(by_name)
        elsewhere = sorted(usccs - set(register.by_uscc))
        for start in range(0, len(elsewhere), CHUNK):
            others = Venue.objects.filter(uscc__in=elsewhere[start : start + CHUNK]).exclude(
                grid__community__street=street
            )
            for pk, uscc, street_id, street_name in others.values_list(
                "pk", "uscc", "grid__community__street_id", "grid__community__street__name"
            ):
                state = VenueState("", 0, 0, "", uscc, "", "", 0, None, None)
                register.by_uscc[uscc] = Stored(pk, state, street_id, street_name)
        return register

    def refusal(self, community: str, grid: str) -> str | None:
        """Why the row may not name this community and grid, or None if it may."""
        if community not in self.communities:
            street = self.street.name
            return f"社区“{community}”不在{street} / community '{community}' is not in '{street}'"
        grid_id = self.grids.get((community, grid))
        if grid_id is None:
            return f"网格“{grid}”不在{community} / grid '{grid}' is not in '{community}'"
        if grid_id not in self.allowed:
            return f"网格“{grid}”不在您的管辖范围内 / grid '{grid}' is outside your area"
        return None


def state_digest(*, street: Street, by: Any, usccs: set[str]) -> str:
    """A digest of what Register.load reads, from its keys and change times only: the street's
    grids and those the importer may import into, its venues as last changed, and the venues
    elsewhere holding one of the file's USCCs."""
    seen = hashlib.sha256()
    grids = Grid.objects.filter(community__street=street)
    allowed = grids if by is None else Grid.objects.restrict(by, Action.IMPORT)
    seen.update(
        repr(list(grids.order_by("pk").values_list("pk", "community__name", "name"))).encode()
    )
    seen.update(
        repr(sorted(allowed.filter(community__street=street).values_list("pk", flat=True))).encode()
    )
    venues = Venue.objects.filter(grid__community__street=street).order_by("pk")
    for pk, updated_at in venues.values_list("pk", "updated_at").iterator(chunk_size=5000):
        seen.update(f"{pk}:{updated_at.isoformat()};".encode())
    elsewhere = sorted(usccs)
    for start in range(0, len(elsewhere), CHUNK):
        others = Venue.objects.filter(uscc__in=elsewhere[start : start + CHUNK]).exclude(
            grid__community__street=street
        )
        seen.update(
            repr(sorted(others.values_list("pk", "uscc", "grid__community__street_id"))).encode()
        )
    return seen.hexdigest()
