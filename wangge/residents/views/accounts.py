"""Staff on residents' accounts: the household page's panel (front/browse) lists them; a worker
who may edit the household stops one or lets it in again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.residents.models import Account
from wangge.residents.services.staff import account_disable, account_enable


def _account(request: SignedInRequest, pk: int) -> Account:
    account = (
        Account.objects.restrict(request.user).select_related("household").filter(pk=pk).first()
    )
    if account is None:
        raise Http404
    return account


def _back(account: Account) -> HttpResponse:
    return HttpResponseRedirect(reverse("regions:household_detail", args=[account.household_id]))


@require_POST
@login_required
def disable(request: SignedInRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    try:
        account_disable(
            by=request.user,
            account=account,
            reason=request.POST.get("reason", "")[:300],
            origin=Origin.from_request(request),
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已停用该居民账号，其所有登录已退出。"))
    return _back(account)


@require_POST
@login_required
def enable(request: SignedInRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    account_enable(by=request.user, account=account, origin=Origin.from_request(request))
    messages.success(request, _("已恢复该居民账号。"))
    return _back(account)
