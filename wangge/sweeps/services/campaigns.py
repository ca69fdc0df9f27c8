"""扫楼行动: creating a campaign over grids of one street, starting it (one visit per household,
set-based), assigning its sweepers by grid or building (people's Assignment rows, duty SWEEPER,
source SWEEP, source_id the campaign's id) and closing it.

A campaign is created, started and closed by whoever holds EDIT on the community of each of its
grids (the community's workers, the street's command); sweepers are assigned by whoever holds EDIT
on the grid they are given (its grid worker too).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Assignment, Duty
from wangge.regions.models import Building, Grid, Household
from wangge.sweeps.checks import checks_clean
from wangge.sweeps.models import Campaign, CampaignStatus, Visit

NAME_MAX = 80
BATCH = 2000
MAY_NOT = "无权管理该扫楼行动 / you may not manage this campaign"


def _with_small_grids(grid_ids: Iterable[int]) -> set[int]:
    found = set(grid_ids)
    frontier = set(found)
    while frontier:
        frontier = set(Grid.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return found


def campaign_grid_ids(campaign: Campaign) -> set[int]:
    """The campaign's grids with their small grids."""
    return _with_small_grids(campaign.grids.values_list("pk", flat=True))


def _may_manage(by: User, grids: Iterable[Grid]) -> bool:
    grids = list(grids)
    return bool(grids) and all(holds(by, Action.EDIT, grid.community) for grid in grids)


def campaign_may_manage(by: User, campaign: Campaign) -> bool:
    return _may_manage(by, campaign.grids.select_related("community"))


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError(
            {"name": f"名称应为1到{NAME_MAX}字 / name: 1 to {NAME_MAX} characters"}
        )
    return name


@transaction.atomic
def campaign_create(
    *,
    by: User,
    name: str,
    grids: Sequence[Grid],
    checks: Sequence[str],
    since: date | None,
    deadline: datetime,
    origin: Origin = Origin.SYSTEM,
) -> Campaign:
    grids = list(
        Grid.objects.filter(pk__in=[grid.pk for grid in grids]).select_related("community")
    )
    if not grids:
        raise ValidationError({"grids": "请选择网格 / choose the grids"})
    if not _may_manage(by, grids):
        raise PermissionDenied("无权在这些网格发起扫楼 / you may not sweep these grids")
    streets = {grid.community.street_id for grid in grids}
    if len(streets) > 1:
        raise ValidationError({"grids": "网格须属于同一街道 / the grids must be in one street"})
    now = timezone.now()
    if deadline <= now:
        raise ValidationError(
            {"deadline": "完成时限须晚于现在 / the deadline must be in the future"}
        )
    if since is not None and since > timezone.localdate(now):
        raise ValidationError({"since": "行程起始日期不能晚于今天 / since cannot be after today"})
    campaign = Campaign.objects.create(
        name=_name(name),
        street_id=streets.pop(),
        checks=checks_clean(checks),
        since=since,
        deadline=deadline,
        created_by=by,
    )
    campaign.grids.set(grids)
    audit_record(actor=by, action="sweep.create", target=campaign, origin=origin)
    return campaign


def _locked(campaign: Campaign, by: User) -> Campaign:
    if not campaign_may_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def campaign_start(*, by: User, campaign: Campaign, origin: Origin = Origin.SYSTEM) -> int:
    """One visit per household of the campaign's grids, its grid and building copied; the number
    of visits made."""
    campaign = _locked(campaign, by)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError("该行动已开始 / the campaign has already started")
    households = Household.objects.filter(grid_id__in=campaign_grid_ids(campaign)).values_list(
        "pk", "grid_id", "building_id"
    )
    visits = [
        Visit(campaign=campaign, household_id=household, grid_id=grid, building_id=building)
        for household, grid, building in households.iterator(chunk_size=BATCH)
    ]
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    campaign.status = CampaignStatus.RUNNING
    campaign.started_at = timezone.now()
    campaign.save(update_fields=["status", "started_at"])
    audit_record(
        actor=by,
        action="sweep.start",
        target=campaign,
        changes={"visits": len(visits)},
        origin=origin,
    )
    return len(visits)


@transaction.atomic
def campaign_assign(
    *,
    by: User,
    campaign: Campaign,
    sweeper: User,
    grids: Sequence[Grid] = (),
    buildings: Sequence[Building] = (),
    origin: Origin = Origin.SYSTEM,
) -> list[Assignment]:
    """The sweeper answers for these grids or buildings of the campaign; a target already theirs
    is kept, not doubled."""
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("该行动已结束 / the campaign is closed")
    if not sweeper.is_active:
        raise ValidationError({"sweeper": "该账号已停用 / this account is disabled"})
    if not grids and not buildings:
        raise ValidationError({"grids": "请选择网格或楼栋 / choose grids or buildings"})
    inside = campaign_grid_ids(campaign)
    targets = [("grid", grid, grid) for grid in grids] + [
        ("building", building, building.grid) for building in buildings
    ]
    for _kind, _target, grid in targets:
        if grid.pk not in inside:
            raise ValidationError({"grids": "不在本行动范围内 / not in this campaign's area"})
        if not holds(by, Action.EDIT, grid):
            raise PermissionDenied("无权为该网格指派扫楼人员 / you may not assign sweepers here")
    held = Assignment.objects.active().filter(
        holder_user=sweeper, source=Assignment.Source.SWEEP, source_id=campaign.pk
    )
    have = set(held.values_list("grid_id", "building_id"))
    made = []
    for kind, target, _grid in targets:
        key = (target.pk, None) if kind == "grid" else (None, target.pk)
        if key in have:
            continue
        have.add(key)
        made.append(
            Assignment(
                holder_user=sweeper,
                duty=Duty.SWEEPER,
                source=Assignment.Source.SWEEP,
                source_id=campaign.pk,
                **{kind: target},
            )
        )
    Assignment.objects.bulk_create(made)
    audit_record(
        actor=by,
        action="sweep.assign",
        target=campaign,
        changes={
            "sweeper": sweeper.pk,
            "grids": [grid.pk for grid in grids],
            "buildings": [building.pk for building in buildings],
        },
        origin=origin,
    )
    return made


@transaction.atomic
def campaign_close(*, by: User, campaign: Campaign, origin: Origin = Origin.SYSTEM) -> Campaign:
    """No more attempts; the sweepers' assignments end today."""
    campaign = _locked(campaign, by)
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("该行动已结束 / the campaign is closed")
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    Assignment.objects.active().filter(
        source=Assignment.Source.SWEEP, source_id=campaign.pk
    ).update(ended=timezone.localdate())
    audit_record(actor=by, action="sweep.close", target=campaign, origin=origin)
    return campaign
