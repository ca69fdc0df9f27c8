"""Reads of the need loop: the needs a user may see (their area's — a grid worker's grid's
household needs — and those they asked for or deliver), the deliveries given to them, a need's
timeline of steps, and what a user may do with a need now."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.checkpoints.models import SCAN, Checkpoint
from wangge.core.roles import Action, Role
from wangge.supplies.models import OPEN_NEED_STATUSES, Need, NeedStatus, Place
from wangge.teams.models import Member, MemberStatus

RELATED = ("street", "community", "grid", "checkpoint", "team", "household", "place")


def _mine(user: Any) -> Q:
    return Q(requested_by=user) | Q(deliverer_user=user) | Q(deliverer_member__user=user)


def checkpoints_for(user: Any) -> QuerySet[Checkpoint]:
    """Active checkpoints `user` may ask supplies for: those of their area, or that they man."""
    seen = Checkpoint.objects.restrict(user, Action.EDIT).values("pk")
    manned = Checkpoint.objects.restrict(user, SCAN).values("pk")
    return Checkpoint.objects.filter(Q(pk__in=seen) | Q(pk__in=manned), active=True).order_by(
        "name"
    )


def needs_for(user: Any, status: str = "") -> QuerySet[Need]:
    """The needs `user` may see, newest first; `status` "open" for those still open."""
    if not getattr(user, "is_authenticated", False):
        return Need.objects.none()
    area = Need.objects.restrict(user, Action.VIEW).values("pk")
    rows = Need.objects.filter(Q(pk__in=area) | _mine(user)).select_related(*RELATED)
    if status == "open":
        rows = rows.filter(status__in=OPEN_NEED_STATUSES)
    elif status in NeedStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def deliveries_for(user: Any) -> QuerySet[Need]:
    """The needs on their way with `user` as deliverer, the oldest first."""
    mine = Q(deliverer_user=user) | Q(deliverer_member__user=user)
    return (
        Need.objects.filter(mine, status=NeedStatus.DELIVERING)
        .select_related(*RELATED)
        .prefetch_related("lines__item")
        .order_by("dispatched_at", "pk")
    )


def household_needs(household_id: int | None) -> QuerySet[Need]:
    """A household's own needs (the residents' portal), newest first."""
    if household_id is None:
        return Need.objects.none()
    return (
        Need.objects.filter(household_id=household_id)
        .select_related("place", "deliverer_member", "deliverer_user")
        .prefetch_related("lines__item")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Step:
    label: str
    at: datetime
    who: str


def _name(user: Any) -> str:
    return (user.full_name or user.username) if user is not None else ""


def timeline(need: Need, *, staff_names: bool = True) -> list[Step]:
    """The steps the need has been through, in order, with their times and who took them
    (`staff_names` False: the residents' view, which names no staff)."""

    def who(user: Any) -> str:
        return _name(user) if staff_names else ""

    steps = [Step(_("提出"), need.created_at, need.requested_label if staff_names else "")]
    if need.approved_at and need.status != NeedStatus.REJECTED:
        steps.append(Step(_("审批通过"), need.approved_at, who(need.approved_by)))
    if need.picked_at:
        label = _("已配货") if need.lines.exists() else _("已代购")
        steps.append(Step(label, need.picked_at, who(need.picked_by)))
    name = ""
    if need.dispatched_at:
        deliverer = need.deliverer_member or need.deliverer_user
        name = str(deliverer) if deliverer is not None else ""
        steps.append(Step(_("出发配送"), need.dispatched_at, name))
    if need.delivered_at:
        steps.append(Step(need.get_handover_display(), need.delivered_at, name))
    elif need.closed_at:
        steps.append(Step(need.get_status_display(), need.closed_at, need.close_reason))
    return steps


@dataclass
class Actions:
    approve: bool = False
    pick: bool = False
    dispatch: bool = False
    handover: bool = False
    cancel: bool = False


def actions_for(user: Any, need: Need) -> Actions:
    """What `user` may do with the need in its current status."""
    area = holds(user, Action.EDIT, need.area)
    local = holds(user, Action.EDIT, need.local_area)
    deliverer = need.deliverer
    status = need.status
    early = status in (NeedStatus.SUBMITTED, NeedStatus.APPROVED)
    return Actions(
        approve=status == NeedStatus.SUBMITTED and area,
        pick=status == NeedStatus.APPROVED and (area or local),
        dispatch=status in (NeedStatus.PICKED, NeedStatus.DELIVERING) and local,
        handover=status == NeedStatus.DELIVERING
        and (local or (deliverer is not None and deliverer.pk == user.pk)),
        cancel=need.is_open and (local or (early and need.requested_by_id == user.pk)),
    )


def pick_places(user: Any, need: Need) -> QuerySet[Place]:
    """The active places of the need's street whose stock `user` may move."""
    return Place.objects.restrict(user, Action.EDIT).filter(street_id=need.street_id, active=True)


def street_places(need: Need) -> QuerySet[Place]:
    """The active places of the need's street (where an approver may send it to be picked)."""
    return Place.objects.filter(street_id=need.street_id, active=True)


def staff_deliverers(need: Need) -> QuerySet[User]:
    """Staff who may deliver: the grid workers of a household's grid (and its big grid), the
    community workers of its community, the street's commanders."""
    area = Q(role_assignments__role=Role.COMMANDER, role_assignments__street_id=need.street_id)
    if need.community_id:
        area |= Q(
            role_assignments__role=Role.COMMUNITY_WORKER,
            role_assignments__community_id=need.community_id,
        )
    if need.grid_id:
        grids = [need.grid_id] + ([need.grid.parent_id] if need.grid.parent_id else [])
        area |= Q(role_assignments__role=Role.GRID_WORKER, role_assignments__grid_id__in=grids)
    return User.objects.filter(area, is_active=True).distinct().order_by("username")


def member_deliverers(need: Need) -> QuerySet:
    return team_deliverers(need).order_by("team__name", "name")


def team_deliverers(need: Need) -> Any:
    """Confirmed members of the teams of the need's street and community (or street teams)."""
    rows = Member.objects.filter(
        status=MemberStatus.CONFIRMED, team__street_id=need.street_id
    ).select_related("team", "user")
    if need.community_id:
        rows = rows.filter(Q(team__community_id=need.community_id) | Q(team__community=None))
    return rows
