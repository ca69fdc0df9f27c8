"""What a resident may read: their own household and nothing else. Every portal page and resident
API view that names a member, a code or a request goes through `member_or_404` (or filters by
`household_of`), so another household's anything answers 404, never 403."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Now
from django.http import Http404

from wangge.people.models import Person
from wangge.regions.models import Household
from wangge.residents.models import Account, Session


def household_of(account: Account) -> Household | None:
    return account.household


def members(account: Account) -> QuerySet[Person]:
    """The members of the account's household, the account's own person first."""
    if account.household_id is None:
        return Person.objects.none()
    return Person.objects.filter(household_id=account.household_id).order_by("pk")


def member_or_404(account: Account, person_id: int) -> Person:
    person = members(account).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def acting_for(account: Account, person: Person) -> bool:
    """代办: the account acts for a member who is not the account's own person."""
    return person.pk != account.person_id


def sessions(account: Account) -> QuerySet[Session]:
    return account.sessions.filter(ended_at__isnull=True).order_by("-last_seen_at")


def household_accounts(user: Any, household: Household) -> QuerySet[Account]:
    """The residents' accounts of a household, for the staff who see it (the household page)."""
    return (
        Account.objects.restrict(user)
        .filter(household=household)
        .annotate(
            signed_in=Count(
                "sessions",
                filter=Q(sessions__ended_at__isnull=True, sessions__expires_at__gt=Now()),
            )
        )
        .order_by("pk")
    )
