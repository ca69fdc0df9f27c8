"""Reads of 防疫登记: what a resident may see of registrations (their own, and those a grid worker
made for their household), what waits for them as a landlord, the staff queue (open ones first),
and the side-by-side comparison of a registration with the register."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.residents.models import Account, Registration, RegistrationMember, Vehicle

Status = Registration.Status


def own_registrations(account: Account) -> QuerySet[Registration]:
    mine = Q(account=account)
    if account.household_id:
        mine |= Q(on_behalf=True, household_id=account.household_id)
    return Registration.objects.filter(mine).select_related("household__building__compound")


def own_registration_or_404(account: Account, pk: int) -> Registration:
    registration = own_registrations(account).filter(pk=pk).first()
    if registration is None:
        raise Http404
    return registration


def landlord_waiting(account: Account) -> QuerySet[Registration]:
    """Registrations of tenants who named this account's phone as their landlord's."""
    return Registration.objects.filter(
        landlord_phone_hash=account.phone_hash, status=Status.LANDLORD
    ).select_related("household__building__compound", "building__compound")


def vehicles_of(household_id: int | None) -> QuerySet[Vehicle]:
    return (
        Vehicle.objects.filter(household_id=household_id)
        if household_id
        else Vehicle.objects.none()
    )


def queue(user: Any, status: str = "") -> QuerySet[Registration]:
    """The registrations a staff user sees: waiting for them first, then for a landlord, then
    the decided ones, newest first within each."""
    rows = Registration.objects.restrict(user, Action.VIEW).select_related(
        "household__building__compound", "building__compound", "grid", "account", "by"
    )
    if status in Status.values:
        rows = rows.filter(status=status)
    order = Case(
        When(status=Status.PENDING, then=Value(0)),
        When(status=Status.LANDLORD, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return rows.annotate(open_order=order).order_by("open_order", "-created_at", "-pk")


@dataclass(frozen=True)
class Side:
    name: str
    id_number: str
    phone: str
    relation: str
    residence: str


@dataclass(frozen=True)
class DiffRow:
    register: Side | None
    submitted: Side | None
    change: str
    proxied: bool = False
    elsewhere: bool = False


def _register_side(person: Person) -> Side:
    return Side(
        person.name,
        person.id_number_masked,
        person.phone_masked,
        person.get_relation_display(),
        person.get_residence_type_display(),
    )


def _submitted_side(row: RegistrationMember, registration: Registration) -> Side:
    whole = row.person is None or registration.residence_for_all
    return Side(
        row.name,
        row.id_number_masked or "（不变）",
        row.phone_masked or ("（不变）" if row.person_id else ""),
        row.get_relation_display(),
        (registration if whole else row.person).get_residence_type_display(),
    )


def comparison(registration: Registration) -> list[DiffRow]:
    """Each member of the register beside what the registration asks, then the new members;
    `elsewhere` marks a new member whose ID number the register already holds."""
    entries = list(registration.members.select_related("person"))
    by_person = {row.person_id: row for row in entries if row.person_id}
    rows = []
    if registration.household_id:
        present = Person.objects.filter(household_id=registration.household_id).exclude(
            status=Person.Status.MOVED_OUT
        )
        for person in present.order_by("pk"):
            entry = by_person.get(person.pk)
            if entry is None:
                rows.append(DiffRow(_register_side(person), None, ""))
                continue
            submitted = None if entry.change == "remove" else _submitted_side(entry, registration)
            rows.append(
                DiffRow(
                    _register_side(person), submitted, entry.get_change_display(), entry.proxied
                )
            )
    for entry in entries:
        if entry.change != "add":
            continue
        elsewhere = Person.objects.filter(
            id_type=entry.id_type, id_number_hash=entry.id_number_hash
        ).exists()
        rows.append(
            DiffRow(
                None,
                _submitted_side(entry, registration),
                entry.get_change_display(),
                entry.proxied,
                elsewhere,
            )
        )
    return rows
