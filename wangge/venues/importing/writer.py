"""Writing a plan: the venues it creates and updates, through the register's own field rules
(services.register.venue_fields), and one timeline line each (登记, or 导入更新 with the fields
changed), a few statements per thousand rows. Runs inside the import's one transaction. The
venue's timeline is written here in bulk rather than by services.timeline.event_add one line at a
time: the same lines, a statement for thousands of them."""

from datetime import datetime
from functools import cache
from typing import Any

from django.db import models

from wangge.checkpoints.tokens import new_token
from wangge.core.services import field_changes
from wangge.people.importing import bulk
from wangge.regions.models import Grid
from wangge.venues.importing.planner import Change, Plan
from wangge.venues.models import EventKind, Venue, VenueEvent, VenueKind, VenueStatus
from wangge.venues.services.register import VenueData, venue_fields, venue_snapshot
from wangge.venues.services.timeline import events_add

BATCH = 900  # SQLite allows 999 parameters to a statement
# The columns an import writes besides the venue's name, kind and grid.
DETAILS = [
    "address",
    "uscc",
    "responsible_name",
    "responsible_phone_sealed",
    "responsible_phone_hash",
    "responsible_phone_masked",
    "staff_count",
    "latitude",
    "longitude",
]
CREATED = ["name", "kind_id", "grid_id", *DETAILS, "code_sealed", "code_hash", "status"]
WRITTEN = ["name", "kind", "grid", *DETAILS, "updated_at"]


class Writer:
    def __init__(self, plan: Plan, by: Any, now: datetime) -> None:
        self.plan, self.by, self.now = plan, by, now
        self.kinds = {kind.pk: kind for kind in VenueKind.objects.all()}
        self.grids = {grid.pk: grid for grid in Grid.objects.filter(pk__in=plan.register.allowed)}

    def _data(self, change: Change, phone: str) -> VenueData:
        after = change.after
        return VenueData(
            name=after.name,
            kind=self.kinds[after.kind_id],
            grid=self.grids[after.grid_id],
            address=after.address,
            uscc=after.uscc,
            responsible_name=after.responsible_name,
            responsible_phone=phone,
            staff_count=after.staff_count,
            latitude=after.latitude,
            longitude=after.longitude,
        )

    def write(self) -> None:
        self._create()
        self._update()

    def _create(self) -> None:
        """New venues and their 登记 lines with one prepared statement each (people.importing.bulk:
        Django's bulk_create costs more than the rest of the import together)."""
        venues = []
        for change in self.plan.creates:
            token = new_token()
            venue = Venue(code_sealed=token.sealed, code_hash=token.hash, status=VenueStatus.OPEN)
            phone = change.phone or ""
            venue_fields(venue, self._data(change, phone), change.after.uscc, phone)
            venues.append(venue)
        base = bulk.defaults(Venue)
        bulk.insert(Venue, ({name: getattr(v, name) for name in CREATED} for v in venues), base)
        hashes = [venue.code_hash for venue in venues]
        pks: list[int] = []
        for start in range(0, len(hashes), BATCH):
            chunk = hashes[start : start + BATCH]
            pks += Venue.objects.filter(code_hash__in=chunk).values_list("pk", flat=True)
        line = {"kind": EventKind.CREATED, "by_id": getattr(self.by, "pk", None), "at": self.now}
        line["text"], line["changes"] = "导入登记", {}
        bulk.insert(VenueEvent, ({**line, "venue_id": pk} for pk in pks), bulk.defaults(VenueEvent))

    def _update(self) -> None:
        changes = {change.pk: change for change in self.plan.updates if change.pk is not None}
        pks = sorted(changes)
        for start in range(0, len(pks), BATCH):
            venues = list(Venue.objects.filter(pk__in=pks[start : start + BATCH]))
            lines = []
            for venue in venues:
                change = changes[venue.pk]
                before = venue_snapshot(venue)
                hash_before = venue.responsible_phone_hash
                phone = venue.responsible_phone if change.phone is None else change.phone
                venue_fields(venue, self._data(change, phone), change.after.uscc, phone)
                venue.updated_at = self.now
                changed = field_changes(before, venue_snapshot(venue))
                if venue.responsible_phone_hash != hash_before:
                    masked = "responsible_phone_masked"
                    changed[masked] = [before[masked], venue.responsible_phone_masked]
                lines.append((venue, EventKind.IMPORTED, _text(changed), changed))
            Venue.objects.bulk_update(venues, WRITTEN, batch_size=BATCH)
            events_add(lines, by=self.by, at=self.now)


@cache
def _label(name: str) -> str:
    field = Venue._meta.get_field(name.removesuffix("_id"))
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def _text(changed: dict[str, Any]) -> str:
    return "导入更新：" + "、".join(_label(name) for name in changed)
