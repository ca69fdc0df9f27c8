"""Writes about key groups: the group and its rule, its members (added one by one or from a
spreadsheet), members leaving. Members who are in the register are linked to their person."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.accounts.models import User
from wangge.core import crypto
from wangge.core.identity import normalise_text
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.core.spreadsheets import read_table
from wangge.people.models import Person
from wangge.regions.models import Community, Street
from wangge.testing.models import KeyGroup, KeyGroupMember
from wangge.testing.services.identities import IdentityError, read_id_number, read_phone
from wangge.testing.services.lab.rows import OTHER_TYPES, RESIDENT_TYPES

MEMBER_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("姓名", "name"), "name"),
    **dict.fromkeys(("证件号码", "身份证号", "身份证号码", "证件号", "id_number"), "id_number"),
    **dict.fromkeys(("手机号", "联系电话", "手机号码", "电话", "phone"), "phone"),
    **dict.fromkeys(("工作单位", "用工单位", "单位", "所属企业", "employer"), "employer"),
    **dict.fromkeys(("场所", "工地", "项目", "工作场所", "venue"), "venue"),
}


@transaction.atomic
def keygroup_create(
    *,
    by: User,
    street: Street,
    name: str,
    kind: str,
    interval_days: int,
    community: Community | None = None,
    venue: str = "",
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> KeyGroup:
    if not holds(by, Action.EDIT, community or street):
        raise PermissionDenied("您无权设立重点人群 / you may not set up a key group here")
    if interval_days < 1:
        raise ValidationError({"interval_days": "检测周期至少1天 / the interval is at least 1 day"})
    if KeyGroup.objects.filter(street=street, name=name.strip()).exists():
        raise ValidationError({"name": "该名称已存在 / this name is taken"})
    group = KeyGroup.objects.create(
        street=street,
        community=community,
        name=name.strip(),
        kind=kind,
        interval_days=interval_days,
        venue=venue.strip(),
        note=note.strip(),
        created_by=by,
    )
    audit_record(
        actor=by,
        action="create",
        target=group,
        changes={"kind": kind, "interval_days": interval_days},
        origin=origin,
    )
    return group


def _person_ids(numbers: dict[str, bool]) -> dict[str, int]:
    """ID hash → person id for the registered ones among these numbers (number → resident-style)."""
    found: dict[str, int] = {}
    for resident, types in ((True, RESIDENT_TYPES), (False, OTHER_TYPES)):
        hashes = [crypto.blind_index(n) for n, r in numbers.items() if r is resident]
        if hashes:
            found.update(
                Person.objects.filter(id_type__in=types, id_number_hash__in=hashes).values_list(
                    "id_number_hash", "pk"
                )
            )
    return found


def _member(group: KeyGroup, name: str, number: str, phone: str, **facts: Any) -> KeyGroupMember:
    member = KeyGroupMember(group=group, name=name, **facts)
    member.set_id_number(number)
    if phone:
        member.set_phone(phone)
    return member


@transaction.atomic
def member_add(
    *,
    by: User,
    group: KeyGroup,
    name: str,
    id_number: str,
    phone: str = "",
    employer: str = "",
    venue: str = "",
    joined_on: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> KeyGroupMember:
    if not user_can(by, Action.EDIT, group):
        raise PermissionDenied("您无权修改该重点人群 / you may not change this group")
    name = normalise_text(name).replace(" ", "")
    if not name:
        raise ValidationError({"name": "请填写姓名 / name is required"})
    try:
        number, resident = read_id_number(id_number)
        phone = read_phone(phone)
    except IdentityError as error:
        field_name = "phone" if "电话" in str(error) else "id_number"
        raise ValidationError({field_name: str(error)}) from error
    if group.members.filter(id_number_hash=crypto.blind_index(number)).exists():
        raise ValidationError({"id_number": "该人员已在本组 / already a member of this group"})
    member = _member(
        group,
        name,
        number,
        phone,
        employer=employer.strip(),
        venue=venue.strip() or group.venue,
        joined_on=joined_on or timezone.localdate(),
        person_id=_person_ids({number: resident}).get(crypto.blind_index(number)),
    )
    member.save()
    audit_record(
        actor=by, action="create", target=member, changes={"group": group.pk}, origin=origin
    )
    return member


@transaction.atomic
def member_leave(
    *,
    by: User,
    member: KeyGroupMember,
    left_on: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> KeyGroupMember:
    if not user_can(by, Action.EDIT, member.group):
        raise PermissionDenied("您无权修改该重点人群 / you may not change this group")
    member.left_on = left_on or timezone.localdate()
    member.save(update_fields=["left_on"])
    audit_record(
        actor=by,
        action="update",
        target=member,
        changes={"left_on": [None, member.left_on.isoformat()]},
        origin=origin,
    )
    return member


@dataclass
class MembersImport:
    added: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "duplicates": self.duplicates, "rejected": len(self.rejected)}


@transaction.atomic
def members_import(
    *,
    by: User,
    group: KeyGroup,
    path: Path | str,
    original_name: str = "",
    origin: Origin = Origin.SYSTEM,
) -> MembersImport:
    """A roster of workers (姓名, 证件号码, 手机号, 工作单位, 场所) into the group; members already
    in it are duplicates; bad rows are reported by row number and reason."""
    if not user_can(by, Action.EDIT, group):
        raise PermissionDenied("您无权修改该重点人群 / you may not change this group")
    table = read_table(path, MEMBER_SYNONYMS, original_name=original_name)
    outcome = MembersImport()
    existing = set(group.members.values_list("id_number_hash", flat=True))
    read: list[tuple[str, str, bool, str, dict[str, str]]] = []
    for row in table.rows:
        name = normalise_text(row.values.get("name", "")).replace(" ", "")
        try:
            number, resident = read_id_number(row.values.get("id_number", ""))
            phone = read_phone(row.values.get("phone", ""))
        except IdentityError as error:
            outcome.rejected.append((row.number, str(error)))
            continue
        if not name:
            outcome.rejected.append((row.number, "缺少姓名 / name missing"))
            continue
        id_hash = crypto.blind_index(number)
        if id_hash in existing:
            outcome.duplicates += 1
            continue
        existing.add(id_hash)
        read.append((name, number, resident, phone, row.values))
    persons = _person_ids({number: resident for _, number, resident, _, _ in read})
    today = timezone.localdate()
    KeyGroupMember.objects.bulk_create(
        [
            _member(
                group,
                name,
                number,
                phone,
                employer=normalise_text(values.get("employer", ""))[:100],
                venue=normalise_text(values.get("venue", ""))[:100] or group.venue,
                joined_on=today,
                person_id=persons.get(crypto.blind_index(number)),
            )
            for name, number, _, phone, values in read
        ]
    )
    outcome.added = len(read)
    audit_record(
        actor=by,
        action="import",
        target=group,
        changes=outcome.as_dict(),
        target_label=f"{group} ← {original_name or Path(path).name}",
        origin=origin,
    )
    return outcome
