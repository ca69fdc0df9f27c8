"""Exporting persons to .xlsx: the user's scope only, masked unless they may reveal, watermarked.

Lists of residents leaking from chat groups were the worst privacy failure of the epidemic years, so
every export names its purpose, carries who exported it, when and why in its first row (and in the
printed page header and footer), is written to the audit log when asked for, and runs as a job whose
file only its owner may download, for a limited time (core.exports). The columns are the import template's, so a
corrected export can be imported again.
"""

from collections.abc import Iterator, Sequence
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
from wangge.core.identity import IdType, Sex
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.models import Person, Tag
from wangge.regions.models import DWELLING_ORDER, Building, Community, Grid

CHUNK = 2000
_COLUMNS = (
    "pk",
    "name",
    "sex",
    "id_type",
    "id_number_masked",
    "id_number_sealed",
    "phone_masked",
    "phone_sealed",
    "household__grid__community__name",
    "household__grid__name",
    "household__building__compound__name",
    "household__building__name",
    "household__unit",
    "household__floor",
    "household__room",
    "relation",
    "residence_type",
    "native_place",
    "birth_date",
    "ethnicity",
    "note",
    "revealable",
)


def _persons(
    by: User, community: Community | None, grid: Grid | None, building: Building | None
) -> QuerySet:
    persons = Person.objects.restrict(by, Action.EXPORT)
    if community is not None:
        persons = persons.filter(household__grid__community=community)
    if grid is not None:
        persons = persons.filter(household__grid=grid)
    if building is not None:
        persons = persons.filter(household__building=building)
    if user_can(by, Action.REVEAL):
        revealable = Person.objects.restrict(by, Action.REVEAL).filter(pk=OuterRef("pk"))
        persons = persons.annotate(revealable=Exists(revealable))
    else:
        persons = persons.annotate(revealable=Value(False))
    return persons.order_by("household__grid__community__name", *DWELLING_ORDER, "pk")


def _chunks(persons: QuerySet) -> Iterator[Sequence[tuple]]:
    chunk: list[tuple] = []
    for row in persons.values_list(*_COLUMNS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _lines(persons: QuerySet) -> Iterator[list[Any]]:
    tag_names = dict(Tag.objects.values_list("pk", "name"))
    through = Person.tags.through
    sexes, id_types = dict(Sex.choices), dict(IdType.choices)
    relations = dict(Person.Relation.choices)
    residence_types = dict(Person.ResidenceType.choices)
    party = Tag.objects.filter(code="party_member").values_list("pk", flat=True).first()
    for chunk in _chunks(persons):
        tags: dict[int, list[int]] = {}
        links = through.objects.filter(person_id__in=[row[0] for row in chunk]).order_by("tag_id")
        for person_id, tag_id in links.values_list("person_id", "tag_id"):
            tags.setdefault(person_id, []).append(tag_id)
        for (
            pk,
            name,
            sex,
            id_type,
            id_masked,
            id_sealed,
            phone_masked,
            phone_sealed,
            *place,
            relation,
            residence_type,
            native_place,
            born,
            ethnicity,
            note,
            revealable,
        ) in chunk:
            own = tags.get(pk, [])
            yield [
                name,
                str(sexes.get(sex, "")),
                crypto.unseal(id_sealed) if revealable else id_masked,
                str(id_types.get(id_type, "")),
                crypto.unseal(phone_sealed) if revealable else phone_masked,
                *("" if part is None else str(part) for part in place),
                str(relations.get(relation, "")),
                str(residence_types.get(residence_type, "")),
                "是" if party in own else "否",
                "、".join(tag_names[tag_id] for tag_id in own),
                native_place,
                born.isoformat() if born else "",
                ethnicity,
                note,
            ]


def _filters(params: dict[str, Any]) -> tuple[Community | None, Grid | None, Building | None]:
    """The filters the export was asked with, read again when it runs."""
    return (
        param_row(Community, params, "community"),
        param_row(Grid, params, "grid"),
        param_row(Building, params, "building"),
    )


def _size(owner: User, params: dict[str, Any]) -> int:
    return _persons(owner, *_filters(params)).count()


@export_kind("people.roster", size=_size)
def person_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    """The persons in the owner's export scope now (narrowed by the filters), masked unless the
    owner may reveal them, as a watermarked workbook."""
    persons = _persons(owner, *_filters(params))
    total = persons.count()
    workbook = Workbook(write_only=True)
    stamp.book(workbook)
    sheet = stamp.sheet(workbook, "人员名单")
    sheet.append([text_cell(sheet, header, bold=True) for header in CANONICAL_HEADERS])
    for count, line in enumerate(_lines(persons), start=1):
        sheet.append([text_cell(sheet, value) for value in line])
        if count % CHUNK == 0:
            beat(count, total)
    buffer = BytesIO()
    workbook.save(buffer)
    name = f"人员名单-{timezone.localtime(stamp.at):%Y%m%d-%H%M}.xlsx"
    return Exported(buffer.getvalue(), name, total)


def person_export(
    *,
    by: User,
    reason: str,
    reason_text: str = "",
    community: Community | None = None,
    grid: Grid | None = None,
    building: Building | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the persons in `by`'s export scope (narrowed by the filters) as a job; audited now,
    with the purpose and the filters."""
    if not user_can(by, Action.EXPORT):
        raise PermissionDenied("您无权导出人员名单 / you may not export persons")
    params = {
        "community": community.pk if community else None,
        "grid": grid.pk if grid else None,
        "building": building.pk if building else None,
        "full_identifiers": user_can(by, Action.REVEAL),
    }
    filters = "、".join(str(part) for part in (community, grid, building) if part)
    return export_start(
        by=by,
        kind="people.roster",
        params=params,
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"人员名单{f'（{filters}）' if filters else ''}",
    )
