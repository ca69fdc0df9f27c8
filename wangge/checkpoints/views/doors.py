"""门禁 on a checkpoint's page: adding and changing a gate's access controllers (or switching one
off) and 开门测试, for whoever may edit the checkpoint."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.forms import DoorForm
from wangge.checkpoints.models import Checkpoint, DoorController
from wangge.checkpoints.services import door_controller_create, door_controller_update
from wangge.checkpoints.services import door_test_open as door_test_service
from wangge.checkpoints.views.common import visible_or_404
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action


def _editable(request: SignedInRequest, pk: int) -> DoorController:
    return get_object_or_404(
        DoorController.objects.restrict(request.user, Action.EDIT).select_related("checkpoint"),
        pk=pk,
    )


def _save(
    request: SignedInRequest, checkpoint: Checkpoint, controller: DoorController | None
) -> HttpResponse:
    initial = DoorForm.initial_for(controller) if controller else None
    form = DoorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        origin = Origin.from_request(request)
        try:
            if controller is None:
                controller = door_controller_create(
                    by=request.user, checkpoint=checkpoint, data=form.data_object(), origin=origin
                )
            else:
                controller = door_controller_update(
                    by=request.user, controller=controller, data=form.data_object(), origin=origin
                )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"已保存门禁 {controller.name}")
            return redirect(reverse("checkpoints:detail", args=[checkpoint.pk]) + "#doors")
    context = {
        "form": form,
        "checkpoint": checkpoint,
        "controller": controller,
        "crumbs": [
            ("卡点", reverse("checkpoints:index")),
            (checkpoint.name, reverse("checkpoints:detail", args=[checkpoint.pk])),
            ("门禁", ""),
        ],
    }
    return render(
        request, "checkpoints/door_form.html", context, status=422 if form.errors else 200
    )


@register_required
@require_http_methods(["GET", "POST"])
def door_new(request: SignedInRequest, pk: int) -> HttpResponse:
    return _save(request, visible_or_404(request.user, pk, Action.EDIT), None)


@register_required
@require_http_methods(["GET", "POST"])
def door_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    controller = _editable(request, pk)
    return _save(request, controller.checkpoint, controller)


@register_required
@require_POST
def door_test(request: SignedInRequest, pk: int) -> HttpResponse:
    """开门测试: open the door once; the page says what the controller answered."""
    controller = _editable(request, pk)
    opening = door_test_service(
        by=request.user, controller=controller, origin=Origin.from_request(request)
    )
    text = f"{controller.name}：{opening.get_outcome_display()}（{opening.duration_ms} ms）"
    if opening.outcome == opening.Outcome.OPENED:
        messages.success(request, text)
    else:
        messages.error(request, f"{text} {opening.detail}")
    return redirect(reverse("checkpoints:detail", args=[controller.checkpoint_id]) + "#doors")
