"""Who mans which checkpoint (the action SCAN), asked once per request: the answer is kept on the
user object, which lives as long as the request, as core.scoping keeps a user's scopes, and in a
per-process cache (core/process_cache.py) keyed by user, checkpoint and day, which every change to
roles, rosters, checkpoints and areas invalidates — so that a scan at the gate asks the database
nothing about duty.

A scan at a checkpoint one does not man today is refused with a stable code: `not_on_duty` when
the caller may know the checkpoint (it lies in the area of their 卡点值守 role or of their
register), `unknown_checkpoint` otherwise, so that nobody learns of checkpoints outside their area."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.models import SCAN, Checkpoint
from wangge.core import process_cache
from wangge.core.roles import Action, Role

_MEMO = "_wangge_manned"
_manned: process_cache.ProcessCache[Checkpoint | None] = process_cache.ProcessCache("manned")


class DutyRefused(PermissionDenied):
    """Refused at a checkpoint; `error_code` is stable for clients."""

    error_code = "not_on_duty"
    message = "您今天不在该卡点值守 / you are not on duty at this checkpoint today"

    def __init__(self) -> None:
        super().__init__(self.message)


class UnknownCheckpoint(DutyRefused):
    error_code = "unknown_checkpoint"
    message = "无此卡点 / no such checkpoint"


def manned_checkpoint(user: User, pk: Any) -> Checkpoint | None:
    """The active checkpoint `pk` if `user` mans it, else None. The checkpoint returned may be
    shared by the requests of this process: read it, never change it."""

    def load() -> Checkpoint | None:
        return (
            Checkpoint.objects.restrict(user, SCAN)
            .filter(pk=pk, active=True)
            .select_related("community", "compound", "building")
            .order_by()
            .first()
        )

    key = (user.pk, pk, timezone.localdate())
    checkpoint = _manned.get(key, process_cache.generation(user), load)
    if checkpoint is not None:
        user.__dict__.setdefault(_MEMO, set()).add(checkpoint.pk)
    return checkpoint


def checkpoint_on_duty(user: User, pk: Any) -> Checkpoint:
    """The active checkpoint `pk` that `user` mans; DutyRefused (`not_on_duty`) when they do not
    man it today, UnknownCheckpoint when there is no such active checkpoint."""
    checkpoint = manned_checkpoint(user, pk)
    if checkpoint is not None:
        return checkpoint
    if _known(user, pk):
        raise DutyRefused()
    raise UnknownCheckpoint()


def _known(user: User, pk: Any) -> bool:
    """Whether `user` may learn that active checkpoint `pk` exists: in their register's area or
    in the area of their 卡点值守 role (where rosters may name them)."""
    active = Checkpoint.objects.filter(pk=pk, active=True)
    if active.restrict(user, Action.VIEW).exists():
        return True
    area = Q()
    rows = user.role_assignments.filter(role=Role.CHECKPOINT)
    for street, community, grid in rows.values_list("street", "community", "grid"):
        if grid:
            area |= Q(grid=grid) | Q(grid__parent=grid)
        elif community:
            area |= Q(community=community)
        elif street:
            area |= Q(community__street=street)
    return bool(area) and active.filter(area).exists()


def require_duty(user: User, checkpoint: Checkpoint) -> None:
    if checkpoint.pk in user.__dict__.get(_MEMO, ()):
        return
    if manned_checkpoint(user, checkpoint.pk) is None:
        raise DutyRefused()
