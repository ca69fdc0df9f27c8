"""共建单位: registering units, their responsibility letters, and the buildings they take.

Who may edit: whoever edits the unit's community (the street for a street-wide unit). A unit takes
only buildings of its own street (of its community, when it has one), and one unit answers for a
building at a time: a second unit is refused until the first releases it, so each building has one
accountable unit, as 六包一 names one 区直单位 per building. A take is a people.Assignment row (duty
COBUILDING, source UNIT, the unit's id) held by the unit's contact (staff user or person of the
register); a release ends that row.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from wangge.core.identity import IdentityError, parse_phone, parse_uscc
from wangge.core.origin import Origin
from wangge.core.services import audit_record, field_changes
from wangge.people.models import Assignment, Duty, Person
from wangge.regions.models import Building, Community, Street
from wangge.teams.models import CobuildingUnit, ResponsibilityLetter, Team, TeamKind
from wangge.teams.services.common import require_area
from wangge.teams.services.scans import scan_clean

NOT_YOURS = "您无权管理该共建单位 / you may not manage this co-building unit"
COMMITMENTS = (
    "一、组织领导：单位主要负责人为疫情防控第一责任人，明确专人负责，服从街道、社区统一指挥。\n"
    "二、人员追踪：掌握本单位职工及家属行程和健康状况，每日报告，做到不漏一人。\n"
    "三、密切接触者管理：配合落实密切接触者、次密接的排查、转运和隔离管控。\n"
    "四、卫生消毒：对认领楼栋的公共区域、电梯、楼道每日消杀并记录。\n"
    "五、防控卡点：选派人员参与认领楼院卡点值守，落实扫码、测温、登记。\n"
    "六、健康宣教：在认领楼栋张贴告知书，宣传个人防护和疫苗接种。"
)
TRACKED = (
    "name",
    "uscc",
    "kind",
    "community_id",
    "contact_name",
    "contact_phone_masked",
    "contact_user_id",
    "contact_person_id",
    "team_id",
    "note",
)


@dataclass(frozen=True)
class UnitData:
    name: str
    kind: str
    community: Community | None = None
    uscc: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_user: Any = None
    contact_person: Person | None = None
    team: Team | None = None
    note: str = ""


def _snapshot(unit: CobuildingUnit) -> dict[str, Any]:
    return {name: getattr(unit, name) for name in TRACKED}


def _apply(unit: CobuildingUnit, data: UnitData) -> None:
    errors: dict[str, str] = {}
    try:
        unit.uscc = parse_uscc(data.uscc)
    except IdentityError as error:
        errors["uscc"] = str(error)
    try:
        unit.set_contact_phone(parse_phone(data.contact_phone) if data.contact_phone else "")
    except IdentityError as error:
        errors["contact_phone"] = str(error)
    unit.name = data.name.strip()
    unit.kind = data.kind
    unit.community = data.community
    unit.contact_name = data.contact_name.strip()
    unit.contact_user = data.contact_user
    unit.contact_person = data.contact_person
    unit.team = data.team
    unit.note = data.note.strip()
    if data.contact_user is not None and data.contact_person is not None:
        errors["contact_person"] = (
            "联系人账号与登记人员只能选一个 / choose a staff account or a person, not both"
        )
    if data.team is not None and (
        data.team.kind != TeamKind.COBUILDING or data.team.street_id != unit.street_id
    ):
        errors["team"] = (
            "须为本街道“共建单位”类的队伍 / the team must be a co-building team of this street"
        )
    if (
        CobuildingUnit.objects.filter(street=unit.street, name=unit.name)
        .exclude(pk=unit.pk)
        .exists()
    ):
        errors["name"] = f"单位“{unit.name}”已登记 / unit '{unit.name}' is registered already"
    if errors:
        raise ValidationError(errors)
    unit.full_clean(exclude=["street"])


@transaction.atomic
def unit_create(
    *, by: Any, street: Street, data: UnitData, origin: Origin = Origin.SYSTEM
) -> CobuildingUnit:
    require_area(by, street, data.community, NOT_YOURS)
    unit = CobuildingUnit(street=street)
    _apply(unit, data)
    unit.save()
    audit_record(
        actor=by, action="unit.create", target=unit, changes=_snapshot(unit), origin=origin
    )
    return unit


@transaction.atomic
def unit_update(
    *, by: Any, unit: CobuildingUnit, data: UnitData, origin: Origin = Origin.SYSTEM
) -> CobuildingUnit:
    unit = CobuildingUnit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
    require_area(by, unit.street, unit.community, NOT_YOURS)
    require_area(by, unit.street, data.community, NOT_YOURS)
    before = _snapshot(unit)
    _apply(unit, data)
    changes = field_changes(before, _snapshot(unit))
    if changes:
        unit.save()
        audit_record(actor=by, action="unit.update", target=unit, changes=changes, origin=origin)
    return unit


@transaction.atomic
def letter_add(
    *,
    by: Any,
    unit: CobuildingUnit,
    signed_on: date,
    commitments: str = "",
    valid_until: date | None = None,
    scan: UploadedFile | None = None,
    origin: Origin = Origin.SYSTEM,
) -> ResponsibilityLetter:
    """A signed letter; without commitments of its own it carries the six standard ones."""
    require_area(by, unit.street, unit.community, NOT_YOURS)
    if valid_until is not None and valid_until < signed_on:
        raise ValidationError({"valid_until": "有效期早于签订日期 / valid until before signed"})
    cleaned = scan_clean(scan) if scan is not None else None
    letter = ResponsibilityLetter(
        unit=unit,
        signed_on=signed_on,
        valid_until=valid_until,
        commitments=commitments.strip() or COMMITMENTS,
        created_by=by,
    )
    if cleaned is not None:
        letter.scan.save(
            f"{uuid.uuid4().hex}{cleaned.extension}", ContentFile(cleaned.content), False
        )
        letter.scan_type = cleaned.content_type
    letter.save()
    audit_record(
        actor=by,
        action="unit.letter_add",
        target=unit,
        changes={"signed_on": str(signed_on), "scan": bool(cleaned)},
        origin=origin,
    )
    return letter


@transaction.atomic
def building_take(
    *,
    by: Any,
    unit: CobuildingUnit,
    building: Building,
    started: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Assignment:
    require_area(by, unit.street, unit.community, NOT_YOURS)
    building = (
        Building.objects.select_for_update(of=("self",))
        .select_related("grid__community")
        .get(pk=building.pk)
    )
    community = building.grid.community
    if community.street_id != unit.street_id or (
        unit.community_id is not None and community.pk != unit.community_id
    ):
        raise ValidationError(
            f"“{building}”不在本单位所属辖区 / {building} is outside the unit's area"
        )
    if unit.contact_user_id is None and unit.contact_person_id is None:
        raise ValidationError(
            "请先为该单位指定联系人账号或登记人员 / give the unit a contact (staff account or "
            "person) first: the building is held in their name"
        )
    taken = (
        Assignment.objects.filter(
            building=building, duty=Duty.COBUILDING, source=Assignment.Source.UNIT, ended=None
        )
        .values_list("source_id", flat=True)
        .first()
    )
    if taken is not None:
        owner = CobuildingUnit.objects.filter(pk=taken).values_list("name", flat=True).first()
        raise ValidationError(
            f"“{building}”已由“{owner}”包保 / {building} is already taken by {owner}"
        )
    row = Assignment.objects.create(
        building=building,
        holder_user_id=unit.contact_user_id,
        holder_person_id=unit.contact_person_id,
        duty=Duty.COBUILDING,
        source=Assignment.Source.UNIT,
        source_id=unit.pk,
        started=started or timezone.localdate(),
    )
    audit_record(
        actor=by,
        action="unit.take",
        target=unit,
        changes={"building": str(building), "assignment": row.pk},
        origin=origin,
    )
    return row


@transaction.atomic
def building_release(
    *,
    by: Any,
    unit: CobuildingUnit,
    building: Building,
    ended: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Assignment:
    require_area(by, unit.street, unit.community, NOT_YOURS)
    row = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            building=building,
            duty=Duty.COBUILDING,
            source=Assignment.Source.UNIT,
            source_id=unit.pk,
            ended=None,
        )
        .first()
    )
    if row is None:
        raise ValidationError(f"本单位未包保“{building}” / the unit does not hold {building}")
    row.ended = max(ended or timezone.localdate(), row.started)
    row.save(update_fields=["ended"])
    audit_record(
        actor=by,
        action="unit.release",
        target=unit,
        changes={"building": str(building), "ended": str(row.ended)},
        origin=origin,
    )
    return row
