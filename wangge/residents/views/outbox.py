"""验证码发件箱 of demo deployments (RESIDENT_CODE_OUTBOX, refused by `check --deploy`): the live
sign-in codes, so that people trying the demo can sign in as a resident without a phone. Staff who
may edit the register see it; with the setting off the page does not exist."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.residents.services.signin import outbox as live_codes


@never_cache
@require_GET
@login_required
def outbox(request: SignedInRequest) -> HttpResponse:
    if not settings.WANGGE["RESIDENT_CODE_OUTBOX"]:
        raise Http404
    if not user_can(request.user, "edit"):
        raise PermissionDenied
    return render(request, "residents/outbox.html", {"rows": live_codes()})
