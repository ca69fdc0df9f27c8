"""Signing up to a team (报名): a volunteer on the public page, or a resident for themself or a
household member in the residents' portal. Only teams with open sign-up take them; each waits as
PENDING for the community to confirm. The same phone signing up to a team again gets its first
sign-up back (one who had left is put back in the queue). Sign-ups from one client address are
limited to TEAM_SIGNUPS_PER_ADDRESS_PER_MINUTE (notify.ratelimit, shared by every worker)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.notify import ratelimit
from wangge.people.models import Person
from wangge.teams.models import Member, MemberSource, MemberStatus, Team
from wangge.teams.services.teams import name_clean, phone_clean, phone_taken, skills_clean


class SignupLimited(Exception):
    """Too many sign-ups from one client address; the text says so (Chinese / English)."""


@dataclass(frozen=True)
class Signup:
    name: str
    phone: str
    skills: Sequence[str] = ()
    availability: str = ""
    note: str = ""


def open_teams() -> Any:
    """The teams that take sign-ups, by community."""
    return (
        Team.objects.filter(open_signup=True)
        .select_related("street", "community")
        .order_by("street__name", "community__name", "name")
    )


def _address_allows(address: str) -> bool:
    per_minute = int(settings.WANGGE["TEAM_SIGNUPS_PER_ADDRESS_PER_MINUTE"])
    if per_minute <= 0 or not address:
        return True
    return ratelimit.take(f"team-signup:{crypto.blind_index(address)}", 1, per_minute) == 1


def member_signup(
    *,
    team: Team,
    data: Signup,
    person: Person | None = None,
    source: str = MemberSource.PUBLIC,
    address: str = "",
    actor_label: str = "",
    origin: Origin = Origin.SYSTEM,
) -> tuple[Member, bool]:
    """The sign-up and whether it is new. The address is counted before anything else, outside the
    sign-up's transaction, so that a refused or failed attempt still counts."""
    if not _address_allows(address):
        raise SignupLimited("报名过于频繁，请稍后再试 / too many sign-ups, try again in a minute")
    return _signup(
        team=team, data=data, person=person, source=source, actor_label=actor_label, origin=origin
    )


@transaction.atomic
def _signup(
    *,
    team: Team,
    data: Signup,
    person: Person | None,
    source: str,
    actor_label: str,
    origin: Origin,
) -> tuple[Member, bool]:
    team = Team.objects.select_for_update().get(pk=team.pk)
    if not team.open_signup:
        raise ValidationError({"team": "该队伍暂不接受报名 / this team takes no sign-ups"})
    number = phone_clean(data.phone)
    label = actor_label or f"报名 {mask_phone(number)}"
    existing = phone_taken(team, number)
    if existing is not None:
        if existing.status == MemberStatus.LEFT:
            existing.status = MemberStatus.PENDING
            existing.save(update_fields=["status"])
            audit_record(
                actor=None,
                actor_label=label,
                action="update",
                target=existing,
                changes={"status": MemberStatus.PENDING},
                origin=origin,
            )
        return existing, False
    if person is not None and Member.objects.filter(team=team, person=person).exists():
        return Member.objects.get(team=team, person=person), False
    member = Member(
        team=team,
        person=person,
        name=name_clean(data.name),
        skills=skills_clean(data.skills),
        availability=data.availability.strip()[:100],
        note=data.note.strip()[:200],
        status=MemberStatus.PENDING,
        source=source,
    )
    member.set_phone(number)
    member.save()
    audit_record(
        actor=None,
        actor_label=label,
        action="create",
        target=member,
        changes={"team": team.pk, "phone": member.phone_masked, "source": source},
        origin=origin,
    )
    return member, True
