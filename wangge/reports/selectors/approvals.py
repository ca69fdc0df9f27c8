"""Where each community stands with a day's figures (docs/reports.md "Approval"): no snapshot yet,
waiting for its approval, sent back (unapproved, with the reason), approved, or approved and
already sent upward in a filled table. A handful of queries for the whole street."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from wangge.accounts.authority import areas_held
from wangge.accounts.models import User
from wangge.core.roles import Action
from wangge.regions.models import Community
from wangge.reports.models import Approval, ApprovalChange, Snapshot, UpstreamFillArea
from wangge.reports.services.approvals import may_approve, may_unapprove

STATES = {
    "no_snapshot": _("无快照"),
    "pending": _("待审批"),
    "sent_back": _("已退回"),
    "approved": _("已审批"),
    "reported": _("已上报"),
}

COLOURS = {
    "no_snapshot": "is-light",
    "pending": "is-warning",
    "sent_back": "is-danger",
    "approved": "is-success",
    "reported": "is-info",
}


@dataclass
class ApprovalRow:
    community: Community
    built: bool
    approval: Approval | None
    last_change: ApprovalChange | None
    reported: bool
    may_approve: bool
    may_unapprove: bool

    @property
    def state(self) -> str:
        if not self.built:
            return "no_snapshot"
        if self.approval is None:
            sent_back = self.last_change is not None and self.last_change.kind == "unapprove"
            return "sent_back" if sent_back else "pending"
        return "reported" if self.reported else "approved"

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])

    @property
    def state_colour(self) -> str:
        """The Bulma colour of the state's tag: what waits on someone stands out."""
        return COLOURS[self.state]


def approval_communities(user: User) -> QuerySet:
    """The communities whose approvals `user` may see: those they hold `view` on."""
    return areas_held(user, Action.VIEW, Community).select_related("street").order_by("pk")


def approval_rows(user: User, day: date, communities: QuerySet | None = None) -> list[ApprovalRow]:
    """One row per community `user` sees (or of `communities`), with its state on `day`."""
    chosen = list(communities if communities is not None else approval_communities(user))
    ids = [community.pk for community in chosen]
    built = set(
        Snapshot.objects.filter(street__in={c.street_id for c in chosen}, day=day).values_list(
            "street_id", flat=True
        )
    )
    approvals = {
        a.community_id: a
        for a in Approval.objects.filter(community__in=ids, day=day).select_related("approved_by")
    }
    last: dict[int, ApprovalChange] = {}
    for change in ApprovalChange.objects.filter(community__in=ids, day=day).select_related("by"):
        last.setdefault(change.community_id, change)  # newest first
    reported = {
        (community, at)
        for community, at in UpstreamFillArea.objects.filter(
            community__in=ids, fill__day=day
        ).values_list("community_id", "approved_at")
    }
    return [
        ApprovalRow(
            community=community,
            built=community.street_id in built,
            approval=approvals.get(community.pk),
            last_change=last.get(community.pk),
            reported=community.pk in approvals
            and (community.pk, approvals[community.pk].approved_at) in reported,
            may_approve=may_approve(user, community),
            may_unapprove=may_unapprove(user, community),
        )
        for community in chosen
    ]


def approval_history(community_ids: list[int], day: date) -> QuerySet:
    """Every approval and unapproval of those communities' figures of `day`, newest first."""
    return ApprovalChange.objects.filter(community__in=community_ids, day=day).select_related(
        "community", "by"
    )
