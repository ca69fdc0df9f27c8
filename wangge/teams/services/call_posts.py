"""Putting the members who accepted a call on its posts, and their hours once a post has ended.

A member is put on a post of the call they accepted when the post has room (its `needed`), they
have the post's skill when it asks one, and they are on no other post at an overlapping time (of
this call or another). One invite holds one post: assigning again moves the member. When a post
has ended, each member on it gets one service record (kind CALL, source = the invite, hours = the
post's length); the sweep runs every few minutes and on closing, and never writes a record twice.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.models import AuditEntry
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.teams.models import Answer, CallInvite, CallPost, CallStatus, ServiceRecord


def _editable(by: User, invite: CallInvite) -> None:
    if not user_can(by, Action.EDIT, invite.call):
        raise PermissionDenied("您无权调整该召集的岗位 / you may not assign this call's posts")
    if invite.call.status == CallStatus.CLOSED:
        raise ValidationError("该召集已结束 / the call is closed")


@transaction.atomic
def invite_assign(
    *, by: User, invite: CallInvite, post: CallPost, origin: Origin = Origin.SYSTEM
) -> CallInvite:
    """Put the member of an accepted invite on one of the call's posts."""
    post = CallPost.objects.select_for_update().get(pk=post.pk)
    invite = CallInvite.objects.select_related("call", "member").get(pk=invite.pk)
    _editable(by, invite)
    if post.call_id != invite.call_id:
        raise ValidationError("岗位不属于该召集 / the post is not the call's")
    if invite.answer != Answer.ACCEPTED:
        raise ValidationError("只能安排已接受的队员 / only members who accepted can be assigned")
    if invite.post_id == post.pk:
        return invite
    if post.invites.count() >= post.needed:
        raise ValidationError(
            f"岗位“{post.name}”已满（{post.needed}人） / the post is full ({post.needed})"
        )
    if post.skill and post.skill not in invite.member.skills:
        raise ValidationError(
            f"该岗位需要技能：{post.get_skill_display()} / the post needs the skill {post.skill}"
        )
    clash = (
        CallInvite.objects.filter(
            member=invite.member,
            post__starts_at__lt=post.ends_at,
            post__ends_at__gt=post.starts_at,
        )
        .exclude(pk=invite.pk)
        .select_related("post")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{invite.member.name}同一时段已在岗位“{clash.post.name}” / "
            "the member holds another post at that time"
        )
    before = invite.post_id
    invite.post, invite.assigned_at = post, timezone.now()
    invite.save(update_fields=["post", "assigned_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=invite,
        changes={"post": [before, post.pk]},
        origin=origin,
    )
    return invite


@transaction.atomic
def invite_unassign(*, by: User, invite: CallInvite, origin: Origin = Origin.SYSTEM) -> CallInvite:
    invite = CallInvite.objects.select_related("call").get(pk=invite.pk)
    _editable(by, invite)
    if invite.post_id is None:
        return invite
    before = invite.post_id
    invite.post, invite.assigned_at = None, None
    invite.save(update_fields=["post", "assigned_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        target=invite,
        changes={"post": [before, None]},
        origin=origin,
    )
    return invite


@transaction.atomic
def records_for_ended_posts(
    *, now: datetime | None = None, calls: Sequence[int] | None = None
) -> dict[str, int]:
    """One service record per member on a post that has ended, never twice."""
    now = now or timezone.now()
    invites = CallInvite.objects.filter(
        post__ends_at__lte=now, answer=Answer.ACCEPTED
    ).select_related("post", "call")
    if calls is not None:
        invites = invites.filter(call_id__in=calls)
    done = set(
        ServiceRecord.objects.filter(
            kind=ServiceRecord.Kind.CALL, source_id__in=invites.values("pk")
        ).values_list("source_id", flat=True)
    )
    made = ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                member_id=invite.member_id,
                kind=ServiceRecord.Kind.CALL,
                day=timezone.localtime(invite.post.starts_at).date(),
                hours=Decimal(str(invite.post.hours)),
                activity=f"{invite.call.title}·{invite.post.name}"[:200],
                source_id=invite.pk,
            )
            for invite in invites
            if invite.pk not in done
        ],
        ignore_conflicts=True,
    )
    if made:
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            target_type=ServiceRecord._meta.label_lower,
            target_label=f"召集服务记录 {len(made)} 条 / {len(made)} call service records",
            changes={"records": len(made)},
        )
    return {"records": len(made)}
