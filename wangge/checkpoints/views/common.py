"""Lookups the checkpoint pages share: a checkpoint someone mans or sees, or 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from wangge.accounts.models import User
from wangge.checkpoints.duty import manned_checkpoint
from wangge.checkpoints.models import Checkpoint
from wangge.core.roles import Action


def manned_or_404(user: User, pk: int) -> Checkpoint:
    """A checkpoint `user` mans (checkpoint staff, rostered, or editing it); else 404."""
    checkpoint = manned_checkpoint(user, pk)
    if checkpoint is None:
        raise Http404
    return checkpoint


def visible_or_404(user: User, pk: int, action: str = Action.VIEW) -> Checkpoint:
    return get_object_or_404(
        Checkpoint.objects.restrict(user, action).select_related(
            "community", "grid", "compound", "building__compound"
        ),
        pk=pk,
    )


def error_text(error: ValidationError) -> str:
    return "；".join(error.messages)
