"""A resident's arrival report and check-in for a member of their own household. Both are the
measures capability's records, made through its services with the rules its staff intake and
team check-ins follow (the risk-area match and proposal; the client id counted once); the filing
beside each keeps the account and member, and 代办 when they differ."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.core import crypto
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.measures.models import ArrivalReport, CheckIn, PersonMeasure
from wangge.measures.services import checkin_record
from wangge.measures.services.arrivals import ArrivalData, arrival_report_create
from wangge.measures.services.risk_areas import Origin as Place
from wangge.people.models import Person
from wangge.residents.models import Account, ArrivalFiling, CheckInFiling
from wangge.residents.selectors import acting_for
from wangge.residents.services.accounts import audit_resident

NOT_A_MEMBER = "该人员不是您家庭的成员 / this person is not a member of your household"


def member_check(account: Account, person: Person) -> bool:
    """Whether the account may report for `person` (a member of its own household); the views
    resolve members with `member_or_404`, the services check again. Returns 代办."""
    if account.household_id is None or person.household_id != account.household_id:
        raise ValidationError({"person": NOT_A_MEMBER})
    return acting_for(account, person)


@dataclass(frozen=True)
class ArrivalInput:
    origin: Place
    departed_on: date
    arrived_at: datetime
    transport: str
    transport_detail: str = ""
    route: str = ""
    test_result: str = ""
    test_on: date | None = None


@transaction.atomic
def arrival_file(
    *, account: Account, person: Person, data: ArrivalInput, origin: Origin = Origin.SYSTEM
) -> ArrivalFiling:
    """返乡报备 of a member: the measures' arrival report (source resident) with the member's
    name, ID and phone from the register and the household as host; the grid worker confirms the
    measure the risk-area list proposes, as for a report made at a checkpoint."""
    proxy = member_check(account, person)
    report = arrival_report_create(
        by=None,  # type: ignore[arg-type]  # the service takes None with source resident
        data=ArrivalData(
            name=person.name,
            id_type=person.id_type,
            id_number=crypto.unseal(person.id_number_sealed),
            phone=crypto.unseal(person.phone_sealed),
            origin=data.origin,
            departed_on=data.departed_on,
            arrived_at=data.arrived_at,
            transport=data.transport,
            transport_detail=data.transport_detail,
            route=data.route,
            test_result=data.test_result,
            test_on=data.test_on,
            host_household=person.household,
        ),
        source=ArrivalReport.Source.RESIDENT,
        origin=origin,
    )
    filing = ArrivalFiling.objects.create(
        account=account, person=person, proxy=proxy, report=report
    )
    audit_resident(
        account=account,
        action=AuditEntry.Action.CREATE,
        target=report,
        changes={"person": person.pk, "proxy": proxy, "origin": report.origin_label},
        origin=origin,
    )
    return filing


def active_measure(person: Person) -> PersonMeasure | None:
    return (
        PersonMeasure.objects.filter(person=person, status=PersonMeasure.Status.ACTIVE)
        .order_by("-start", "-pk")
        .first()
    )


# The fields of a check-in as a form or a serializer reads them: `checkin_file(**reading(data))`.
CHECKIN_FIELDS = ("temperature", "symptoms", "symptoms_other", "client_id")


def reading(data: dict) -> dict:
    """The check-in's fields out of a form's cleaned data or a serializer's validated data."""
    return {name: data[name] for name in CHECKIN_FIELDS if name in data}


@transaction.atomic
def checkin_file(
    *,
    account: Account,
    person: Person,
    temperature: object,
    client_id: str,
    symptoms: Iterable[str] = (),
    symptoms_other: str = "",
    origin: Origin = Origin.SYSTEM,
) -> tuple[CheckIn, bool]:
    """打卡 for a member under a measure, through `measures.services.checkin_record` (source
    resident): the same client id twice is one check-in; (check-in, created)."""
    proxy = member_check(account, person)
    measure = active_measure(person)
    if measure is None:
        raise ValidationError(
            {"person": "该成员没有进行中的管控措施，无需打卡 / no measure in force for this member"}
        )
    checkin, created = checkin_record(
        by=None,
        measure=measure,
        temperature=temperature,
        client_id=client_id,
        symptoms=symptoms,
        symptoms_other=symptoms_other,
        source=CheckIn.Source.RESIDENT,
        origin=origin,
    )
    if created:
        CheckInFiling.objects.create(account=account, person=person, proxy=proxy, checkin=checkin)
        audit_resident(
            account=account,
            action=AuditEntry.Action.CREATE,
            target=checkin,
            changes={"person": person.pk, "proxy": proxy},
            origin=origin,
        )
    return checkin, created
