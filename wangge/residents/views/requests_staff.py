"""The staff's pages of residents' requests (居民诉求): the list with status tabs and a kind filter,
a request's page with its actions (take, in progress, done with a reply, decline with a reason,
turn into a task), and the summary per grid. Everything is read through `restrict()`: a grid
worker sees their grid's requests only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.residents import request_selectors, services
from wangge.residents.models import HelpRequest, RequestKind, RequestPhoto, RequestStatus

PAGE_SIZE = 50


def _visible(request: SignedInRequest, pk: int) -> HelpRequest:
    rows = request_selectors.staff_requests(request.user)
    return get_object_or_404(rows, pk=pk)


def _sees(request: SignedInRequest) -> None:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied


@require_GET
@login_required
def index(request: SignedInRequest) -> HttpResponse:
    _sees(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    overdue = request.GET.get("overdue") == "1"
    rows = request_selectors.staff_requests(request.user, status=status, kind=kind, overdue=overdue)
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": request_selectors.status_counts(request.user),
        "statuses": RequestStatus.choices,
        "kinds": RequestKind.choices,
        "status": status,
        "kind": kind,
        "overdue": overdue,
        "now": timezone.now(),
    }
    return render(request, "residents/requests/staff_index.html", context)


@require_GET
@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _visible(request, pk)
    context = {
        "row": row,
        "events": row.events.select_related("by_user"),
        "photos": row.photos.all(),
        "may_act": HelpRequest.objects.restrict(request.user, Action.EDIT).filter(pk=pk).exists(),
        "overdue": request_selectors.is_overdue(row, timezone.now()),
    }
    return render(request, "residents/requests/staff_detail.html", context)


@require_POST
@login_required
def act(request: SignedInRequest, pk: int) -> HttpResponse:
    row = _visible(request, pk)
    origin = Origin.from_request(request)
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")
    steps = {
        "take": lambda: services.request_take(by=request.user, help_request=row, origin=origin),
        "progress": lambda: services.request_progress(
            by=request.user, help_request=row, note=text, origin=origin
        ),
        "done": lambda: services.request_done(
            by=request.user, help_request=row, reply=text, origin=origin
        ),
        "decline": lambda: services.request_decline(
            by=request.user, help_request=row, reason=text, origin=origin
        ),
        "task": lambda: services.request_make_task(
            by=request.user, help_request=row, origin=origin
        ),
    }
    if action not in steps:
        messages.error(request, _("未知操作"))
        return redirect("residents:request_detail", pk=row.pk)
    try:
        steps[action]()
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("已保存"))
    return redirect("residents:request_detail", pk=row.pk)


@require_GET
@login_required
def summary(request: SignedInRequest) -> HttpResponse:
    _sees(request)
    context = {
        "summary": request_selectors.summary(request.user),
        "statuses": RequestStatus.choices,
    }
    return render(request, "residents/requests/staff_summary.html", context)


@require_GET
@login_required
def photo(request: SignedInRequest, pk: int) -> FileResponse:
    visible = HelpRequest.objects.restrict(request.user, Action.VIEW)
    row = get_object_or_404(RequestPhoto.objects.filter(request__in=visible), pk=pk)
    return FileResponse(row.file.open("rb"), content_type=row.content_type)
