"""The command-centre board: live countdowns, late items sorted by how late they are."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wangge.accounts.http import SignedInRequest
from wangge.command import selectors
from wangge.command.permissions import directed_communities
from wangge.command.services.tasks import may_issue


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
        "may_whistle": directed_communities(request.user).exists(),
    }
    return render(request, "command/board.html", context)


@login_required
def board_items(request: SignedInRequest) -> HttpResponse:
    """The polled part of the board (htmx, every few seconds)."""
    return render(request, "command/_board_items.html", _context(request))
