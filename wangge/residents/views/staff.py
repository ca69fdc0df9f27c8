"""The staff's side of the residents' reports: notices (publish, read receipts, households not
reached) and the self-tests of their area."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.scoping import scope_of
from wangge.residents import report_selectors, services
from wangge.residents.forms import NoticeForm, form_errors_add
from wangge.residents.models import Notice, SelfTest


@require_GET
@login_required
def notices(request: SignedInRequest) -> HttpResponse:
    rows = Notice.objects.restrict(request.user).select_related(
        "street", "community", "grid", "compound", "published_by"
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    for row in page:
        row.reach = report_selectors.notice_reach(row, request.user)
    context = {
        "page": page,
        "may_publish": not scope_of(request.user, Action.EDIT).empty,
    }
    return render(request, "residents/staff/notices.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def notice_new(request: SignedInRequest) -> HttpResponse:
    areas = report_selectors.publishable_areas(request.user)
    if not areas:
        raise PermissionDenied
    form = NoticeForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        level, area_id = form.level_and_area()
        data = form.cleaned_data
        try:
            notice = services.notice_publish(
                by=request.user,
                data=services.NoticeInput(
                    level=level,
                    area_id=area_id,
                    title=data["title"],
                    text=data["text"],
                    urgent=data["urgent"],
                    expires_at=data["expires_at"],
                ),
                origin=Origin.from_request(request),
            )
            return redirect("residents:staff_notice", notice.pk)
        except ValidationError as error:
            form_errors_add(form, error)
    status = 422 if form.errors else 200
    return render(request, "residents/staff/notice_new.html", {"form": form}, status=status)


@require_GET
@login_required
def notice(request: SignedInRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Notice.objects.restrict(request.user).select_related("street", "message"), pk=pk
    )
    unread = report_selectors.households_unread(found, request.user)
    context = {
        "notice": found,
        "reach": report_selectors.notice_reach(found, request.user),
        "page": Paginator(unread, 50).get_page(request.GET.get("page")),
    }
    return render(request, "residents/staff/notice.html", context)


@require_GET
@login_required
def self_tests(request: SignedInRequest) -> HttpResponse:
    tests = SelfTest.objects.restrict(request.user).select_related(
        "person__household__building__compound", "account", "event"
    )
    result = request.GET.get("result", "")
    if result in SelfTest.Result.values:
        tests = tests.filter(result=result)
    context = {
        "page": Paginator(tests, 50).get_page(request.GET.get("page")),
        "result": result,
        "results": SelfTest.Result.choices,
    }
    return render(request, "residents/staff/self_tests.html", context)


@require_GET
@login_required
def self_test_photo(request: SignedInRequest, pk: int) -> FileResponse:
    test = get_object_or_404(SelfTest.objects.restrict(request.user), pk=pk)
    if not test.photo:
        raise Http404
    return FileResponse(test.photo.open("rb"), content_type=test.content_type)
