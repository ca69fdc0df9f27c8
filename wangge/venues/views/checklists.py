"""检查项: the page where staff who edit a whole street's register (or an administrator) keep the
kinds' synonyms and checklists."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.api import integer_id
from wangge.core.origin import Origin
from wangge.venues.models import ChecklistItem, VenueKind
from wangge.venues.services.checklists import (
    checklist_item_add,
    checklist_item_move,
    checklist_item_update,
    kind_synonyms_set,
    may_edit_checklists,
)


def _operation(request: SignedInRequest) -> Callable[..., Any]:
    post = request.POST
    op = post.get("op", "")
    common: dict[str, Any] = {"by": request.user, "origin": Origin.from_request(request)}
    target = integer_id(post.get("target", ""))
    operations: dict[str, Callable[[], Any]] = {
        "add": lambda: checklist_item_add(kind_id=target, text=post.get("text", ""), **common),
        "rename": lambda: checklist_item_update(
            item_id=target, text=post.get("text", ""), **common
        ),
        "deactivate": lambda: checklist_item_update(item_id=target, active=False, **common),
        "activate": lambda: checklist_item_update(item_id=target, active=True, **common),
        "up": lambda: checklist_item_move(item_id=target, up=True, **common),
        "down": lambda: checklist_item_move(item_id=target, up=False, **common),
        "synonyms": lambda: kind_synonyms_set(
            kind_id=target, synonyms=post.get("synonyms", ""), **common
        ),
    }
    if op not in operations:
        raise ValidationError("未知操作 / unknown operation")
    return operations[op]


@login_required
@require_http_methods(["GET", "POST"])
def checklists(request: SignedInRequest) -> HttpResponse:
    if not may_edit_checklists(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            _operation(request)()
            messages.success(request, _("已保存"))
        except (ValueError, VenueKind.DoesNotExist, ChecklistItem.DoesNotExist):
            messages.error(request, _("无此类别或检查项"))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("venues:checklists")
    kinds = VenueKind.objects.prefetch_related(
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("order", "pk"))
    )
    return render(request, "venues/checklists.html", {"kinds": kinds})
