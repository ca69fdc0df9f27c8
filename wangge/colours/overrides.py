"""Decisions that override a default for a while, each with a reason and an expiry, audited:
a household's manual colour, and a compound's per-room notice-board plan. The colour mechanism
(regions/overrides.py) expires them and reads the ones in force."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds, user_can
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.choices import ColourReason, HouseholdColour
from wangge.regions.colours import household_colours_refresh
from wangge.regions.models import Compound, Household, HouseholdColourOverride, PublicPlanSwitch


def _check_expiry(expires_at: datetime | None, max_days: int) -> datetime:
    now = timezone.now()
    if expires_at is None:
        raise ValidationError({"expires_at": "请填写到期时间 / an expiry is required"})
    if expires_at <= now:
        raise ValidationError({"expires_at": "到期时间应晚于现在 / the expiry must lie ahead"})
    if expires_at > now + timedelta(days=max_days):
        raise ValidationError({"expires_at": f"最长{max_days}天 / at most {max_days} days ahead"})
    return expires_at


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由 / a reason is required"})
    return reason


def may_override(user: Any, household: Household) -> bool:
    return user_can(user, Action.EDIT, household) and holds(
        user, Action.EDIT, household.grid.community
    )


@transaction.atomic
def colour_override_set(
    *,
    by: Any,
    household: Household,
    colour: str,
    reason: str,
    expires_at: datetime | None,
    origin: Origin = Origin.SYSTEM,
) -> HouseholdColourOverride:
    """Set a household's colour by hand until `expires_at`; it wins over the rule until then.
    A community worker or a commander decides (not a single grid's worker). Replaces the
    override in force, if any."""
    if not may_override(by, household):
        raise PermissionDenied("您无权设定该户户色 / you may not set this household's colour")
    if colour not in HouseholdColour.values:
        raise ValidationError({"colour": "未知户色 / unknown colour"})
    reason = _reason(reason)
    expires_at = _check_expiry(expires_at, settings.WANGGE["COLOUR_OVERRIDE_MAX_DAYS"])
    now = timezone.now()
    Household.objects.select_for_update().filter(pk=household.pk).first()
    HouseholdColourOverride.objects.filter(household=household, ended_at__isnull=True).update(
        ended_at=now, ended_by=by, end_kind=HouseholdColourOverride.End.REPLACED
    )
    override = HouseholdColourOverride.objects.create(
        household=household,
        colour=colour,
        reason=reason,
        set_by=by,
        set_at=now,
        expires_at=expires_at,
    )
    household_colours_refresh(household_ids=[household.pk], reason=ColourReason.OVERRIDE, by=by)
    audit_record(
        actor=by,
        action="create",
        target=override,
        target_label=f"{household} → {override.get_colour_display()}",
        changes={"colour": colour, "expires_at": expires_at.isoformat()},
        reason=reason,
        origin=origin,
    )
    return override


@transaction.atomic
def colour_override_lift(
    *,
    by: Any,
    override: HouseholdColourOverride,
    reason: str = "",
    origin: Origin = Origin.SYSTEM,
) -> HouseholdColourOverride:
    """End a manual colour before its expiry; the rule decides again."""
    household = override.household
    if not may_override(by, household):
        raise PermissionDenied("您无权撤销该户户色 / you may not lift this household's colour")
    lifted = HouseholdColourOverride.objects.filter(pk=override.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(),
        ended_by=by,
        end_kind=HouseholdColourOverride.End.LIFTED,
        end_reason=(reason or "").strip()[:300],
    )
    if not lifted:
        raise ValidationError("该人工户色已结束 / this manual colour has already ended")
    override.refresh_from_db()
    household_colours_refresh(
        household_ids=[household.pk], reason=ColourReason.OVERRIDE_LIFTED, by=by
    )
    audit_record(
        actor=by,
        action="update",
        target=override,
        target_label=f"{household} → {override.get_colour_display()}",
        changes={"ended": [None, "lifted"]},
        reason=override.end_reason,
        origin=origin,
    )
    return override


@transaction.atomic
def public_plan_switch_set(
    *,
    by: Any,
    compound: Compound,
    reason: str,
    expires_at: datetime | None,
    origin: Origin = Origin.SYSTEM,
) -> PublicPlanSwitch:
    """Let the compound's notice-board plan show each room's colour (seed 003's version) until
    `expires_at`. Health status is sensitive (PIPL art. 28): only the street's command decides,
    with a reason; the decision is audited and expires."""
    if not holds(by, Action.EDIT, compound.community.street):
        raise PermissionDenied(
            "只有街道指挥部可以公示逐户户色 / only the street command may publish room colours"
        )
    reason = _reason(reason)
    expires_at = _check_expiry(expires_at, settings.WANGGE["PUBLIC_PLAN_SWITCH_MAX_DAYS"])
    now = timezone.now()
    PublicPlanSwitch.objects.filter(compound=compound, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=by
    )
    switch = PublicPlanSwitch.objects.create(
        compound=compound, reason=reason, set_by=by, set_at=now, expires_at=expires_at
    )
    audit_record(
        actor=by,
        action="create",
        target=switch,
        target_label=f"{compound} 张贴版逐户公示 / per-room notice-board plan",
        changes={"expires_at": expires_at.isoformat()},
        reason=reason,
        origin=origin,
    )
    return switch


@transaction.atomic
def public_plan_switch_lift(*, by: Any, compound: Compound, origin: Origin = Origin.SYSTEM) -> int:
    """Back to counts per unit on the notice-board plan."""
    if not holds(by, Action.EDIT, compound.community.street):
        raise PermissionDenied(
            "只有街道指挥部可以撤销逐户公示 / only the street command may lift this"
        )
    lifted = PublicPlanSwitch.objects.filter(compound=compound, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=by
    )
    if lifted:
        audit_record(
            actor=by,
            action="update",
            target=compound,
            target_label=f"{compound} 撤销逐户公示 / per-room notice-board plan lifted",
            changes={"public_plan": ["per_room", "counts"]},
            origin=origin,
        )
    return lifted
