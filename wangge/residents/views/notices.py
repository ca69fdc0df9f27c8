"""信息发布 on the portal: the notices of the household's compound, grid, community and street,
newest first, unread marked; opening one is its read receipt."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wangge.residents import report_selectors, services
from wangge.residents.auth import resident_required


@require_GET
@resident_required
def notices(request: HttpRequest) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    rows = report_selectors.notices_for(account).select_related(
        "street", "community", "grid", "compound"
    )
    return render(request, "residents/notices/list.html", {"notices": rows[:100]})


@require_GET
@resident_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    account = request.resident  # type: ignore[attr-defined]
    found = report_selectors.notice_or_404(account, pk)
    services.notice_read(account=account, notice=found)
    return render(request, "residents/notices/detail.html", {"notice": found})
