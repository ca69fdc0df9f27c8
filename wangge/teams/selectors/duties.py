"""Reads of the duty lists and the co-building units: lists as pages, PDFs and the API show them,
and the people who may be chosen as holders."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.people.models import Assignment, Duty
from wangge.regions.models import Building, Community, Street
from wangge.teams.models import (
    CobuildingUnit,
    Member,
    MemberStatus,
    Position,
    PositionHolder,
    PostService,
)


def positions_for(user: Any, action: str = Action.VIEW) -> QuerySet[Position]:
    """The positions `user` may see (or edit), their duties and current holders loaded."""
    current = PositionHolder.objects.active().select_related("user", "member")
    return (
        Position.objects.restrict(user, action)
        .select_related("street", "community")
        .prefetch_related("duties", Prefetch("holders", current, to_attr="current_holders"))
        .order_by("street", "community", "order", "id")
    )


@dataclass
class DutyList:
    street: Street
    community: Community | None
    positions: list[Position] = field(default_factory=list)
    editable: bool = False

    @property
    def duty_count(self) -> int:
        return sum(len(p.duties.all()) for p in self.positions)


def duty_lists(user: Any, positions: QuerySet[Position]) -> list[DutyList]:
    """The positions grouped into lists: each street's, then each community's."""
    lists: dict[tuple[int, int | None], DutyList] = {}
    for position in positions:
        key = (position.street_id, position.community_id)
        if key not in lists:
            area = position.community or position.street
            lists[key] = DutyList(
                position.street, position.community, editable=holds(user, Action.EDIT, area)
            )
        lists[key].positions.append(position)
    return list(lists.values())


def street_staff(*street_ids: int) -> QuerySet[User]:
    """Active staff users with a role in the streets (on one, a community or a grid of it)."""
    in_street = (
        Q(role_assignments__street__in=street_ids)
        | Q(role_assignments__community__street__in=street_ids)
        | Q(role_assignments__grid__community__street__in=street_ids)
    )
    return User.objects.filter(in_street, is_active=True).distinct().order_by("full_name", "pk")


def holder_members(position: Position) -> QuerySet[Member]:
    """Confirmed members of the street's teams who may hold the position."""
    members = Member.objects.filter(
        team__street=position.street_id, status=MemberStatus.CONFIRMED
    ).select_related("team")
    return members.filter(party_member=True) if position.is_party_post else members


def party_posts(user: Any) -> list[dict[str, Any]]:
    """Each party post the user sees, with its holders and their service records and hours."""
    posts = positions_for(user).filter(is_party_post=True)
    services = PostService.objects.filter(position__in=posts).select_related("record__member")
    by_post: dict[int, list[Any]] = {}
    for service in services.order_by("-record__day", "-record__id"):
        by_post.setdefault(service.position_id, []).append(service.record)
    rows = []
    for post in posts:
        records = by_post.get(post.pk, [])
        hours: dict[int, Any] = {}
        names: dict[int, str] = {}
        for record in records:
            hours[record.member_id] = hours.get(record.member_id, 0) + record.hours
            names[record.member_id] = record.member.name
        per_member = sorted((names[pk], total) for pk, total in hours.items())
        rows.append({"post": post, "records": records, "hours": per_member})
    return rows


def units_for(user: Any, action: str = Action.VIEW) -> QuerySet[CobuildingUnit]:
    return CobuildingUnit.objects.restrict(user, action).select_related(
        "street", "community", "team", "contact_user"
    )


def unit_buildings(unit: CobuildingUnit) -> QuerySet[Assignment]:
    """The unit's takes in force (people.Assignment rows), their buildings loaded."""
    return (
        Assignment.objects.active()
        .filter(source=Assignment.Source.UNIT, source_id=unit.pk, duty=Duty.COBUILDING)
        .select_related("building__compound", "building__grid__community")
        .order_by("building__compound__name", "building__sort_key")
    )


def buildings_count(unit_ids: set[int]) -> dict[int, int]:
    """How many buildings each unit holds today."""
    rows = (
        Assignment.objects.active()
        .filter(source=Assignment.Source.UNIT, source_id__in=sorted(unit_ids))
        .values("source_id")
        .annotate(n=Count("pk"))
    )
    return {row["source_id"]: row["n"] for row in rows}


def buildings_free(unit: CobuildingUnit) -> QuerySet[Building]:
    """The buildings of the unit's area that no unit holds."""
    taken = Assignment.objects.filter(
        source=Assignment.Source.UNIT, duty=Duty.COBUILDING, ended=None, building__isnull=False
    ).values("building")
    area = (
        Q(grid__community=unit.community_id)
        if unit.community_id
        else Q(grid__community__street=unit.street_id)
    )
    return (
        Building.objects.filter(area).exclude(pk__in=taken).order_by("compound__name", "sort_key")
    )
