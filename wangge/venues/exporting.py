"""The venue register as .xlsx, an export job (core.exports, kind "venues.register"): asked with a
purpose and audited when asked, built under the owner's export scope when it runs, watermarked
with who exported it, when and why, downloadable by its owner only until it expires. The columns
are the import's (importing/headers.py) with the status after them, so a corrected export can be
imported again; the responsible person's phone is masked unless the owner may reveal it."""

from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.cells import text_cell
from wangge.core.exports import Exported, Stamp, export_kind, export_start, param_row
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.regions.models import Community, Grid
from wangge.venues.importing.headers import CANONICAL_HEADERS
from wangge.venues.models import Venue, VenueStatus

KIND = "venues.register"
CHUNK = 2000
HEADERS = (*CANONICAL_HEADERS, "状态", "场所ID")
_COLUMNS = (
    "pk",
    "name",
    "kind__name",
    "grid__community__name",
    "grid__name",
    "address",
    "uscc",
    "responsible_name",
    "responsible_phone_masked",
    "responsible_phone_sealed",
    "staff_count",
    "longitude",
    "latitude",
    "status",
    "revealable",
)


def _venues(owner: User, community: Community | None, grid: Grid | None) -> QuerySet:
    venues = Venue.objects.restrict(owner, Action.EXPORT)
    if community is not None:
        venues = venues.filter(grid__community=community)
    if grid is not None:
        venues = venues.filter(grid=grid)
    if user_can(owner, Action.REVEAL):
        revealable = Venue.objects.restrict(owner, Action.REVEAL).filter(pk=OuterRef("pk"))
        venues = venues.annotate(revealable=Exists(revealable))
    else:
        venues = venues.annotate(revealable=Value(False))
    return venues.order_by("grid__community__name", "grid__name", "name", "pk")


def _filters(params: dict[str, Any]) -> tuple[Community | None, Grid | None]:
    return param_row(Community, params, "community"), param_row(Grid, params, "grid")


def _size(owner: User, params: dict[str, Any]) -> int:
    return _venues(owner, *_filters(params)).count()


@export_kind(KIND, size=_size)
def venue_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    """The venues in the owner's export scope now (narrowed by the filters), as a watermarked
    workbook."""
    venues = _venues(owner, *_filters(params))
    total = venues.count()
    statuses = dict(VenueStatus.choices)
    workbook = Workbook(write_only=True)
    stamp.book(workbook)
    sheet = stamp.sheet(workbook, "场所登记")
    sheet.append([text_cell(sheet, header, bold=True) for header in HEADERS])
    count = 0
    for (
        pk,
        name,
        kind,
        community,
        grid,
        address,
        uscc,
        responsible,
        phone_masked,
        phone_sealed,
        staff,
        longitude,
        latitude,
        status,
        revealable,
    ) in venues.values_list(*_COLUMNS).iterator(chunk_size=CHUNK):
        phone = crypto.unseal(phone_sealed) if revealable else phone_masked
        line = (
            name,
            kind,
            community,
            grid,
            address,
            uscc,
            responsible,
            phone,
            staff,
            "" if longitude is None else str(longitude),
            "" if latitude is None else str(latitude),
            str(statuses.get(status, status)),
            pk,
        )
        sheet.append([text_cell(sheet, value) for value in line])
        count += 1
        if count % CHUNK == 0:
            beat(count, total)
    buffer = BytesIO()
    workbook.save(buffer)
    return Exported(
        buffer.getvalue(), f"场所登记-{timezone.localtime(stamp.at):%Y%m%d-%H%M}.xlsx", count
    )


def venue_export(
    *,
    by: User,
    reason: str,
    reason_text: str = "",
    community: Community | None = None,
    grid: Grid | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the venues in `by`'s export scope (narrowed by the filters) as a job; audited now,
    with the purpose and the filters."""
    if not user_can(by, Action.EXPORT):
        raise PermissionDenied("您无权导出场所登记 / you may not export the venue register")
    params = {
        "community": community.pk if community else None,
        "grid": grid.pk if grid else None,
    }
    filters = "、".join(str(part) for part in (community, grid) if part)
    return export_start(
        by=by,
        kind=KIND,
        params=params,
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"场所登记{f'（{filters}）' if filters else ''}",
    )
