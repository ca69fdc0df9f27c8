"""The supplies dashboard (stock, days of cover, expiring batches, low stock, burn and cover
charts) and the page that sets the low-stock lines."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.supplies.models import Item, Place, StockThreshold
from wangge.supplies.selectors.overview import levels, overview
from wangge.supplies.services.catalogue import threshold_set


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    seen = overview(request.user)
    charts = {
        "burn": seen.burn_chart,
        "cover": {
            "items": [row["name"] for row in seen.items],
            "cover": [row["cover"] for row in seen.items],
            "names": {"cover": _("可用天数"), "none": _("近期无发放")},
        },
    }
    return render(request, "supplies/dashboard.html", {"seen": seen, "charts": charts})


class ThresholdForm(forms.Form):
    place = forms.ModelChoiceField(queryset=Place.objects.none(), label=gettext_lazy("库点"))
    item = forms.ModelChoiceField(queryset=Item.objects.none(), label=gettext_lazy("物资"))
    minimum = forms.IntegerField(
        label=gettext_lazy("预警数量"), min_value=0, help_text=gettext_lazy("填 0 取消预警")
    )

    def __init__(self, user: object, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["place"].queryset = Place.objects.restrict(user, Action.EDIT).filter(  # type: ignore[attr-defined]
            active=True
        )
        self.fields["item"].queryset = Item.objects.restrict(user).filter(active=True)  # type: ignore[attr-defined]


@login_required
def thresholds(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    form = ThresholdForm(request.user, request.POST or None)
    if request.method == "POST":
        if not user_can(request.user, Action.EDIT):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                threshold_set(
                    by=request.user,
                    place=data["place"],
                    item=data["item"],
                    minimum=data["minimum"],
                    origin=Origin.from_request(request),
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                messages.success(request, _("已保存预警线"))
                return redirect("supplies:thresholds")
    places = Place.objects.restrict(request.user)
    lines = list(
        StockThreshold.objects.filter(place__in=places.values("pk"))
        .select_related("place", "item")
        .order_by("place__name", "item__name")
    )
    held = levels(places, timezone.localdate())
    for line in lines:
        line.usable = held.get((line.place_id, line.item_id), (0, 0))[0]
    return render(request, "supplies/thresholds.html", {"form": form, "lines": lines})
