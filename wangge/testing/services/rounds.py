"""Writes about rounds: creating them, their sites, the marks on persons, and the resolution list.

Keyword-only `<entity>_<action>` functions, one transaction each, audited. Lab files are imported by
testing.services.lab.importing.results_import; key groups and vaccination have their own modules.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.regions.models import Community, Grid, Street
from wangge.testing.models import LabResult, NucleicRound, RoundMark, SamplingSite, UnmatchedResult
from wangge.testing.selectors import RoundRouter
from wangge.testing.services import pooling


def _check_round(
    *,
    by: User,
    street: Street,
    scope: str,
    communities: Sequence[Community],
    grids: Sequence[Grid],
    starts_at: datetime,
    ends_at: datetime,
) -> None:
    if scope not in NucleicRound.Scope.values:
        raise ValidationError({"scope": "未知的范围 / unknown scope"})
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": "结束时间应晚于开始时间 / the end must be after the start"}
        )
    if scope == NucleicRound.Scope.DISTRICT and street.district_id is None:
        raise ValidationError({"scope": "该街道不属于任何区 / this street belongs to no district"})
    areas_of: dict[str, Sequence[Any]] = {
        NucleicRound.Scope.DISTRICT: [street.district],
        NucleicRound.Scope.STREET: [street],
        NucleicRound.Scope.COMMUNITIES: communities,
        NucleicRound.Scope.GRIDS: grids,
    }
    areas = areas_of[scope]
    if not areas:
        raise ValidationError({scope: "请选择范围 / choose the areas of the round"})
    if any(community.street_id != street.pk for community in communities) or any(
        grid.community.street_id != street.pk for grid in grids
    ):
        raise ValidationError({scope: "范围不在该街道 / the areas are not in this street"})
    if not all(holds(by, Action.EDIT, area) for area in areas):
        raise PermissionDenied("您无权在该范围组织检测 / you may not organise a round there")


@transaction.atomic
def round_create(
    *,
    by: User,
    street: Street,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    scope: str = NucleicRound.Scope.STREET,
    communities: Sequence[Community] = (),
    grids: Sequence[Grid] = (),
    min_age: int | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> NucleicRound:
    """A testing round over a street, some of its communities or some grids."""
    _check_round(
        by=by,
        street=street,
        scope=scope,
        communities=communities,
        grids=grids,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    if not name.strip():
        raise ValidationError({"name": "请填写轮次名称 / name the round"})
    round = NucleicRound.objects.create(
        street=street,
        name=name.strip(),
        scope=scope,
        starts_at=starts_at,
        ends_at=ends_at,
        min_age=min_age,
        note=note.strip(),
        created_by=by,
    )
    if scope == NucleicRound.Scope.COMMUNITIES:
        round.communities.set(communities)
    elif scope == NucleicRound.Scope.GRIDS:
        round.grids.set(grids)
    audit_record(
        actor=by,
        action="create",
        target=round,
        changes={
            "scope": scope,
            "areas": [str(a) for a in (communities or grids or [street])],
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "min_age": min_age,
        },
        origin=origin,
    )
    return round


@transaction.atomic
def site_add(
    *,
    by: User,
    round: NucleicRound,
    name: str,
    capacity_per_hour: int,
    address: str = "",
    community: Community | None = None,
    origin: Origin = Origin.SYSTEM,
) -> SamplingSite:
    if not holds(by, Action.EDIT, community or round.street):
        raise PermissionDenied("您无权设置采样点 / you may not add sampling sites here")
    if not name.strip():
        raise ValidationError({"name": "请填写采样点名称 / name the site"})
    if round.sites.filter(name=name.strip()).exists():
        raise ValidationError({"name": "该采样点已存在 / this site exists already"})
    site = SamplingSite.objects.create(
        round=round,
        name=name.strip(),
        address=address.strip(),
        capacity_per_hour=capacity_per_hour,
        community=community,
    )
    audit_record(
        actor=by,
        action="create",
        target=site,
        changes={"round": round.pk, "capacity_per_hour": capacity_per_hour},
        origin=origin,
    )
    return site


@transaction.atomic
def round_mark(
    *,
    by: User,
    round: NucleicRound,
    person: Person,
    kind: str,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> RoundMark:
    """已通知 / 外出 / 卧床需上门 / 拒绝 / 免检 on a person for this round; the latest mark counts.
    Away, bedridden and exempt take the person out of the round's target and need a reason."""
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied("您无权标记该人员 / you may not mark this person")
    if kind not in RoundMark.Kind.values:
        raise ValidationError({"kind": "未知的标记 / unknown mark"})
    note = note.strip()
    if kind in RoundMark.EXCLUDING and not note:
        raise ValidationError({"note": "请填写原因 / give the reason"})
    mark = RoundMark.objects.select_for_update().filter(round=round, person=person).first()
    old = (mark.kind, mark.note) if mark else ("", "")
    if mark is None:
        mark = RoundMark(round=round, person=person)
    mark.kind, mark.note, mark.by = kind, note, by
    mark.save()
    audit_record(
        actor=by,
        action="update",
        target=person,
        changes={"round": round.pk, "mark": [old[0], kind], "note": [old[1], note]},
        origin=origin,
    )
    return mark


@transaction.atomic
def round_mark_clear(
    *, by: User, round: NucleicRound, person: Person, origin: Origin = Origin.SYSTEM
) -> None:
    if not user_can(by, Action.EDIT, person):
        raise PermissionDenied("您无权标记该人员 / you may not mark this person")
    mark = RoundMark.objects.filter(round=round, person=person).first()
    if mark is None:
        return
    mark.delete()
    audit_record(
        actor=by,
        action="update",
        target=person,
        changes={"round": round.pk, "mark": [mark.kind, ""]},
        origin=origin,
    )


def _open_row(by: User, row: UnmatchedResult) -> UnmatchedResult:
    if not user_can(by, Action.IMPORT, row):
        raise PermissionDenied("您无权处理未匹配结果 / you may not resolve unmatched results")
    row = UnmatchedResult.objects.select_for_update().get(pk=row.pk)
    if row.status != UnmatchedResult.Status.OPEN:
        raise ValidationError("该行已处理 / this row has been decided already")
    return row


@transaction.atomic
def unmatched_resolve(
    *, by: User, row: UnmatchedResult, person: Person, origin: Origin = Origin.SYSTEM
) -> LabResult:
    """ "This is 张三": the row becomes a result of that person. The decision is kept, so the same
    row never queues again and later rows of the same identity go to the same person."""
    row = _open_row(by, row)
    if not user_can(by, Action.VIEW, person):
        raise PermissionDenied("找不到该人员 / no such person in your area")
    household = person.household
    result = LabResult.objects.filter(
        person=person, sampled_at=row.sampled_at, tube_code=row.tube_code
    ).first()
    if result is None:
        router = RoundRouter(row.round)
        router.prepare([row.sampled_at])
        grid_id = household.grid_id if household else None
        result = LabResult.objects.create(
            round_id=router.round_for(grid_id, row.sampled_at),
            person=person,
            street_id=household.grid.community.street_id if household else None,
            source_import_id=row.source_import_id,
            sampled_at=row.sampled_at,
            tube_code=row.tube_code,
            site_name=row.site_name,
            result=row.result,
            lab=row.lab,
            reported_at=row.reported_at,
            created_at=timezone.now(),
        )
    row.status = UnmatchedResult.Status.RESOLVED
    row.resolved_person = person
    row.result_record = result
    row.decided_by, row.decided_at = by, timezone.now()
    row.save()
    audit_record(
        actor=by,
        action="update",
        target=row,
        changes={"status": ["open", "resolved"], "person": person.pk},
        origin=origin,
    )
    pooling.after_result(result=result, by=by)
    return result


@transaction.atomic
def unmatched_dismiss(
    *, by: User, row: UnmatchedResult, note: str = "", origin: Origin = Origin.SYSTEM
) -> UnmatchedResult:
    """ "Not ours": the row leaves the queue and later rows of the same identity never enter it."""
    row = _open_row(by, row)
    row.status = UnmatchedResult.Status.NOT_OURS
    row.decided_by, row.decided_at = by, timezone.now()
    row.decision_note = note.strip()[:200]
    row.save()
    audit_record(
        actor=by,
        action="update",
        target=row,
        changes={"status": ["open", "not_ours"]},
        reason=row.decision_note,
        origin=origin,
    )
    return row
