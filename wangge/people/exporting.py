"""Exporting persons to .xlsx: the user's scope only, masked unless they may reveal, watermarked.

Lists of residents leaking from chat groups were the worst privacy failure of the epidemic years, so
every export names its purpose, carries who exported it, when and why in its first row (and in the
printed page header), and is written to the audit log. The columns are the import template's, so a
corrected export can be imported again.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.cells import text_cell
from wangge.core.identity import IdType, Sex
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.importing.headers import CANONICAL_HEADERS
from wangge.people.models import Person, Tag
from wangge.regions.models import DWELLING_ORDER, Building, Community, Grid

OTHER_REASON = "other"
EXPORT_REASONS = [
    ("screening", _("疫情防控排查")),
    ("testing", _("组织核酸检测")),
    ("vaccination", _("组织疫苗接种")),
    ("visits", _("入户走访核实")),
    ("superior", _("上级部门要求")),
    (OTHER_REASON, _("其他")),
]
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


@dataclass
class ExportFile:
    content: bytes
    filename: str
    count: int


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


@transaction.atomic
def person_export(
    *,
    by: User,
    reason: str,
    reason_text: str = "",
    community: Community | None = None,
    grid: Grid | None = None,
    building: Building | None = None,
    request: HttpRequest | None = None,
) -> ExportFile:
    """The persons in `by`'s export scope (narrowed by the filters) as a watermarked workbook."""
    if not user_can(by, Action.EXPORT):
        raise PermissionDenied("您无权导出人员名单 / you may not export persons")
    purposes = dict(EXPORT_REASONS)
    if reason not in purposes:
        raise PermissionDenied("请选择导出用途 / choose the purpose of the export")
    purpose = str(purposes[reason]) + (f"：{reason_text.strip()}" if reason_text.strip() else "")
    persons = _persons(by, community, grid, building)
    count = persons.count()
    now = timezone.localtime()
    who = f"{by.username}（{by}）" if str(by) != by.username else by.username
    watermark = (
        f"导出人：{who}  导出时间：{now:%Y-%m-%d %H:%M}（北京时间）  用途：{purpose}  "
        f"共{count}人 · 仅限本次用途使用，不得转发到群聊或外传"
    )
    workbook = Workbook(write_only=True)
    workbook.properties.creator = by.username
    workbook.properties.description = watermark
    sheet = workbook.create_sheet("人员名单")
    sheet.oddHeader.center.text = watermark
    sheet.append([text_cell(sheet, watermark, bold=True)])
    sheet.append([text_cell(sheet, header, bold=True) for header in CANONICAL_HEADERS])
    for line in _lines(persons):
        sheet.append([text_cell(sheet, value) for value in line])
    buffer = BytesIO()
    workbook.save(buffer)
    filters = {
        "community": community.name if community else "",
        "grid": grid.name if grid else "",
        "building": str(building) if building else "",
    }
    audit_record(
        actor=by,
        action="export",
        target_type="people.person",
        target_label=f"人员名单（{count}人）",
        changes={
            "count": count,
            "filters": filters,
            "full_identifiers": user_can(by, Action.REVEAL),
        },
        reason=purpose,
        origin=Origin.from_request(request),
    )
    return ExportFile(buffer.getvalue(), f"人员名单-{now:%Y%m%d-%H%M}.xlsx", count)
