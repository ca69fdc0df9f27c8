"""Reads of the sweep pages: a user's buildings in a campaign with their counts, and one
building's households with members and attempts, everything the form needs offline."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wangge.accounts.models import User
from wangge.core.masking import mask_name
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.sweeps.models import Attempt, Campaign, Visit, VisitStatus
from wangge.sweeps.services.visits import GONE, proxy_allowed


def swept_visits(user: User, campaign: Campaign) -> QuerySet:
    """The campaign's visits the user may record attempts on."""
    return Visit.objects.restrict(user, Action.EDIT).filter(campaign=campaign)


def buildings_of(user: User, campaign: Campaign) -> list[dict[str, Any]]:
    """Per building of the user's grids: its grid, name, total and pending visits."""
    return list(
        swept_visits(user, campaign)
        .values("grid", "grid__name", "building", "building__name", "building__compound__name")
        .annotate(total=Count("pk"), pending=Count("pk", filter=Q(status=VisitStatus.PENDING)))
        .order_by("grid__name", "building__compound__name", "building__name")
    )


@dataclass
class Door:
    visit: Visit
    members: list[tuple[int, str]] = field(default_factory=list)
    proxy_allowed: bool = False


def doors_of(user: User, campaign: Campaign, building_id: int) -> list[Door]:
    """The building's households the user sweeps, each with its members (names shown in full to
    whoever sees them in the register, masked to the others) and its attempts."""
    visits = (
        swept_visits(user, campaign)
        .filter(building_id=building_id)
        .select_related("household")
        .prefetch_related(Prefetch("attempts", queryset=Attempt.objects.order_by("at", "pk")))
        .order_by("household__unit", "household__floor", "household__room", "pk")
    )
    doors = {visit.household_id: Door(visit) for visit in visits}
    people = (
        Person.objects.filter(household_id__in=doors)
        .exclude(status__in=GONE)
        .order_by("pk")
        .values_list("pk", "household_id", "name")
    )
    visible = set(
        Person.objects.restrict(user, Action.VIEW)
        .filter(household_id__in=doors)
        .values_list("pk", flat=True)
    )
    for pk, household, name in people:
        doors[household].members.append((pk, name if pk in visible else mask_name(name)))
    for door in doors.values():
        door.proxy_allowed = proxy_allowed(door.visit.attempts.all())
    return list(doors.values())
