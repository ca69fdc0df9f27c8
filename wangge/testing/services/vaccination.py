"""Writes about vaccination: doses (one by one or from a spreadsheet), outreach notes, transport.

A dose completes the course when its number reaches the course length of its vaccine
(settings.WANGGE["VACCINE_COURSE_DOSES"], by a word of the vaccine's name; 2 doses otherwise).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
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
from wangge.regions.models import Community
from wangge.testing.models import (
    OutreachNote,
    TransportPassenger,
    TransportSlot,
    VaccinationDose,
)
from wangge.testing.services.identities import IdentityError, read_id_number
from wangge.testing.services.lab.rows import OTHER_TYPES, RESIDENT_TYPES, parse_datetime

DOSE_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("姓名", "name"), "name"),
    **dict.fromkeys(("证件号码", "身份证号", "身份证号码", "证件号", "id_number"), "id_number"),
    **dict.fromkeys(("接种日期", "接种时间", "vaccinated_on"), "vaccinated_on"),
    **dict.fromkeys(("疫苗名称", "疫苗", "疫苗厂家", "生产企业", "vaccine"), "vaccine"),
    **dict.fromkeys(("剂次", "针次", "第几针", "接种剂次", "dose_number"), "dose_number"),
    **dict.fromkeys(("接种单位", "接种点", "接种地点", "site"), "site"),
}


def course_doses(vaccine: str) -> int:
    for word, doses in settings.WANGGE["VACCINE_COURSE_DOSES"].items():
        if word in vaccine:
            return doses
    return 2


def _dose_number(raw: str) -> int | None:
    text = normalise_text(raw).strip("第剂针 ")
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
    if text in digits:
        return digits[text]
    return int(text) if text.isdigit() and 0 < int(text) < 10 else None


@transaction.atomic
def dose_record(
    *,
    by: User,
    person: Person,
    dose_number: int,
    vaccinated_on: date,
    vaccine: str,
    site: str = "",
    origin: Origin = Origin.SYSTEM,
) -> VaccinationDose:
    """Record (or correct) one dose of a person."""
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied("您无权登记该人员的接种 / you may not record doses for this person")
    if dose_number < 1 or not vaccine.strip():
        raise ValidationError("请填写剂次和疫苗 / give the dose number and the vaccine")
    dose, created = VaccinationDose.objects.update_or_create(
        person=person,
        dose_number=dose_number,
        defaults={
            "vaccinated_on": vaccinated_on,
            "vaccine": vaccine.strip()[:60],
            "site": site.strip()[:100],
            "completes_course": dose_number >= course_doses(vaccine),
            "recorded_by": by,
        },
    )
    audit_record(
        actor=by,
        action="create" if created else "update",
        target=person,
        changes={"dose": dose_number, "vaccine": dose.vaccine, "on": vaccinated_on.isoformat()},
        origin=origin,
    )
    return dose


@dataclass
class DosesImport:
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "unmatched": len(self.unmatched),
            "rejected": len(self.rejected),
        }


def _read_dose(values: dict[str, str]) -> tuple[str, bool, int, date, str, str] | str:
    try:
        number, resident = read_id_number(values.get("id_number", ""))
    except IdentityError as error:
        return str(error)
    dose_number = _dose_number(values.get("dose_number", ""))
    when = parse_datetime(values.get("vaccinated_on", ""))
    vaccine = normalise_text(values.get("vaccine", ""))[:60]
    if dose_number is None:
        return "无法识别剂次 / unreadable dose number"
    if when is None:
        return "无法识别接种日期 / unreadable vaccination date"
    if not vaccine:
        return "缺少疫苗名称 / vaccine missing"
    on = timezone.localtime(when).date()
    return number, resident, dose_number, on, vaccine, normalise_text(values.get("site", ""))[:100]


@transaction.atomic
def doses_import(
    *, by: User, path: Path | str, original_name: str = "", origin: Origin = Origin.SYSTEM
) -> DosesImport:
    """Doses from a spreadsheet (姓名, 证件号码, 接种日期, 疫苗名称, 剂次, 接种单位), matched by ID
    number to the persons the importer may import for. The same dose again is a duplicate; the
    same dose number with other facts corrects the stored dose."""
    table = read_table(path, DOSE_SYNONYMS, original_name=original_name)
    outcome = DosesImport()
    read: list[tuple[int, tuple[str, bool, int, date, str, str]]] = []
    for row in table.rows:
        dose = _read_dose(row.values)
        if isinstance(dose, str):
            outcome.rejected.append((row.number, dose))
        else:
            read.append((row.number, dose))
    allowed = Person.objects.restrict(by, Action.IMPORT)
    persons: dict[str, int] = {}
    for resident, types in ((True, RESIDENT_TYPES), (False, OTHER_TYPES)):
        hashes = {crypto.blind_index(d[0]) for _, d in read if d[1] is resident}
        if hashes:
            persons.update(
                allowed.filter(id_type__in=types, id_number_hash__in=hashes).values_list(
                    "id_number_hash", "pk"
                )
            )
    stored = {
        (person_id, number): (pk, on, vaccine, site)
        for pk, person_id, number, on, vaccine, site in VaccinationDose.objects.filter(
            person_id__in=set(persons.values())
        ).values_list("pk", "person_id", "dose_number", "vaccinated_on", "vaccine", "site")
    }
    new: dict[tuple[int, int], VaccinationDose] = {}
    changed: dict[int, VaccinationDose] = {}
    for number_in_sheet, (number, _, dose_number, on, vaccine, site) in read:
        person_id = persons.get(crypto.blind_index(number))
        if person_id is None:
            outcome.unmatched.append(
                (number_in_sheet, "证件号码不在您的辖区名册 / ID number not in your register")
            )
            continue
        facts = {
            "vaccinated_on": on,
            "vaccine": vaccine,
            "site": site,
            "completes_course": dose_number >= course_doses(vaccine),
            "recorded_by": by,
        }
        key = (person_id, dose_number)
        known = stored.get(key)
        pending = new.get(key)
        if (known and known[1:] == (on, vaccine, site)) or (
            pending
            and (pending.vaccinated_on, pending.vaccine, pending.site) == (on, vaccine, site)
        ):
            outcome.duplicates += 1
        elif known:
            changed[known[0]] = VaccinationDose(pk=known[0], **facts)
            stored[key] = (known[0], on, vaccine, site)
            outcome.updated += 1
        else:
            if pending is None:
                outcome.created += 1
            else:
                outcome.updated += 1
            new[key] = VaccinationDose(person_id=person_id, dose_number=dose_number, **facts)
    VaccinationDose.objects.bulk_create(new.values())
    VaccinationDose.objects.bulk_update(
        changed.values(), ["vaccinated_on", "vaccine", "site", "completes_course", "recorded_by"]
    )
    audit_record(
        actor=by,
        action="import",
        target_type="testing.vaccinationdose",
        target_label=original_name or Path(path).name,
        changes=outcome.as_dict(),
        origin=origin,
    )
    return outcome


@transaction.atomic
def outreach_note_add(
    *, by: User, person: Person, outcome: str, note: str = "", origin: Origin = Origin.SYSTEM
) -> OutreachNote:
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied("您无权记录该人员 / you may not write about this person")
    if outcome not in OutreachNote.Outcome.values:
        raise ValidationError({"outcome": "未知的结果 / unknown outcome"})
    entry = OutreachNote.objects.create(person=person, outcome=outcome, note=note.strip(), by=by)
    audit_record(
        actor=by, action="create", target=entry, changes={"outcome": outcome}, origin=origin
    )
    return entry


@transaction.atomic
def slot_create(
    *,
    by: User,
    community: Community,
    departs_at: datetime,
    destination: str,
    seats: int,
    escort: str = "",
    origin: Origin = Origin.SYSTEM,
) -> TransportSlot:
    if not holds(by, Action.EDIT, community):
        raise PermissionDenied("您无权安排接送 / you may not arrange transport here")
    if seats < 1 or not destination.strip():
        raise ValidationError("请填写接种点和座位数 / give the destination and the seats")
    slot = TransportSlot.objects.create(
        community=community,
        departs_at=departs_at,
        destination=destination.strip(),
        seats=seats,
        escort=escort.strip(),
        created_by=by,
    )
    audit_record(actor=by, action="create", target=slot, changes={"seats": seats}, origin=origin)
    return slot


@transaction.atomic
def slot_book(
    *, by: User, slot: TransportSlot, person: Person, origin: Origin = Origin.SYSTEM
) -> TransportPassenger:
    """A seat on a trip for an elderly person; a full trip refuses."""
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied("您无权安排该人员 / you may not book for this person")
    slot = TransportSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.bookings.filter(person=person).exists():
        raise ValidationError("已在该车次 / already on this trip")
    if slot.bookings.count() >= slot.seats:
        raise ValidationError("该车次已满 / this trip is full")
    booking = TransportPassenger.objects.create(slot=slot, person=person, added_by=by)
    audit_record(
        actor=by,
        action="create",
        target=person,
        changes={"transport_slot": slot.pk},
        origin=origin,
    )
    return booking
