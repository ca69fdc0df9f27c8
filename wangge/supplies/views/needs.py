"""The need loop's pages: the list by status (/supplies/needs/), a need with its timeline and the
steps the user may take, a new need for staff, and the deliverer's phone page
(/supplies/deliveries/) where the code is entered or the door photo uploaded. Every need is read
through `needs_for`, so one outside the user's sight answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.supplies.models import NeedKind, NeedStatus
from wangge.supplies.selectors import needs as reads
from wangge.supplies.services import need_handover, needs
from wangge.supplies.views import need_forms

PAGE_SIZE = 50


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    page = Paginator(reads.needs_for(request.user, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": NeedStatus.choices,
        "may_create": need_forms.may_create(request.user),
        "crumbs": [(_("物资需求"), None)],
    }
    return render(request, "supplies/needs.html", context)


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(reads.needs_for(request.user), pk=pk)
    may = reads.actions_for(request.user, need)
    context = {
        "need": need,
        "lines": need.lines.select_related("item"),
        "steps": reads.timeline(need),
        "may": may,
        "places": reads.pick_places(request.user, need) if may.pick else [],
        "places_all": reads.street_places(need) if may.approve else [],
        "members": reads.member_deliverers(need) if may.dispatch else [],
        "staff": reads.staff_deliverers(need) if may.dispatch else [],
        "show_code": need.is_open and need.requested_by_id == request.user.pk,
        "tries_left": need_handover.MAX_CODE_TRIES - need_handover.code_tries(need),
        "crumbs": [(_("物资需求"), "supplies:needs"), (str(need), None)],
    }
    return render(request, "supplies/need.html", context)


@login_required
@require_POST
def act(request: SignedInRequest, pk: int) -> HttpResponse:
    """One step of the need (`step`: approve, reject, pick, dispatch, code, photo, cancel)."""
    need = get_object_or_404(reads.needs_for(request.user), pk=pk)
    try:
        done = need_forms.take_step(request, need)
    except (ValidationError, PermissionDenied) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for text in texts:
            messages.error(request, text)
    else:
        messages.success(request, done)
    if request.POST.get("back") == "deliveries":
        return redirect("supplies:deliveries")
    return redirect("supplies:need", pk=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    if not need_forms.may_create(request.user):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        try:
            need = needs.need_create(
                by=request.user,
                origin=Origin.from_request(request),
                **need_forms.create_args(request),
            )
        except (ValidationError, PermissionDenied) as error:
            errors = error.messages if isinstance(error, ValidationError) else [str(error)]
        else:
            messages.success(request, _("需求已提交"))
            return redirect("supplies:need", pk=need.pk)
    context = {
        "errors": errors,
        "posted": request.POST or request.GET,
        "kinds": NeedKind.choices,
        "line_rows": range(need_forms.FORM_LINES),
        **need_forms.choices(request.user),
        "crumbs": [(_("物资需求"), "supplies:needs"), (_("新需求"), None)],
    }
    return render(request, "supplies/need_new.html", context, status=400 if errors else 200)


@login_required
@require_GET
def photo(request: SignedInRequest, pk: int) -> FileResponse:
    need = get_object_or_404(reads.needs_for(request.user), pk=pk)
    if not need.handover_photo:
        raise Http404
    return FileResponse(need.handover_photo.open("rb"))


@login_required
@require_GET
def deliveries(request: SignedInRequest) -> HttpResponse:
    rows = list(reads.deliveries_for(request.user))
    for row in rows:
        row.tries_left = need_handover.MAX_CODE_TRIES - need_handover.code_tries(row)  # type: ignore[attr-defined]
    context = {"rows": rows, "crumbs": [(_("我的配送"), None)]}
    return render(request, "supplies/deliveries.html", context)
