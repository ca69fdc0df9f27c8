"""消杀 pages: log one on a phone, the logs of one's area (by day, building or venue), a log's
photo, and today's state of the requirements per building."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.photos import photo_clean
from wangge.core.roles import Action
from wangge.regions.models import Building
from wangge.venues.models import DisinfectionLog
from wangge.venues.services.disinfection import ClientIdConflict, log_record, new_client_id
from wangge.venues.services.disinfection_rules import day_bounds, requirement_status, rules_for
from wangge.venues.views.disinfection_form import DisinfectionForm

RELATED = ("building__compound", "building__grid", "venue__grid", "done_by")


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _logs(request: SignedInRequest) -> tuple[QuerySet[DisinfectionLog], dict[str, object]]:
    logs = DisinfectionLog.objects.restrict(request.user).select_related(*RELATED)
    day = _day(request.GET.get("day", ""))
    building, venue = _int(request.GET.get("building", "")), _int(request.GET.get("venue", ""))
    if day is not None:
        start, end = day_bounds(day)
        logs = logs.filter(done_at__gte=start, done_at__lt=end)
    if building is not None:
        logs = logs.filter(building=building)
    if venue is not None:
        logs = logs.filter(venue=venue)
    return logs, {"day": day, "building": building, "venue": venue}


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    logs, filters = _logs(request)
    context = {
        "page": Paginator(logs, 50).get_page(request.GET.get("page")),
        "filters": filters,
        "today": timezone.localdate(),
    }
    return render(request, "venues/disinfection/index.html", context)


@login_required
def photo(request: SignedInRequest, pk: int) -> FileResponse:
    log = get_object_or_404(DisinfectionLog.objects.restrict(request.user), pk=pk)
    if not log.photo:
        raise Http404
    return FileResponse(log.photo.open("rb"))


OUTBOX_TEXTS = {
    "queued": _("待上传 %s 条消杀记录（离线暂存）"),
    "saved": _("消杀记录已保存："),
    "stored": _("记录已存在手机上，联网后自动上传"),
    "refused": _("一条暂存的消杀记录未被接受："),
    "signIn": _("登录已过期，请重新登录后上传暂存的记录"),
    "noAgent": _("请填写消杀内容"),
    "oneWhere": _("请选择楼栋或场所之一"),
}


def _fresh_client_id(form: DisinfectionForm) -> None:
    """The client id named someone else's log: carry a fresh one, so sending again records."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    data["client_id"] = new_client_id()
    form.data = data


@login_required
@require_http_methods(["GET", "POST"])
def log_new(request: SignedInRequest) -> HttpResponse:
    initial = {
        "building": _int(request.GET.get("building", "")),
        "venue": _int(request.GET.get("venue", "")),
    }
    form = DisinfectionForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if not form.may_log_anything:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["photo"]
            log, _created = log_record(
                by=request.user,
                data=form.data_object(),
                client_id=form.cleaned_data["client_id"],
                photo=photo_clean(upload) if upload else None,
                origin=Origin.from_request(request),
            )
        except ClientIdConflict as conflict:
            form.add_error(None, conflict.messages)
            _fresh_client_id(form)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error("photo", error.messages)
        else:
            day = timezone.localdate(log.done_at)
            target = f"building={log.building_id}" if log.building_id else f"venue={log.venue_id}"
            return redirect(f"{reverse('venues:disinfection')}?day={day}&{target}")
    status = 422 if form.errors else 200
    context = {"form": form, "texts": OUTBOX_TEXTS}
    return render(request, "venues/disinfection/new.html", context, status=status)


@login_required
def requirements(request: SignedInRequest) -> HttpResponse:
    """Today's requirements per building of the user's area: met, or how many of how many."""
    day = timezone.localdate()
    buildings = Building.objects.restrict(request.user, Action.VIEW)
    streets = buildings.order_by().values_list("grid__community__street", flat=True).distinct()
    sections = [
        (
            rule,
            sorted(
                requirement_status(rule, day, buildings), key=lambda s: (s.met, str(s.building))
            ),
        )
        for rule in rules_for(streets)
    ]
    return render(
        request, "venues/disinfection/requirements.html", {"sections": sections, "day": day}
    )
