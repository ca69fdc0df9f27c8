"""The late-step sweep of the need loop (supplies/tasks.py runs it every NEED_SWEEP_MINUTES): a need
whose step is past its `due_at` is alerted once per step (`alerted_status`) to the people of that
step — approving and dispatching: the community workers of the need's community, or the street's
commanders; picking: the place's keeper, or the staff of the place's area; delivering: the
deliverer. The needs are locked, so two sweeps at once alert once."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import RoleAssignment
from wangge.accounts.selectors import community_workers_of, users_by_id
from wangge.core.roles import Role
from wangge.core.services import audit_record, post_alert
from wangge.supplies.models import OPEN_NEED_STATUSES, Need, NeedStatus

ALERT_KIND = "supplies"


def _staff_of(street_id: int, community_id: int | None) -> list[int]:
    """Community workers of the community; the street's commanders when there are none."""
    if community_id is not None:
        workers = community_workers_of([community_id]).get(community_id, [])
        if workers:
            return workers
    return list(
        RoleAssignment.objects.filter(
            role=Role.COMMANDER, street_id=street_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def step_people(need: Need) -> list[int]:
    """User ids of those who should act on the need's current step."""
    if need.status == NeedStatus.DELIVERING:
        deliverer = need.deliverer
        return [deliverer.pk] if deliverer is not None else _staff_of(need.street_id, None)
    if need.status == NeedStatus.APPROVED and need.place is not None:
        if need.place.keeper_id:
            return [need.place.keeper_id]
        return _staff_of(need.place.street_id, need.place.community_id)
    return _staff_of(need.street_id, need.community_id)


@transaction.atomic
def late_needs_alert(now: datetime | None = None) -> int:
    """Alert every open need whose step is late, once per step; the number of needs alerted."""
    now = now or timezone.now()
    late = (
        Need.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_NEED_STATUSES, due_at__lt=now)
        .exclude(alerted_status=F("status"))
        .select_related("place", "deliverer_member", "deliverer_user")
        .order_by("pk")
    )
    needs = list(late)
    if not needs:
        return 0
    for need in needs:
        need.alerted_status = need.status
    Need.objects.bulk_update(needs, ["alerted_status"])
    people = {need.pk: step_people(need) for need in needs}
    users = users_by_id({user_id for ids in people.values() for user_id in ids})
    for need in needs:
        text = f"物资需求超时：{need}（{need.get_status_display()}）"
        post_alert(
            [users[i] for i in people[need.pk] if i in users],
            ALERT_KIND,
            text,
            reverse("supplies:need", args=[need.pk]),
        )
    audit_record(
        actor=None,
        action="update",
        target_type=Need._meta.label_lower,
        target_label=f"超时提醒 {len(needs)} 个 / {len(needs)} late needs alerted",
        changes={"needs": [need.pk for need in needs]},
    )
    return len(needs)
