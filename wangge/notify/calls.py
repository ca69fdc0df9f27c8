"""The grid worker's call list: households the escalation ladder could not reach by message.

Reads go through `Recipient.objects.restrict(user, "view")`, so a grid worker sees the households
of their own grids only. A call reveals the frozen phone of the recipient (audited like every
reveal) and the worker marks whether the household was reached by phone, with a note (audited).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.masking import mask_name
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.notify.models import Message, Recipient
from wangge.regions.models import Building, Household

CALL_REASON = "通知未达电话联系 / calling a household a message did not reach"
NOTE_LENGTH = 200


def listed(user: User) -> QuerySet[Recipient]:
    """Every call-listed recipient the user may see, of messages not cancelled."""
    return (
        Recipient.objects.restrict(user, Action.VIEW)
        .filter(call_listed_at__isnull=False, household__isnull=False)
        .exclude(message__status=Message.Status.CANCELLED)
        .select_related("person", "household__building__compound", "message")
        .order_by(
            "household__building__compound__name",
            "household__building__name",
            "household__unit",
            "household__floor",
            "household__room",
            "pk",
        )
    )


def open_calls(user: User) -> QuerySet[Recipient]:
    """The calls still to make: listed, neither acknowledged since nor reached by phone."""
    return listed(user).filter(reached_by_phone=False, acknowledged_at=None)


def masked_name(recipient: Recipient) -> str:
    name = recipient.person.name if recipient.person else recipient.label
    return mask_name(name) if name else ""


@dataclass
class HouseholdCalls:
    household: Household
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return any(r.reached_by_phone or r.acknowledged_at for r in self.recipients)


@dataclass
class BuildingCalls:
    building: Building
    households: list[HouseholdCalls] = field(default_factory=list)


def by_building(rows: Iterable[Recipient]) -> list[BuildingCalls]:
    """The rows (ordered by building and household) grouped for the phone page."""
    buildings: list[BuildingCalls] = []
    for recipient in rows:
        household = recipient.household
        assert household is not None  # listed() keeps recipients with a household only
        recipient.masked_name = masked_name(recipient)  # type: ignore[attr-defined]  # for the template
        if not buildings or buildings[-1].building.pk != household.building_id:
            buildings.append(BuildingCalls(household.building))
        households = buildings[-1].households
        if not households or households[-1].household.pk != household.pk:
            households.append(HouseholdCalls(household))
        households[-1].recipients.append(recipient)
    return buildings


@dataclass(frozen=True)
class CallProgress:
    listed: int
    reached: int


def call_progress(rows: QuerySet[Recipient]) -> CallProgress:
    """Households on the call list, and those reached since (by phone or by acknowledging)."""
    households = rows.filter(call_listed_at__isnull=False, household__isnull=False)
    reached = households.filter(reached_by_phone=True) | households.filter(
        acknowledged_at__isnull=False
    )
    return CallProgress(
        listed=households.values("household_id").distinct().count(),
        reached=reached.values("household_id").distinct().count(),
    )


def call_phone_reveal(*, recipient: Recipient, by: User, origin: Origin = Origin.SYSTEM) -> str:
    """The recipient's full phone (frozen at send time) to dial; every reveal is audited."""
    if not recipient.phone_sealed:
        raise ValidationError(_("该接收人没有电话 / this recipient has no phone"))
    if not user_can(by, Action.REVEAL, recipient):
        raise PermissionDenied(_("您无权查看完整信息 / you may not reveal this"))
    audit_record(
        actor=by,
        action="reveal",
        target=recipient,
        target_label=f"{recipient.message_id}/{recipient.pk} {recipient.phone_masked}",
        changes={"field": "phone"},
        reason=CALL_REASON,
        origin=origin,
    )
    return recipient.phone


@transaction.atomic
def call_record(
    *, recipient: Recipient, by: User, reached: bool, note: str = "", origin: Origin = Origin.SYSTEM
) -> Recipient:
    """Mark a call-listed recipient as called: reached by phone or not, with a note."""
    if not user_can(by, Action.EDIT, recipient):
        raise PermissionDenied(_("您无权修改该通知的电话记录 / you may not record this call"))
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise ValidationError({"note": _("说明最多200字 / the note holds at most 200 characters")})
    locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
    if locked.call_listed_at is None:
        raise ValidationError(_("该户不在电话名单上 / this household is not on the call list"))
    before = {"reached_by_phone": locked.reached_by_phone, "call_note": locked.call_note}
    locked.called_at = timezone.now()
    locked.called_by = by
    locked.reached_by_phone = reached
    locked.call_note = note
    locked.save(update_fields=["called_at", "called_by", "reached_by_phone", "call_note"])
    audit_record(
        actor=by,
        action="notify.call",
        target=locked,
        target_label=f"{locked.message_id}/{locked.pk}",
        changes={"before": before, "after": {"reached_by_phone": reached, "call_note": note}},
        origin=origin,
    )
    return locked
