"""Accounts and sessions. Signing in (the one-time code) ends in `account_for_phone` and
`session_start`; every write a resident makes is audited through `audit_resident`."""

import secrets
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from wangge.core import crypto
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.residents.auth import session_lifetime
from wangge.residents.models import Account, Session


def audit_resident(
    *,
    account: Account,
    action: str,
    target: models.Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
) -> AuditEntry:
    """An audit entry whose actor is a resident: no staff user, the account's masked phone."""
    return audit_record(
        actor=None,
        actor_label=account.label,
        action=action,
        target=target,
        changes=changes,
        reason=reason,
        origin=origin,
    )


def _register_match(phone_hash: str) -> tuple[Any, Person | None]:
    """The household of the register's persons who carry this phone (first or second number), and
    the one whose own first number it is. Persons in more than one household: none of them — the
    grid worker settles which through a registration."""
    persons = list(
        Person.objects.filter(Q(phone_hash=phone_hash) | Q(second_phone_hash=phone_hash))
        .filter(household__isnull=False)
        .select_related("household")
        .order_by("pk")
    )
    households = {person.household_id for person in persons}
    if len(households) != 1:
        return None, None
    own = next((person for person in persons if person.phone_hash == phone_hash), None)
    return persons[0].household, own


@transaction.atomic
def account_for_phone(*, phone: str, origin: Origin = Origin.SYSTEM) -> Account:
    """The account of a parsed phone number (as `core.identity.parse_phone` gives it),
    created on its first sign-in and tied then to the household the register knows for it."""
    phone_hash = crypto.blind_index(phone)
    account = Account.objects.select_for_update().filter(phone_hash=phone_hash).first()
    if account is not None:
        return account
    account = Account()
    account.set_phone(phone)
    account.household, account.person = _register_match(phone_hash)
    account.save()
    audit_resident(
        account=account,
        action=AuditEntry.Action.CREATE,
        target=account,
        changes={"household": account.household_id},
        origin=origin,
    )
    return account


@transaction.atomic
def session_start(*, account: Account, origin: Origin = Origin.SYSTEM) -> tuple[Session, str]:
    """A new session of the account; returns it and the raw token for the cookie (kept nowhere)."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    session = Session.objects.create(
        account=account,
        digest=Session.digest_of(raw),
        created_at=now,
        last_seen_at=now,
        expires_at=now + session_lifetime(),
        user_agent=origin.agent[:200],
        ip=origin.ip,
    )
    Account.objects.filter(pk=account.pk).update(signed_in_at=now)
    audit_resident(account=account, action=AuditEntry.Action.LOGIN, target=account, origin=origin)
    return session, raw


@transaction.atomic
def session_end(*, account: Account, session_id: int, origin: Origin = Origin.SYSTEM) -> int:
    """End one of the account's own sessions (this phone or another); 0 when it is not theirs."""
    ended = Session.objects.filter(pk=session_id, account=account, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    if ended:
        audit_resident(
            account=account, action=AuditEntry.Action.LOGOUT, target=account, origin=origin
        )
    return ended


@transaction.atomic
def sessions_end_all(*, account: Account, origin: Origin = Origin.SYSTEM) -> int:
    """End every session of the account (a lost phone): each one must sign in again."""
    ended = Session.objects.filter(account=account, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    audit_resident(
        account=account,
        action=AuditEntry.Action.LOGOUT,
        target=account,
        changes={"sessions": ended},
        origin=origin,
    )
    return ended
