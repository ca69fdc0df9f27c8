"""防疫登记 submitted: by a resident for their own household (or for a place the register does not
have yet), or by a grid worker on a resident's behalf. Every member and plate is checked here
(the ID number by its check digit, the phone by the project's parser), so a registration that
waits for the grid worker holds only values the register would accept. The resident may
withdraw an open one; a new one replaces the account's open one. A tenant's waits first for the
landlord named by phone (`registration_landlord_answer`)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.selectors import community_workers_of, grid_workers_of, users_by_id
from wangge.core import crypto
from wangge.core.identity import IdentityError, IdType, parse_id_number, parse_phone
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record, post_alert
from wangge.people.models import Person
from wangge.regions.models import Building, Household
from wangge.residents.models import (
    Account,
    Registration,
    RegistrationMember,
    RegistrationVehicle,
    Vehicle,
)
from wangge.residents.plates import PlateError, parse_plate
from wangge.residents.services.accounts import audit_resident

Status = Registration.Status
ALERT_KIND = "resident_registration"


@dataclass(frozen=True)
class MemberEntry:
    """A member as the form gives it. `person_id` names a member the register has; for them an
    empty `id_number` or `phone` keeps the register's value, `remove` moves them out."""

    name: str
    relation: str = Person.Relation.OTHER
    id_number: str = ""
    id_type: str = IdType.RESIDENT
    phone: str = ""
    person_id: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class RegistrationInput:
    residence_type: str
    members: Sequence[MemberEntry] = ()
    household_id: int | None = None
    building_id: int | None = None
    compound_id: int | None = None
    unit: str = ""
    room: str = ""
    landlord_phone: str = ""
    residence_for_all: bool = False
    plates_add: Sequence[str] = ()
    vehicles_remove: Sequence[int] = field(default_factory=tuple)
    note: str = ""


def _fail(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _place(data: RegistrationInput, account: Account | None, by: Any) -> tuple[Any, Any]:
    """(household, building): the household it changes, or the building of a new dwelling."""
    if by is None and account is not None and account.household_id:
        return account.household, None
    if by is not None and data.household_id:
        household = Household.objects.restrict(by, Action.EDIT).filter(pk=data.household_id)
        if not household.exists():
            raise _fail("household", "无此户或无权代登记 / no such household in your area")
        return household.get(), None
    buildings = Building.objects.select_related("compound")
    if by is not None:
        buildings = buildings.restrict(by, Action.EDIT)
    if data.compound_id:
        buildings = buildings.filter(compound_id=data.compound_id)
    building = buildings.filter(pk=data.building_id).first() if data.building_id else None
    if building is None:
        raise _fail("building", "请选择所住的楼栋 / choose the building you live in")
    if not data.room.strip():
        raise _fail("room", "请填写房号 / room is required")
    existing = Household.objects.filter(
        building=building, unit=data.unit.strip(), room=data.room.strip()
    ).first()
    return existing, building


def _member_row(
    number: int, entry: MemberEntry, known: dict[int, Person], area_code: str
) -> RegistrationMember:
    label = f"第{number}位成员{('“' + entry.name.strip() + '”') if entry.name.strip() else ''}"
    person = known.get(entry.person_id) if entry.person_id else None
    if entry.person_id and person is None:
        raise _fail("members", f"{label}不是本户成员 / member {number} is not of this household")
    row = RegistrationMember(person=person, id_type=entry.id_type or IdType.RESIDENT)
    row.name = entry.name.strip()[:50] or (person.name if person else "")
    if not row.name:
        raise _fail("members", f"{label}：请填写姓名 / member {number}: name is required")
    if entry.relation not in Person.Relation.values:
        raise _fail("members", f"{label}：与户主关系无效 / member {number}: unknown relation")
    row.relation = entry.relation
    try:
        if entry.id_number.strip():
            row.set_id_number(parse_id_number(entry.id_number, row.id_type).number)
        elif person is None:
            raise IdentityError("请填写证件号码 / ID number is required")
        row.set_phone(parse_phone(entry.phone, area_code) if entry.phone.strip() else "")
    except IdentityError as error:
        raise _fail("members", f"{label}：{error}") from error
    return row


def _changed(row: RegistrationMember, person: Person, data: RegistrationInput) -> bool:
    residence_type = data.residence_type if data.residence_for_all else person.residence_type
    hashes = row.id_number_hash not in ("", person.id_number_hash) or row.phone_hash not in (
        "",
        person.phone_hash,
    )
    facts = (row.name, row.relation, residence_type)
    return hashes or facts != (person.name, person.relation, person.residence_type)


def _members(
    data: RegistrationInput, known: dict[int, Person], account: Account | None, area: str
) -> list[RegistrationMember]:
    rows, seen = [], set()
    for number, entry in enumerate(data.members, 1):
        if not (entry.name.strip() or entry.id_number.strip() or entry.person_id):
            continue
        row = _member_row(number, entry, known, area)
        person = row.person
        if entry.remove and person is not None:
            row.change = RegistrationMember.Change.REMOVE
        elif person is not None:
            if not _changed(row, person, data):
                continue
            row.change = RegistrationMember.Change.EDIT
        else:
            row.change = RegistrationMember.Change.ADD
        key = row.id_number_hash or (person.id_number_hash if person else "")
        if key in seen:
            raise _fail("members", f"“{row.name}”的证件号码重复 / an ID number is given twice")
        seen.add(key)
        if account is not None:
            own = person.pk == account.person_id if person else row.phone_hash == account.phone_hash
            row.proxied = not own
        rows.append(row)
    return rows


def _plates(data: RegistrationInput, household: Household | None) -> list[RegistrationVehicle]:
    rows: list[RegistrationVehicle] = []
    owned = dict(Vehicle.objects.filter(household=household).values_list("pk", "plate"))
    for vehicle_id in data.vehicles_remove:
        if vehicle_id not in owned:
            raise _fail("vehicles", "只能删除本户的车辆 / only this household's vehicles")
        rows.append(RegistrationVehicle(change="remove", plate=owned[vehicle_id]))
    for raw in data.plates_add:
        if not str(raw).strip():
            continue
        try:
            plate = parse_plate(raw)
        except PlateError as error:
            raise _fail("vehicles", str(error)) from error
        if plate in owned.values() or plate in {row.plate for row in rows}:
            continue
        rows.append(RegistrationVehicle(change="add", plate=plate))
    return rows


def _landlord(
    data: RegistrationInput, account: Account | None, renting: bool, household: Any
) -> str:
    """The landlord's phone a new tenant's registration waits for: as given, or the phone of the
    landlord the register records for the household."""
    if not renting:
        return ""
    landlord = household.landlord if household is not None else None
    if not data.landlord_phone.strip():
        if landlord is not None and landlord.phone_sealed:
            return crypto.unseal(landlord.phone_sealed)
        raise _fail("landlord_phone", "租住请填写房东手机号 / a tenant names the landlord's phone")
    try:
        phone = parse_phone(data.landlord_phone)
    except IdentityError as error:
        raise _fail("landlord_phone", f"房东电话：{error}") from error
    if account is not None and crypto.blind_index(phone) == account.phone_hash:
        raise _fail("landlord_phone", "房东电话不能是本人 / the landlord is someone else")
    return phone


def registration_recipients(registration: Registration) -> list[Any]:
    """The grid workers of the registration's grid; its community's workers when it has none."""
    grid = registration.grid
    ids = grid_workers_of([grid.pk]).get(grid.pk, [])
    if not ids:
        ids = community_workers_of([grid.community_id]).get(grid.community_id, [])
    return list(users_by_id(ids).values())


def registration_alert(registration: Registration) -> None:
    """One alert per registration that waits for the grid worker, never one per member."""
    proxied = "（代办）" if registration.members.filter(proxied=True).exists() else ""
    text = f"防疫登记待确认{proxied}：{registration.place}"
    link = reverse("residents:registration", args=[registration.pk])
    post_alert(registration_recipients(registration), ALERT_KIND, text, link)


def _supersede(account: Account | None, origin: Origin) -> None:
    if account is None:
        return
    for old in Registration.objects.select_for_update().filter(
        account=account, status__in=Registration.OPEN
    ):
        old.status, old.reason = Status.WITHDRAWN, "已由新的登记取代 / replaced by a newer one"
        old.save(update_fields=["status", "reason"])
        audit_resident(account=account, action="withdraw", target=old, origin=origin)


@transaction.atomic
def registration_submit(
    *,
    account: Account | None,
    data: RegistrationInput,
    by: Any = None,
    origin: Origin = Origin.SYSTEM,
) -> Registration:
    """A resident's registration (`account`), or a grid worker's on a resident's behalf (`by`;
    `account` None). Nothing is written to the
    register: the registration waits."""
    if account is None and by is None:
        raise PermissionDenied("登记须有居民账号或工作人员 / an account or a staff user acts")
    if data.residence_type not in Person.ResidenceType.values:
        raise _fail("residence_type", "请选择居住类型 / choose the residence type")
    household, building = _place(data, account, by)
    place = household.building if household is not None else building
    area_code = place.grid.community.street.area_code
    # A resident names only their own household's members; a new arrival's home is not theirs yet.
    own = household is not None and (
        by is not None or (account is not None and household.pk == account.household_id)
    )
    known = {p.pk: p for p in Person.objects.filter(household=household)} if own else {}
    members = _members(data, known, None if by else account, area_code)
    if household is None and not any(row.change == "add" for row in members):
        raise _fail("members", "新登记的住户至少填写一位成员 / a new home needs a member")
    vehicles = _plates(data, household)
    adds = any(row.change == "add" for row in members)
    renting = data.residence_type == Person.ResidenceType.RENTING and adds
    landlord_phone = _landlord(data, account, renting, household)
    if by is None:
        _supersede(account, origin)
    registration = Registration(
        account=account,
        by=by,
        on_behalf=by is not None,
        household=household,
        building=None if household is not None else building,
        unit="" if household is not None else data.unit.strip()[:20],
        room="" if household is not None else data.room.strip()[:30],
        grid_id=place.grid_id,
        residence_type=data.residence_type,
        residence_for_all=data.residence_for_all and household is not None,
        note=data.note.strip()[:300],
        status=Status.LANDLORD if landlord_phone else Status.PENDING,
    )
    registration.set_landlord_phone(landlord_phone)
    registration.save()
    for row in members:
        row.registration = registration
    RegistrationMember.objects.bulk_create(members)
    for vehicle in vehicles:
        vehicle.registration = registration
    RegistrationVehicle.objects.bulk_create(vehicles)
    changes = {
        "members": [[row.change, row.name, row.proxied] for row in members],
        "vehicles": [[row.change, row.plate] for row in vehicles],
        "on_behalf": registration.on_behalf,
    }
    if by is not None:
        audit_record(actor=by, action="create", target=registration, changes=changes, origin=origin)
    else:
        assert account is not None
        audit_resident(
            account=account, action="create", target=registration, changes=changes, origin=origin
        )
    if registration.status == Status.PENDING:
        registration_alert(registration)
    return registration


def _open_of(registrations: Any, pk: int) -> Registration:
    registration = registrations.select_for_update().filter(pk=pk).first()
    if registration is None:
        raise Registration.DoesNotExist
    if not registration.is_open:
        raise _fail("status", "该登记已处理 / this registration has been decided already")
    return registration


@transaction.atomic
def registration_withdraw(
    *, account: Account, registration_id: int, origin: Origin = Origin.SYSTEM
) -> Registration:
    """The resident takes back an open registration of their own (another's: DoesNotExist)."""
    registration = _open_of(Registration.objects.filter(account=account), registration_id)
    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status"])
    audit_resident(account=account, action="withdraw", target=registration, origin=origin)
    return registration


@transaction.atomic
def registration_landlord_answer(
    *,
    account: Account,
    registration_id: int,
    agree: bool,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
) -> Registration:
    """The landlord named by phone confirms the tenancy (on to the grid worker) or declines it
    (the registration is not accepted, with the landlord's reason)."""
    waiting = Registration.objects.filter(
        landlord_phone_hash=account.phone_hash, status=Status.LANDLORD
    )
    registration = _open_of(waiting, registration_id)
    reason = reason.strip()[:200]
    if not agree and not reason:
        raise _fail("reason", "请说明不确认的原因 / say why you do not confirm")
    registration.landlord_account = account
    registration.landlord_answered_at = timezone.now()
    if agree:
        registration.status = Status.PENDING
    else:
        registration.status = Status.REJECTED
        registration.reason = f"房东未确认：{reason}"
    registration.save()
    audit_resident(
        account=account,
        action="landlord_confirm" if agree else "landlord_decline",
        target=registration,
        reason=reason,
        origin=origin,
    )
    if agree:
        registration_alert(registration)
    return registration
