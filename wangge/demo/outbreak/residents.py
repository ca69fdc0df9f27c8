"""The demo street's residents on their own channel: about 500 accounts (one per phone of the
register's adults, the first grid's first), some of them signed in on two phones, and the demo
resident — a member of the first household of 第一网格 with someone under an active measure, so
that the code page, the check-in and the household's requests have something to show. Its phone
is printed by `demo_logins`; its codes arrive on the fake gateway and the outbox page."""

import random

from django.db.models import Case, IntegerField, Value, When

from wangge.accounts.models import RoleAssignment
from wangge.core import crypto
from wangge.core.origin import Origin
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import PersonMeasure
from wangge.notify.channels.sms import mobile
from wangge.people.models import Person
from wangge.regions.models import Grid, Household
from wangge.residents.models import Account
from wangge.residents.services import account_for_phone, session_start

ACCOUNTS = 500
PHONES_TWICE = 40
DEMO_AGENT = "Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0"


def demo_household(grid: Grid) -> Household | None:
    """The demo resident's household: the first of the grid with a member under an active measure."""
    return (
        Household.objects.filter(
            grid=grid,
            members__measures__in=PersonMeasure.objects.active(),
        )
        .order_by("pk")
        .first()
    )


def demo_resident(grid: Grid) -> Account | None:
    """The demo resident's account: the own account of a member of `demo_household`."""
    household = demo_household(grid)
    if household is None:
        return None
    return Account.objects.filter(household=household, person__isnull=False).order_by("pk").first()


def _phone(person: Person) -> str:
    return mobile(crypto.unseal(person.phone_sealed)) if person.phone_sealed else ""


def residents_seed(cast: Cast, rng: random.Random) -> None:
    household = demo_household(cast.grid)
    first_grid_first = Case(
        When(household=household, then=Value(0)),
        When(household__grid=cast.grid, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    adults = (
        cast.residents(phone_hash__gt="")
        .exclude(phone_sealed="")
        .annotate(first=first_grid_first)
        .order_by("first", "pk")
    )
    seen: set[str] = set()
    accounts: list[Account] = []
    with moment(cast.calendar.now):
        for person in adults.iterator():
            phone = _phone(person)
            if not phone or phone in seen:
                continue
            seen.add(phone)
            origin = Origin(
                ip=f"10.8.{rng.randrange(256)}.{rng.randrange(1, 255)}", agent=DEMO_AGENT
            )
            account = account_for_phone(phone=phone, origin=origin)
            session_start(account=account, origin=origin)
            accounts.append(account)
            if len(accounts) >= ACCOUNTS:
                break
        for account in rng.sample(accounts, min(PHONES_TWICE, len(accounts))):
            session_start(account=account, origin=Origin(agent="Mozilla/5.0 (iPhone) Safari"))


def demo_resident_phone() -> str:
    """The demo resident's phone, for `demo_logins`; "" before the demo street is loaded."""
    assignment = (
        RoleAssignment.objects.filter(user__username="demo-grid", grid__isnull=False)
        .select_related("grid")
        .first()
    )
    grid = assignment.grid if assignment is not None else None
    account = demo_resident(grid) if grid is not None else None
    return crypto.unseal(account.phone_sealed) if account is not None else ""
