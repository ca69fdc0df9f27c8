"""The grid worker decides a registration. Confirming applies it to the register through the
register's own services (people: `household_create`, `person_create`, `person_update`,
`person_set_status`, `household_update`) in one transaction with the registration's own change:
any refusal — an ID number registered elsewhere, a plate of another household — undoes everything and
answers one message naming the member. Rejecting needs a reason, which the resident reads."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.people.services import (
    PersonData,
    household_create,
    household_update,
    person_create,
    person_set_status,
    person_update,
)
from wangge.regions.models import Household
from wangge.residents.models import Account, Registration, RegistrationMember, Vehicle

Status = Registration.Status
Change = RegistrationMember.Change


def _decidable(by: Any, registration: Registration) -> Registration:
    if not Registration.objects.restrict(by, Action.EDIT).filter(pk=registration.pk).exists():
        raise PermissionDenied("您无权处理该登记 / you may not decide on this registration")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_open:
        raise ValidationError("该登记已处理 / this registration has been decided already")
    return registration


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(str(m) for messages in error.message_dict.values() for m in messages)
    return "；".join(error.messages)


def _household(by: Any, registration: Registration, origin: Origin) -> Household:
    if registration.household is not None:
        return registration.household
    # The room registered meanwhile (a flatmate's registration confirmed first): join it.
    known = Household.objects.filter(
        building=registration.building, unit=registration.unit, room=registration.room
    ).first()
    if known is not None:
        return known
    kind = (
        Household.Kind.RENTAL
        if registration.residence_type == Person.ResidenceType.RENTING
        else Household.Kind.OWNER
    )
    return household_create(
        by=by,
        building=registration.building,
        unit=registration.unit,
        room=registration.room,
        kind=kind,
        origin=origin,
    )


def _data(row: RegistrationMember, registration: Registration, person: Person | None) -> PersonData:
    keep = person or Person()
    whole = person is None or registration.residence_for_all
    return PersonData(
        name=row.name,
        id_type=row.id_type,
        id_number=row.id_number or None,
        phone=row.phone or (None if person else ""),
        ethnicity=keep.ethnicity,
        residence_type=registration.residence_type if whole else keep.residence_type,
        relation=row.relation,
        native_place=keep.native_place,
        note=keep.note,
        birth_date=keep.birth_date,
        sex=keep.sex,
    )


def _member_apply(
    by: Any,
    registration: Registration,
    household: Household,
    row: RegistrationMember,
    origin: Origin,
) -> Person | None:
    try:
        if row.change == Change.ADD:
            return person_create(
                by=by, household=household, data=_data(row, registration, None), origin=origin
            )
        person = row.person
        if person is None or person.household_id != household.pk:
            raise ValidationError("已不在本户 / no longer in this household")
        if row.change == Change.REMOVE:
            note = f"防疫登记 #{registration.pk}"
            person_set_status(
                by=by, person=person, status=Person.Status.MOVED_OUT, note=note, origin=origin
            )
            return None
        return person_update(
            by=by, person=person, data=_data(row, registration, person), origin=origin
        )
    except ValidationError as error:
        raise ValidationError(
            f"“{row.name}”：{_first_message(error)}，未写入任何内容 / nothing was written"
        ) from error


def _landlord(by: Any, registration: Registration, household: Household) -> Person | None:
    """The register's person who carries the landlord's phone, when exactly one does and the
    worker may see them; otherwise the household stays a rental without a named landlord."""
    if not registration.landlord_phone_hash:
        return household.landlord
    found = list(
        Person.objects.restrict(by, Action.VIEW)
        .filter(phone_hash=registration.landlord_phone_hash)
        .exclude(household=household)[:2]
    )
    return found[0] if len(found) == 1 else household.landlord


def _rental(by: Any, registration: Registration, household: Household, origin: Origin) -> None:
    if registration.residence_type != Person.ResidenceType.RENTING:
        return
    landlord = _landlord(by, registration, household)
    if household.kind == Household.Kind.RENTAL and landlord == household.landlord:
        return
    household_update(
        by=by,
        household=household,
        kind=Household.Kind.RENTAL,
        landlord=landlord,
        note=household.note,
        origin=origin,
    )


def _vehicles(registration: Registration, household: Household) -> None:
    for row in registration.vehicles.all():
        if row.change == "remove":
            Vehicle.objects.filter(household=household, plate=row.plate).delete()
            continue
        holder = Vehicle.objects.filter(plate=row.plate).first()
        if holder is not None and holder.household_id != household.pk:
            raise ValidationError(
                f"车牌“{row.plate}”已登记在其他住户，未写入任何内容 / plate {row.plate} is "
                "registered to another household; nothing was written"
            )
        if holder is None:
            Vehicle.objects.create(household=household, plate=row.plate, registration=registration)


def _link_accounts(registration: Registration, household: Household, added: list[Person]) -> None:
    """The submitting account, and accounts of added members that had no household, now point
    at the household (and at their own person there)."""
    hashes = [person.phone_hash for person in added if person.phone_hash]
    accounts = Account.objects.filter(phone_hash__in=hashes, household__isnull=True)
    if registration.account_id:
        accounts = accounts | Account.objects.filter(pk=registration.account_id)
    members = {
        person.phone_hash: person
        for person in Person.objects.filter(household=household).exclude(phone_hash="")
    }
    for account in accounts.distinct():
        account.household = household
        account.person = members.get(account.phone_hash, account.person)
        if account.person is not None and account.person.household_id != household.pk:
            account.person = None
        account.save(update_fields=["household", "person"])


@transaction.atomic
def registration_confirm(
    *,
    by: Any,
    registration: Registration,
    note: str = "",
    without_landlord: bool = False,
    origin: Origin = Origin.SYSTEM,
) -> Registration:
    """Apply the registration to the register. One still waiting for its landlord is confirmed
    only `without_landlord`, with a note saying why (the landlord could not be reached)."""
    registration = _decidable(by, registration)
    note = note.strip()[:300]
    if registration.status == Status.LANDLORD:
        if not (without_landlord and note):
            raise ValidationError(
                "房东尚未确认：如联系不上房东，请勾选“未经房东确认”并写明情况 / the landlord has not "
                "confirmed; to confirm without them, say so and note why"
            )
        registration.landlord_skipped = True
    household = _household(by, registration, origin)
    added = []
    for row in registration.members.select_related("person"):
        person = _member_apply(by, registration, household, row, origin)
        if row.change == Change.ADD and person is not None:
            added.append(person)
    _rental(by, registration, household, origin)
    _vehicles(registration, household)
    _link_accounts(registration, household, added)
    registration.household = household
    registration.status = Status.CONFIRMED
    registration.decided_by, registration.decided_at = by, timezone.now()
    registration.decision_note = note
    registration.save()
    audit_record(
        actor=by,
        action="confirm",
        target=registration,
        changes={"household": household.pk, "landlord_skipped": registration.landlord_skipped},
        reason=note,
        origin=origin,
    )
    return registration


@transaction.atomic
def registration_reject(
    *, by: Any, registration: Registration, reason: str, origin: Origin = Origin.SYSTEM
) -> Registration:
    """Not accepted; the reason is what the resident reads on their page."""
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError({"reason": ["请填写不通过的原因 / a reason is required"]})
    registration = _decidable(by, registration)
    registration.status = Status.REJECTED
    registration.reason = reason
    registration.decided_by, registration.decided_at = by, timezone.now()
    registration.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(actor=by, action="reject", target=registration, reason=reason, origin=origin)
    return registration
