"""API tokens page (admins and commanders): list, create (the key shown once), revoke."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.forms import TokenForm
from wangge.accounts.grants import is_token_manager
from wangge.accounts.http import SignedInRequest
from wangge.accounts.models import ApiToken, User
from wangge.accounts.staff_views import apply_errors
from wangge.accounts.tokens import api_token_create, api_token_revoke
from wangge.core.origin import Origin


def token_manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def guarded(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_token_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.restrict(request.user, "manage_staff").select_related("user")


@never_cache
@token_manager_required
def tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw_key, created = "", None
    if request.method == "POST" and form.is_valid():
        candidates = User.objects.restrict(request.user, "manage_staff") | User.objects.filter(
            pk=request.user.pk
        )
        user = candidates.filter(username=form.cleaned_data["username"], is_active=True).first()
        if user is None:
            form.add_error(
                "username", _("在您的管理范围内找不到该账号 / no such account in your scope")
            )
        else:
            try:
                created, raw_key = api_token_create(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    user=user,
                    days=form.cleaned_data["days"],
                    origin=Origin.from_request(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                form = TokenForm()
    failed = request.method == "POST" and created is None
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": _tokens(request),
            "raw_key": raw_key,
            "created": created,
            "crumbs": [(_("工作人员"), reverse("accounts:staff_list")), (_("接口令牌"), "")],
        },
        status=422 if failed else 200,
    )


@require_POST
@token_manager_required
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_tokens(request), pk=pk)
    api_token_revoke(by=request.user, token=token, origin=Origin.from_request(request))
    messages.success(request, _("令牌已吊销"))
    return redirect("accounts:tokens")
