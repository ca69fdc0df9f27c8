"""Reads of the teams pages and of the capabilities that draw on teams (checkpoint rosters)."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from wangge.accounts.models import RoleAssignment, User
from wangge.core.roles import Action
from wangge.regions.models import Community
from wangge.teams.models import Member, MemberStatus, ServiceRecord, Team, TeamKind


def rosterable_members(community: Community) -> QuerySet[Member]:
    """Who may be put on a duty roster in `community`: the CONFIRMED members of its teams and of
    the street-wide teams of its street."""
    return (
        Member.objects.confirmed()
        .filter(
            Q(team__community=community.pk)
            | Q(team__community__isnull=True, team__street=community.street_id)
        )
        .select_related("team")
        .order_by("team__kind", "team__name", "name", "pk")
    )


def teams_counted(user: User) -> QuerySet[Team]:
    """The teams `user` may see, each with its confirmed and pending members and hours served."""
    confirmed = Count("members", filter=Q(members__status=MemberStatus.CONFIRMED), distinct=True)
    pending = Count("members", filter=Q(members__status=MemberStatus.PENDING), distinct=True)
    hours = (
        ServiceRecord.objects.filter(member__team=OuterRef("pk"))
        .values("member__team")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        Team.objects.restrict(user, Action.VIEW)
        .select_related("community")
        .annotate(confirmed=confirmed, pending=pending, hours=Subquery(hours))
        .order_by("community__name", "name")
    )


@dataclass
class KindGroup:
    kind: str
    label: str
    teams: list[Team]


def teams_by_kind(user: User) -> list[KindGroup]:
    teams = list(teams_counted(user))
    groups = []
    for kind in TeamKind:
        mine = [team for team in teams if team.kind == kind]
        if mine:
            groups.append(KindGroup(kind.value, str(kind.label), mine))
    return groups


def pending_signups(user: User) -> QuerySet[Member]:
    """待确认报名 in the teams `user` may manage, oldest first."""
    return (
        Member.objects.restrict(user, Action.EDIT)
        .filter(status=MemberStatus.PENDING)
        .select_related("team__community", "person")
        .order_by("joined_at", "pk")
    )


def members_with_hours(team: Team) -> QuerySet[Member]:
    return (
        Member.objects.filter(team=team)
        .annotate(hours=Sum("service_records__hours"))
        .select_related("person", "user")
        .order_by("status", "name", "pk")
    )


def staff_of(team: Team) -> QuerySet[User]:
    """Staff who may be entered in `team`: anyone holding a role on its street, community or
    grids."""
    where = Q(street=team.street_id)
    if team.community_id:
        where |= Q(community=team.community_id) | Q(grid__community=team.community_id)
    roles = RoleAssignment.objects.filter(where)
    return User.objects.filter(is_active=True, pk__in=roles.values("user")).order_by(
        "full_name", "username"
    )
