"""The big screen of the command centre (docs/reports.md, "The big screen"): a page that is only a
frame, and the data it fetches every minute. Both are for staff holding `view` on a whole street;
`?street=<pk>` picks one of those streets, the first by default."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.core.replica import replica_view
from wangge.core.roles import Action
from wangge.regions.models import Street
from wangge.reports.screen import SCREEN_DAYS, screen_data

REFRESH_SECONDS = 60


def street_for(request: SignedInRequest) -> Street:
    """The street asked for among those the user holds `view` on; 403 for any other."""
    streets = areas_held(request.user, Action.VIEW, Street).order_by("pk")
    wanted = request.GET.get("street", "")
    if wanted and not wanted.isdigit():
        raise PermissionDenied
    street = streets.filter(pk=int(wanted)).first() if wanted else streets.first()
    if street is None:
        raise PermissionDenied
    return street


@login_required
def screen(request: SignedInRequest) -> HttpResponse:
    street = street_for(request)
    context = {
        "street": street,
        "data_url": f"{reverse('reports:screen_data')}?{urlencode({'street': street.pk})}",
        "refresh_seconds": REFRESH_SECONDS,
        "days": SCREEN_DAYS,
    }
    return render(request, "reports/screen.html", context)


@never_cache
@login_required
@replica_view
def data(request: SignedInRequest) -> JsonResponse:
    return JsonResponse(
        screen_data(street_for(request), timezone.now()), json_dumps_params={"ensure_ascii": False}
    )
