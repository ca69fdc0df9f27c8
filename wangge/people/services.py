"""Every write to a person, and to the household a person lives in: one transaction each,
audited. Views and the API call these."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.identity import IdentityError, IdType, parse_id_number, parse_phones
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, field_changes
from wangge.people.models import Assignment, Duty, Person, PersonStatusChange, Tag
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh
from wangge.regions.models import Building, Grid, Household

AUDITED_FIELDS = (
    "name",
    "id_type",
    "id_number_hash",
    "birth_date",
    "sex",
    "ethnicity",
    "phone_hash",
    "second_phone_hash",
    "residence_type",
    "household_id",
    "relation",
    "status",
    "native_place",
    "note",
)


def person_snapshot(person: Person) -> dict[str, Any]:
    """The audited fields, JSON-ready: ID and phone appear as masked values and hashes only."""
    data = {field: getattr(person, field) for field in AUDITED_FIELDS}
    data["birth_date"] = person.birth_date.isoformat() if person.birth_date else None
    data["id_number"] = person.id_number_masked
    data["phone"] = person.phone_masked
    data["second_phone"] = person.second_phone_masked
    data["tags"] = sorted(person.tags.values_list("code", flat=True)) if person.pk else []
    return data


@dataclass(frozen=True)
class PersonData:
    """The editable facts of a person, as a form or an API call gives them.

    On an update, `id_number=None` or `phone=None` keeps the stored value without reading it back:
    identifiers are decrypted only by reveal and export.
    """

    name: str
    id_type: str
    id_number: str | None
    phone: str | None = ""
    ethnicity: str = ""
    residence_type: str = Person.ResidenceType.REGISTERED
    relation: str = Person.Relation.HEAD
    native_place: str = ""
    note: str = ""
    birth_date: date | None = None
    sex: str = ""


def _identity(person: Person, data: PersonData) -> tuple[str, date | None, str]:
    """(id_type, birth date, sex) that the ID number itself fixes — none for a passport — after
    validating a new number, or keeping the stored one."""
    id_type = data.id_type or IdType.RESIDENT
    if data.id_number is None:
        if person.pk is None:
            raise ValidationError({"id_number": _("请填写证件号码 / ID number is required")})
        if id_type != person.id_type:
            raise ValidationError(
                {
                    "id_number": _(
                        "更改证件类型时须重新填写证件号码 / type the ID number again to change its type"
                    )
                }
            )
        if id_type in (IdType.RESIDENT, IdType.HMT_RESIDENCE):
            return id_type, person.birth_date, person.sex
        return id_type, None, ""
    try:
        identity = parse_id_number(data.id_number, id_type)
    except IdentityError as error:
        raise ValidationError({"id_number": str(error)}) from error
    person.set_id_number(identity.number)
    return identity.id_type, identity.birth_date, identity.sex


def _area_code(person: Person) -> str:
    """The area code of the person's street, for a landline typed without one."""
    household = person.household
    return household.grid.community.street.area_code if household and household.grid_id else ""


def _apply(person: Person, data: PersonData) -> None:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名 / name is required")})
    id_type, fixed_birth, fixed_sex = _identity(person, data)
    if data.phone is not None:
        # Two numbers typed in the one field keep the second as the second phone, as an import does.
        try:
            phones = parse_phones(data.phone, _area_code(person)) if data.phone.strip() else None
        except IdentityError as error:
            raise ValidationError({"phone": str(error)}) from error
        person.set_phone(phones.first if phones else "")
        person.set_second_phone(phones.second if phones else "")
    if fixed_sex and data.sex and data.sex != fixed_sex:
        raise ValidationError({"sex": _("性别与证件号码不符 / sex contradicts the ID number")})
    person.set_name(name)
    person.id_type = id_type
    person.birth_date = fixed_birth or data.birth_date
    person.sex = fixed_sex or data.sex
    person.ethnicity = data.ethnicity.strip()
    person.residence_type = data.residence_type
    person.relation = data.relation
    person.native_place = data.native_place.strip()
    person.note = data.note.strip()


def _check_unique(person: Person) -> None:
    clash = Person.objects.filter(id_type=person.id_type, id_number_hash=person.id_number_hash)
    if person.pk:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError(
            {"id_number": _("该证件号码已登记 / this ID number is already registered")}
        )


@transaction.atomic
def person_create(
    *,
    by: User,
    household: Household,
    data: PersonData,
    tags: list[Tag] | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Person:
    if not user_can(by, Action.EDIT, household):
        raise PermissionDenied(
            _("您无权在该户登记人员 / you may not register persons in this household")
        )
    person = Person(household=household)
    _apply(person, data)
    _check_unique(person)
    person.save()
    if tags:
        person.tags.set(tags)
    PersonStatusChange.objects.create(person=person, status=person.status, by=by, note=_("登记"))
    household_colours_refresh(household_ids=[household.pk], reason=ColourReason.PERSON, by=by)
    audit_record(
        actor=by, action="create", target=person, changes=person_snapshot(person), origin=origin
    )
    return person


@transaction.atomic
def person_update(
    *,
    by: User,
    person: Person,
    data: PersonData,
    household: Household | None = None,
    tags: list[Tag] | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Person:
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied(_("您无权修改该人员 / you may not change this person"))
    if (
        household is not None
        and household.pk != person.household_id
        and not user_can(by, Action.EDIT, household)
    ):
        raise PermissionDenied(
            _("您无权把人员迁入该户 / you may not move persons into this household")
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = person_snapshot(person)
    _apply(person, data)
    if household is not None:
        person.household = household
    _check_unique(person)
    person.save()
    if tags is not None:
        person.tags.set(tags)
    if person.household_id != before["household_id"]:
        household_colours_refresh(
            household_ids=[before["household_id"], person.household_id],
            reason=ColourReason.PERSON,
            by=by,
        )
    changes = field_changes(before, person_snapshot(person))
    if changes:
        audit_record(actor=by, action="update", target=person, changes=changes, origin=origin)
    return person


@transaction.atomic
def person_set_status(
    *, by: User, person: Person, status: str, note: str = "", origin: Origin = Origin.SYSTEM
) -> Person:
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied(_("您无权修改该人员 / you may not change this person"))
    if status not in Person.Status.values:
        raise ValidationError({"status": _("未知状态 / unknown status")})
    if status == person.status:
        return person
    old = person.status
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    PersonStatusChange.objects.create(person=person, status=status, by=by, note=note)
    household_colours_refresh(
        household_ids=Person.objects.filter(pk=person.pk).values_list("household_id", flat=True),
        reason=ColourReason.PERSON,
        by=by,
    )
    audit_record(
        actor=by,
        action="update",
        target=person,
        changes={"status": [old, status]},
        reason=note,
        origin=origin,
    )
    return person


@transaction.atomic
def person_verify_residence(*, by: User, person: Person, origin: Origin = Origin.SYSTEM) -> Person:
    """户籍不在这，日常是住这儿吗: record that someone checked that the person really lives here."""
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied(_("您无权核实该人员 / you may not verify this person"))
    person.residence_verified_at = timezone.now()
    person.residence_verified_by = by
    person.save(update_fields=["residence_verified_at", "residence_verified_by", "updated_at"])
    audit_record(
        actor=by,
        action="update",
        target=person,
        changes={"residence_verified": [None, "now"]},
        origin=origin,
    )
    return person


REVEALABLE = ("id_number", "phone", "second_phone")


@transaction.atomic
def person_reveal(
    *, by: User, person: Person, field: str, reason: str = "", origin: Origin = Origin.SYSTEM
) -> str:
    """The full ID number or a phone, for a user allowed to reveal it; every reveal is audited."""
    if field not in REVEALABLE:
        raise ValidationError(
            {"field": _("只能查看证件号码或电话 / only id_number or phone can be revealed")}
        )
    if not user_can(by, Action.REVEAL, person):
        raise PermissionDenied(_("您无权查看完整信息 / you may not reveal this"))
    audit_record(
        actor=by,
        action="reveal",
        target=person,
        changes={"field": field},
        reason=reason,
        origin=origin,
    )
    return str(getattr(person, field))


def household_snapshot(household: Household) -> dict[str, Any]:
    """The audited fields of a household, JSON-ready; the landlord appears by id and name."""
    landlord = household.landlord
    return {
        "kind": household.kind,
        "landlord_id": landlord.pk if landlord else None,
        "landlord": landlord.name if landlord else None,
        "note": household.note,
    }


@transaction.atomic
def household_update(
    *,
    by: Any,
    household: Household,
    kind: str,
    landlord: Any = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Household:
    """Change a household's kind (自住/出租/空置/商铺), its landlord and its note.

    The editor needs `edit` on the household and must be able to see a landlord they newly name
    (a landlord already on record may live outside the editor's area); a landlord belongs to a
    rental or shop-front, and no one is their own household's landlord.
    """
    if not user_can(by, Action.EDIT, household):
        raise PermissionDenied(_("您无权修改该户 / you may not change this household"))
    if kind not in Household.Kind.values:
        raise ValidationError({"kind": _("未知的户类型 / unknown household kind")})
    household = Household.objects.select_for_update().get(pk=household.pk)
    if landlord is not None:
        if landlord.pk != household.landlord_id and not user_can(by, Action.VIEW, landlord):
            raise ValidationError({"landlord": _("找不到该房东 / no such landlord in your area")})
        if kind not in {Household.Kind.RENTAL, Household.Kind.SHOPFRONT}:
            raise ValidationError(
                {
                    "landlord": _(
                        "只有出租户或商铺才有房东 / only a rental or a shop-front has a landlord"
                    )
                }
            )
        if landlord.household_id == household.pk:
            raise ValidationError(
                {
                    "landlord": _(
                        "房东不能是本户成员 / the landlord cannot be a member of this household"
                    )
                }
            )
    before = household_snapshot(household)
    household.kind = kind
    household.landlord = landlord
    household.note = note.strip()
    household.save(update_fields=["kind", "landlord", "note", "updated_at"])
    changes = field_changes(before, household_snapshot(household))
    if changes:
        audit_record(actor=by, action="update", target=household, changes=changes, origin=origin)
    return household


@transaction.atomic
def household_create(
    *,
    by: Any,
    building: Building,
    unit: str,
    room: str,
    kind: str = Household.Kind.OWNER,
    origin: Origin = Origin.SYSTEM,
) -> Household:
    """A new dwelling in a building of the editor's area (a resident's confirmed registration of
    a home the register did not have); the room must be new in its building and unit."""
    if not user_can(by, Action.EDIT, building):
        raise PermissionDenied(_("您无权在该楼栋登记住户 / you may not add households here"))
    unit, room = unit.strip(), room.strip()
    if not room:
        raise ValidationError({"room": _("请填写房号 / room is required")})
    if kind not in Household.Kind.values:
        raise ValidationError({"kind": _("未知的户类型 / unknown household kind")})
    if Household.objects.filter(building=building, unit=unit, room=room).exists():
        raise ValidationError({"room": _("该房号已登记 / this room is already registered")})
    household = Household.objects.create(
        building=building, grid_id=building.grid_id, unit=unit, room=room, kind=kind
    )
    audit_record(
        actor=by,
        action="create",
        target=household,
        changes={"building": building.pk, "unit": unit, "room": room, "kind": kind},
        origin=origin,
    )
    return household


def _assignment_target(by: User, target: Any) -> dict[str, Any]:
    """The target's field on an assignment, once `by` may change it (else 403)."""
    fields = {Person: "person", Household: "household", Building: "building", Grid: "grid"}
    field = fields.get(type(target))
    if field is None:
        raise ValidationError({"target": "包保对象应为人员、户、楼栋或网格 / unknown target"})
    if not type(target).objects.restrict(by, Action.EDIT).filter(pk=target.pk).exists():
        raise PermissionDenied("您无权为该对象指派包保人 / you may not assign holders here")
    return {field: target}


def _assignment_holder(by: User, holder: Any) -> dict[str, Any]:
    if isinstance(holder, User):
        if not holder.is_active:
            raise ValidationError({"holder": "该工作人员已停用 / this staff user is inactive"})
        return {"holder_user": holder}
    if isinstance(holder, Person):
        if not Person.objects.restrict(by).filter(pk=holder.pk).exists():
            raise PermissionDenied("您无权指派该居民 / you may not assign this person")
        return {"holder_person": holder}
    raise ValidationError({"holder": "请选择包保人 / choose a holder"})


@transaction.atomic
def assignment_create(
    *,
    by: User,
    target: Person | Household | Building | Grid,
    holder: User | Person,
    duty: str,
    source: str = Assignment.Source.MANUAL,
    source_id: int | None = None,
    started: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Assignment:
    """包保: `holder` answers for `target` with `duty` from `started` (today). `by` must be allowed
    to change the target; the same holder holds one duty on one target once at a time."""
    if duty not in Duty.values:
        raise ValidationError({"duty": "未知职责 / unknown duty"})
    if (source == Assignment.Source.MANUAL) != (source_id is None):
        raise ValidationError(
            {"source_id": "来源编号与来源不符 / source id does not fit the source"}
        )
    fields = _assignment_target(by, target) | _assignment_holder(by, holder)
    started = started or timezone.localdate()
    if Assignment.objects.active(started).filter(duty=duty, **fields).exists():
        raise ValidationError(
            {"holder": "该包保人已承担此职责 / this holder already holds this duty here"}
        )
    assignment = Assignment.objects.create(
        duty=duty, source=source, source_id=source_id, started=started, **fields
    )
    audit_record(
        actor=by,
        action="create",
        target=assignment,
        changes={"duty": duty, "source": source, "source_id": source_id, "started": str(started)},
        origin=origin,
    )
    return assignment


@transaction.atomic
def assignment_end(
    *,
    by: User,
    assignment: Assignment,
    on: date | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Assignment:
    """End an assignment on `on` (today): from that day it grants nothing. `by` must be allowed
    to change its target; an ended assignment stays ended."""
    if not Assignment.objects.restrict(by, Action.EDIT).filter(pk=assignment.pk).exists():
        raise PermissionDenied("您无权结束该包保关系 / you may not end this assignment")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended is not None:
        raise ValidationError("该包保关系已结束 / this assignment has already ended")
    on = on or timezone.localdate()
    assignment.ended = max(on, assignment.started)
    assignment.save(update_fields=["ended"])
    audit_record(
        actor=by,
        action="update",
        target=assignment,
        changes={"ended": [None, str(assignment.ended)]},
        origin=origin,
    )
    return assignment
