"""The resident's requests (诉求): the list with statuses, a new request (kind as big buttons, text,
photos, for which member), a request's page (its timeline, withdraw, the rating once done).
Every request is read through the account's household: another household's answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.core.api import integer_id
from wangge.core.origin import Origin
from wangge.residents import request_selectors, selectors, services
from wangge.residents.auth import resident_required
from wangge.residents.models import Account, HelpRequest, RequestKind, RequestPhoto
from wangge.residents.services.requests import MAX_PHOTOS


def _account(request: HttpRequest) -> Account:
    return request.resident  # type: ignore[attr-defined]


def _own(request: HttpRequest, pk: int) -> HelpRequest:
    return get_object_or_404(request_selectors.own_requests(_account(request)), pk=pk)


def _detail(pk: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("residents:request_mine", args=[pk]))


@require_GET
@resident_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = request_selectors.own_requests(_account(request))
    return render(request, "residents/requests/mine.html", {"rows": rows[:100]})


@require_http_methods(["GET", "POST"])
@resident_required
def new(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    members = list(selectors.members(account))
    errors: list[str] = []
    if request.method == "POST" and members:
        try:
            member = request.POST.get("person", "")
            person = selectors.member_or_404(account, integer_id(member))
            created = services.request_submit(
                account=account,
                person=person,
                kind=request.POST.get("kind", ""),
                text=request.POST.get("text", ""),
                photos=request.FILES.getlist("photos"),
                origin=Origin.from_request(request),
            )
        except ValueError:
            errors = [_("请选择为哪位家庭成员办理")]
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("诉求已提交，网格员会尽快受理"))
            return _detail(created.pk)
    context = {
        "members": members,
        "kinds": RequestKind.choices,
        "max_photos": MAX_PHOTOS,
        "errors": errors,
        "posted": request.POST,
        "own_person": account.person_id,
    }
    return render(request, "residents/requests/new.html", context, status=400 if errors else 200)


@require_GET
@resident_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = _own(request, pk)
    context = {
        "row": row,
        "events": row.events.select_related("by_user"),
        "photos": row.photos.all(),
        "may_rate": row.status == "done" and row.rating is None,
        "stars": range(5, 0, -1),
    }
    return render(request, "residents/requests/detail.html", context)


@require_POST
@resident_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    row = _own(request, pk)
    try:
        services.request_withdraw(
            account=_account(request), help_request=row, origin=Origin.from_request(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _detail(row.pk)


@require_POST
@resident_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    row = _own(request, pk)
    try:
        stars = int(request.POST.get("rating", ""))
    except ValueError:
        stars = 0
    try:
        services.request_rate(
            account=_account(request),
            help_request=row,
            rating=stars,
            comment=request.POST.get("comment", ""),
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("感谢您的评价"))
    return _detail(row.pk)


@require_GET
@resident_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    own = request_selectors.own_requests(_account(request))
    row = get_object_or_404(RequestPhoto.objects.filter(request__in=own), pk=pk)
    with row.file.open("rb") as stored:
        return HttpResponse(stored.read(), content_type=row.content_type)
