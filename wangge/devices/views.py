"""Staff screens: the devices of one's area (or of one household), registering one (its token shown
once, on the page that answers the registration), a device's readings and alerts, revoking it."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.devices.forms import DeviceForm
from wangge.devices.intake import mqtt_topic
from wangge.devices.models import Device, DeviceAlert, DeviceEvent
from wangge.devices.services import device_register, device_revoke

RELATED = ("household__building__compound", "household__grid", "measure__person")


def _visible(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Device:
    devices = Device.objects.restrict(request.user, action).select_related(*RELATED)
    return get_object_or_404(devices, pk=pk)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@register_required
def index(request: SignedInRequest) -> HttpResponse:
    devices = Device.objects.restrict(request.user, Action.VIEW).select_related(*RELATED)
    household, grid = _int(request.GET.get("household", "")), _int(request.GET.get("grid", ""))
    if household is not None:
        devices = devices.filter(household=household)
    if grid is not None:
        devices = devices.filter(household__grid=grid)
    kind = request.GET.get("kind", "")
    if kind in Device.Kind.values:
        devices = devices.filter(kind=kind)
    if request.GET.get("all") != "1":
        devices = devices.in_service()
    alerts = (
        DeviceAlert.objects.restrict(request.user, Action.VIEW)
        .filter(raised_at__gt=timezone.now() - timedelta(hours=24))
        .select_related("household__building__compound", "device", "measure__person")
        .order_by("-raised_at")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "query": query.urlencode(),
        "page": Paginator(devices.order_by("household", "kind", "serial"), 50).get_page(
            request.GET.get("page")
        ),
        "alerts": alerts,
        "kinds": Device.Kind.choices,
        "kind": kind,
        "show_all": request.GET.get("all") == "1",
        "may_add": user_can(request.user, Action.EDIT),
    }
    return render(request, "devices/index.html", context)


@register_required
@require_http_methods(["GET", "POST"])
def device_new(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.EDIT):
        raise PermissionDenied
    initial = {"measure": _int(request.GET.get("measure", ""))}
    form = DeviceForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            device, token = device_register(
                by=request.user, data=form.data_object(), origin=Origin.from_request(request)
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            context = {"device": device, "token": token, "topic": mqtt_topic(device.serial, token)}
            return render(request, "devices/created.html", context)
    return render(request, "devices/form.html", {"form": form}, status=422 if form.errors else 200)


@register_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    device = _visible(request, pk)
    context = {
        "device": device,
        "events": DeviceEvent.objects.filter(device=device).select_related("alert")[:50],
        "alerts": DeviceAlert.objects.filter(device=device)[:20],
        "may_edit": user_can(request.user, Action.EDIT, device),
        "crumbs": [("居家设备", reverse("devices:index")), (str(device), "")],
    }
    return render(request, "devices/detail.html", context)


@register_required
@require_POST
def revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    device = _visible(request, pk, Action.EDIT)
    device_revoke(by=request.user, device=device, origin=Origin.from_request(request))
    messages.success(request, f"已停用 {device}")
    return redirect("devices:detail", device.pk)
