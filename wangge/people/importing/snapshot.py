"""What a plan read from the database, as one digest, so that the write can tell it is still true.

A roster's plan is made before the write's transaction (its reads take as long as the file is
large), so the areas and persons it matched against may change before the write locks the batch:
a person added or edited by hand, a household created, a grid handed to someone else. The write
reads the same areas and persons again under the batch's lock and compares digests; when they
differ it plans again from what it just read (pipeline.write_batch), so what it writes is what a
plan made inside the transaction would have written.
"""

import hashlib
from collections.abc import Mapping
from typing import Any, Protocol

from wangge.people.importing.areas import AreaIndex
from wangge.people.importing.rows import IdKey


class Stored(Protocol):
    """A person as the planner read it (planner.StoredPerson, which imports this module)."""

    pk: int
    community_id: int | None
    visible: bool
    state: Any


def state_digest(areas: AreaIndex, stored: Mapping[IdKey, Stored]) -> str:
    """A digest of everything the planner read: the street's areas, its dwellings, what the
    importer may do there, and the stored facts and visibility of every person looked up."""
    digest = hashlib.sha256()

    def feed(*parts: Any) -> None:
        digest.update(repr(parts).encode())

    feed(
        areas.street.pk if areas.street is not None else None,
        sorted(areas.communities.items()),
        sorted(areas.grids.items()),
        sorted(areas.compounds.items()),
        sorted(areas.buildings.items()),
        sorted(areas.import_grid_ids),
        sorted(areas.creatable_grid_communities),
        areas.may_create_communities,
        areas.may_create_street,
    )
    for place, household in sorted(areas.households.items()):
        feed(place, household.pk, household.grid_id, household.landlord_id, household.kind)
    for key, person in sorted(stored.items()):
        state = person.state
        feed(
            key,
            person.pk,
            person.community_id,
            person.visible,
            state.name,
            state.sex,
            state.birth_date,
            state.ethnicity,
            state.phone_hash,
            state.second_phone_hash,
            state.residence_type,
            state.relation,
            state.native_place,
            state.note,
            sorted(state.tags),
            state.household,
        )
    return digest.hexdigest()
