"""Who mans which checkpoint (the action SCAN), asked once per request: the answer is kept on the
user object, which lives as long as the request, as core.scoping keeps a user's scopes."""

from typing import Any

from django.core.exceptions import PermissionDenied

from wangge.checkpoints.models import SCAN, Checkpoint

_MEMO = "_wangge_manned"


def manned_checkpoint(user: Any, pk: Any) -> Checkpoint | None:
    """The active checkpoint `pk` if `user` mans it, else None."""
    checkpoint = (
        Checkpoint.objects.restrict(user, SCAN)
        .filter(pk=pk, active=True)
        .select_related("community", "compound", "building")
        .order_by()
        .first()
    )
    if checkpoint is not None:
        user.__dict__.setdefault(_MEMO, set()).add(checkpoint.pk)
    return checkpoint


def require_duty(user: Any, checkpoint: Checkpoint) -> None:
    if checkpoint.pk in user.__dict__.get(_MEMO, ()):
        return
    if manned_checkpoint(user, checkpoint.pk) is None:
        raise PermissionDenied("您不在该卡点值守 / you do not man this checkpoint")
