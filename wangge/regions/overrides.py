"""Decisions that override a default for a while, as the colour mechanism reads them: the
sweep that ends a household's manual colour at its expiry, and a compound's per-room
notice-board plan in force. Setting and lifting them (decisions needing area authority) live in
colours/overrides.py."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wangge.core.services import audit_record
from wangge.regions.choices import ColourReason
from wangge.regions.colours import household_colours_refresh
from wangge.regions.models import Compound, HouseholdColourOverride, PublicPlanSwitch


@transaction.atomic
def colour_overrides_expire(*, now: datetime | None = None) -> int:
    """Close every override past its expiry in one UPDATE and refresh those households.
    Idempotent: a second run finds none left. The periodic sweep runs it."""
    now = now or timezone.now()
    due = HouseholdColourOverride.objects.filter(ended_at__isnull=True, expires_at__lte=now)
    households = list(due.values_list("household_id", flat=True))
    if not households:
        return 0
    expired = due.update(ended_at=F("expires_at"), end_kind=HouseholdColourOverride.End.EXPIRED)
    household_colours_refresh(household_ids=households, reason=ColourReason.OVERRIDE_EXPIRED)
    audit_record(
        actor=None,
        action="update",
        target_type=HouseholdColourOverride._meta.label_lower,
        target_label=f"{expired} 项人工户色到期 / manual colours expired",
        changes={"households": households[:200], "expired": expired},
    )
    return expired


def public_plan_switch_in_force(compound: Compound) -> PublicPlanSwitch | None:
    return (
        PublicPlanSwitch.objects.filter(
            compound=compound, lifted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("set_by")
        .first()
    )
