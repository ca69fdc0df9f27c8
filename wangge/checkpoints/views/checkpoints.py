"""The checkpoint list (the checkpoints one mans, and those of one's area), setting one up, its
page with today's hourly counts, and the poster with its own code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.checkpoints import tokens
from wangge.checkpoints.forms import CheckpointForm, DayForm
from wangge.checkpoints.models import SCAN, Checkpoint
from wangge.checkpoints.selectors import door_rows, scan_report
from wangge.checkpoints.services import checkpoint_code_renew, checkpoint_create, checkpoint_update
from wangge.checkpoints.views.common import visible_or_404
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    """卡点: the checkpoints the user mans today (a big button each; checkpoint staff without a
    shift today are told so), then those of their area."""
    user = request.user
    manned = Checkpoint.objects.restrict(user, SCAN).filter(active=True).select_related("community")
    sees = user_can(user, Action.VIEW)
    listed = None
    if sees:
        listed = Checkpoint.objects.restrict(user, Action.VIEW).select_related(
            "community", "compound", "building__compound"
        )
        kind = request.GET.get("kind", "")
        if kind in Checkpoint.Kind.values:
            listed = listed.filter(kind=kind)
    on_rosters = user.role_assignments.filter(role=Role.CHECKPOINT).exists()
    if not sees and not on_rosters and not manned.exists():
        raise PermissionDenied
    context = {
        "manned": manned,
        "manned_ids": {checkpoint.pk for checkpoint in manned},
        "checkpoints": listed,
        "kinds": Checkpoint.Kind.choices,
        "kind": request.GET.get("kind", ""),
        "may_add": user_can(user, Action.EDIT),
    }
    return render(request, "checkpoints/index.html", context)


def _save(request: SignedInRequest, checkpoint: Checkpoint | None) -> HttpResponse:
    initial = CheckpointForm.initial_for(checkpoint) if checkpoint else None
    form = CheckpointForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if checkpoint is None:
                checkpoint = checkpoint_create(
                    by=request.user, data=form.data_object(), origin=Origin.from_request(request)
                )
            else:
                checkpoint = checkpoint_update(
                    by=request.user,
                    checkpoint=checkpoint,
                    data=form.data_object(),
                    origin=Origin.from_request(request),
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"已保存卡点 {checkpoint.name}")
            return redirect("checkpoints:detail", checkpoint.pk)
    context = {"form": form, "checkpoint": checkpoint}
    return render(request, "checkpoints/form.html", context, status=422 if form.errors else 200)


@register_required
@require_http_methods(["GET", "POST"])
def checkpoint_new(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.EDIT):
        raise PermissionDenied
    return _save(request, None)


@register_required
@require_http_methods(["GET", "POST"])
def checkpoint_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _save(request, visible_or_404(request.user, pk, Action.EDIT))


@register_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    checkpoint = visible_or_404(request.user, pk)
    day = DayForm(request.GET or None).day_or_today()
    may_edit = user_can(request.user, Action.EDIT, checkpoint)
    context = {
        "checkpoint": checkpoint,
        "report": scan_report(request.user, day, checkpoint=checkpoint),
        "day": day,
        "may_edit": may_edit,
        "doors": door_rows(checkpoint) if may_edit else [],
        "crumbs": [("卡点", reverse("checkpoints:index")), (checkpoint.name, "")],
    }
    return render(request, "checkpoints/detail.html", context)


@register_required
def poster(request: SignedInRequest, pk: int) -> HttpResponse:
    """The checkpoint's own code, printed at the gate: staff scan it to clock on and off."""
    checkpoint = visible_or_404(request.user, pk)
    text = tokens.payload(tokens.CHECKPOINT, checkpoint.code_sealed)
    return render(
        request,
        "checkpoints/poster.html",
        {"checkpoint": checkpoint, "qr": tokens.qr_svg(text, scale=10)},
    )


@register_required
@require_POST
def code_renew(request: SignedInRequest, pk: int) -> HttpResponse:
    checkpoint = visible_or_404(request.user, pk, Action.EDIT)
    checkpoint_code_renew(
        by=request.user, checkpoint=checkpoint, origin=Origin.from_request(request)
    )
    messages.success(request, "已更换值守码，请重新打印张贴 / new code: print the poster again")
    return redirect("checkpoints:poster", checkpoint.pk)
