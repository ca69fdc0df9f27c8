"""A community approves its figures of a day before they go upward (docs/reports.md "Approval",
modelled on DHIS2's data approval): only the community's own staff approve; approved figures are
locked (`report_build` will not rebuild the day); the community or the street's command may undo an
approval, with a reason, and every approval and unapproval is recorded and audited."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.authority import holds, scope_for
from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.models import Community
from wangge.reports.models import Approval, ApprovalChange, Snapshot


def may_approve(user: User, community: Community) -> bool:
    """The community's own staff: a grant that holds `edit` on the community itself (not the
    street's, not a grid's), so that the figures go upward on the community's word."""
    return community.pk in scope_for(user, Action.EDIT).community_ids


def may_unapprove(user: User, community: Community) -> bool:
    """The community's own staff, and the street's command sending the figures back."""
    return may_approve(user, community) or holds(user, Action.EDIT, community.street)


def _changes(community: Community, day: date) -> dict[str, object]:
    return {"community": community.name, "day": day.isoformat()}


@transaction.atomic
def report_approve(
    *, by: User, community: Community, day: date, origin: Origin = Origin.SYSTEM
) -> Approval:
    """Approve the community's figures of `day` (its and its grids' rows of the day's snapshot)."""
    if not may_approve(by, community):
        raise PermissionDenied
    Community.objects.select_for_update().filter(pk=community.pk).exists()
    if day >= timezone.localdate():
        raise ValidationError(
            _(
                "%(day)s 还没有结束，日报要到次日才能审批 / %(day)s is not over yet: its report can be "
                "approved from the next day on"
            )
            % {"day": day.isoformat()}
        )
    if not Snapshot.objects.filter(street_id=community.street_id, day=day).exists():
        raise ValidationError(
            _("%(day)s 还没有日报快照，请先生成 / %(day)s has no snapshot yet: build it first")
            % {"day": day.isoformat()}
        )
    if Approval.objects.filter(community=community, day=day).exists():
        raise ValidationError(
            _("%(community)s %(day)s 的日报已经审批 / already approved")
            % {"community": community.name, "day": day.isoformat()}
        )
    now = timezone.now()
    approval = Approval.objects.create(
        community=community, day=day, approved_at=now, approved_by=by
    )
    ApprovalChange.objects.create(
        community=community, day=day, kind=ApprovalChange.Kind.APPROVE, at=now, by=by
    )
    audit_record(
        actor=by,
        action="report_approve",
        target=approval,
        changes=_changes(community, day),
        origin=origin,
    )
    return approval


@transaction.atomic
def report_unapprove(
    *, by: User, community: Community, day: date, reason: str, origin: Origin = Origin.SYSTEM
) -> ApprovalChange:
    """Undo the community's approval of `day`: the figures are unlocked (the day may be rebuilt)
    and no longer go upward until approved again; what upstream already received stays recorded."""
    if not may_unapprove(by, community):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("撤销审批需要填写原因 / an unapproval needs a reason")})
    approval = Approval.objects.select_for_update().filter(community=community, day=day).first()
    if approval is None:
        raise ValidationError(
            _("%(community)s %(day)s 的日报尚未审批 / not approved")
            % {"community": community.name, "day": day.isoformat()}
        )
    approval.delete()
    change = ApprovalChange.objects.create(
        community=community,
        day=day,
        kind=ApprovalChange.Kind.UNAPPROVE,
        at=timezone.now(),
        by=by,
        reason=reason,
    )
    audit_record(
        actor=by,
        action="report_unapprove",
        target=change,
        changes=_changes(community, day),
        reason=reason,
        origin=origin,
    )
    return change


def approved_names(street_id: int, day: date) -> list[str]:
    """The communities of the street whose figures of `day` are approved (locked), by name."""
    return list(
        Approval.objects.filter(community__street_id=street_id, day=day)
        .order_by("community__name")
        .values_list("community__name", flat=True)
    )
