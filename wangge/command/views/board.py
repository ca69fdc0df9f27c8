"""The command-centre board: live countdowns, late items sorted by how late they are."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.command import selectors
from wangge.command.services.tasks import may_issue
from wangge.core.roles import Action
from wangge.regions.models import Community


def _context(request: SignedInRequest) -> dict:
    mine = request.GET.get("mine") == "1"
    board = selectors.board(request.user, timezone.now(), mine=mine)
    return {
        "board": board,
        "mine": mine,
        "late_only": request.GET.get("late") == "1",
        "poll_seconds": settings.WANGGE["BOARD_POLL_SECONDS"],
    }


@login_required
def board(request: SignedInRequest) -> HttpResponse:
    context = _context(request)
    context |= {
        "may_issue": may_issue(request.user),
        "may_whistle": areas_held(request.user, Action.EDIT, Community).exists(),
    }
    return render(request, "command/board.html", context)


@login_required
def board_items(request: SignedInRequest) -> HttpResponse:
    """The polled part of the board (htmx, every few seconds)."""
    return render(request, "command/_board_items.html", _context(request))
