"""Verification lists: upload, progress per grid, the rows to verify, answers, the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.http import SignedInRequest
from wangge.command.forms import AnswerForm, UploadForm
from wangge.command.models import VerificationRow
from wangge.command.selectors import list_progress, visible_lists
from wangge.command.services.verification import (
    may_answer,
    may_import,
    verification_row_answer,
)
from wangge.command.services.verification_export import may_export, verification_list_export
from wangge.command.services.verification_jobs import verification_list_start
from wangge.command.views.common import form_error
from wangge.core.exports import EXPORT_REASONS
from wangge.core.form_fields import model_choice
from wangge.core.forms import ExportReasonForm
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin


@login_required
def list_index(request: SignedInRequest) -> HttpResponse:
    page = Paginator(visible_lists(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "command/verification_lists.html",
        {"page": page, "lists": page.object_list, "may_upload": _may_upload(request)},
    )


def _may_upload(request: SignedInRequest) -> bool:
    form = UploadForm(user=request.user)
    streets = model_choice(form, "street").queryset
    communities = model_choice(form, "community").queryset
    if streets is None or communities is None:  # UploadForm sets both
        return False
    return any(may_import(request.user, street) for street in streets) or communities.exists()


@login_required
def upload(request: SignedInRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload_file = data["file"]
        arguments = {
            "street": data["street"],
            "stream": upload_file,
            "original_name": upload_file.name,
            "by": request.user,
            "deadline": data["deadline"],
            "community": data["community"],
            "title": data["title"],
            "origin": Origin.from_request(request),
        }
        try:
            vlist = verification_list_start(size=upload_file.size, **arguments)
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            return redirect_after_post(
                request, reverse("command:verification_detail", args=[vlist.pk])
            )
    status = 422 if request.method == "POST" else 200
    return render(request, "command/verification_upload.html", {"form": form}, status=status)


ROW_FILTERS = {
    "open": lambda rows: rows.open(),
    "overdue": lambda rows: rows.open().filter(due_at__lt=timezone.now()),
    "answered": lambda rows: rows.exclude(result=""),
    "unmatched": lambda rows: rows.filter(outcome=VerificationRow.Outcome.UNMATCHED),
    "rejected": lambda rows: rows.filter(outcome=VerificationRow.Outcome.REJECTED),
}


@login_required
def list_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    vlist = get_object_or_404(visible_lists(request.user), pk=pk)
    rows = VerificationRow.objects.restrict(request.user).filter(list=vlist)
    show = "overdue" if request.GET.get("overdue") == "1" else request.GET.get("show", "")
    if show in ROW_FILTERS:
        rows = ROW_FILTERS[show](rows)
    grid = request.GET.get("grid", "")
    if grid.isdigit():
        rows = rows.filter(grid_id=int(grid))
    page = Paginator(
        rows.select_related("grid", "assignee", "answered_by").order_by("position"), 50
    ).get_page(request.GET.get("page"))
    context = {
        "vlist": vlist,
        "progress": list_progress(vlist, request.user, timezone.now()),
        "page": page,
        "rows": page.object_list,
        "show": show,
        "may_export": may_export(request.user, vlist),
        "reasons": EXPORT_REASONS,
        "filters": [
            ("", "全部"),
            ("open", "待核查"),
            ("overdue", "已逾期"),
            ("answered", "已反馈"),
            ("unmatched", "未匹配"),
            ("rejected", "无法核查"),
        ],
    }
    return render(request, "command/verification_detail.html", context)


@login_required
def my_rows(request: SignedInRequest) -> HttpResponse:
    """A grid worker's phone page: the rows assigned to them, most urgent first."""
    rows = (
        VerificationRow.objects.restrict(request.user)
        .filter(assignee=request.user)
        .open()
        .select_related("list", "person__household__building__compound")
        .order_by("due_at", "list_id", "position")
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "command/my_rows.html", {"page": page, "rows": page.object_list})


@login_required
def row_answer(request: SignedInRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        VerificationRow.objects.restrict(request.user).select_related("list", "person"), pk=pk
    )
    if not may_answer(request.user, row):
        raise PermissionDenied
    form = AnswerForm(
        request.POST or None,
        row=row,
        user=request.user,
        initial={"result": row.result, "note": row.note, "measure": row.measure_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            verification_row_answer(
                row=row,
                by=request.user,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                measure=form.cleaned_data.get("measure"),
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form_error(form, error)
        else:
            return render(request, "command/_row.html", {"row": row})
    status = 422 if request.method == "POST" else 200
    return render(request, "command/_row_answer.html", {"form": form, "row": row}, status=status)


@login_required
@require_POST
def export(request: SignedInRequest, pk: int) -> HttpResponse:
    vlist = get_object_or_404(visible_lists(request.user), pk=pk)
    form = ExportReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导出用途 / choose the purpose of the export"))
        return redirect("command:verification_detail", vlist.pk)
    job = verification_list_export(
        vlist=vlist, by=request.user, origin=Origin.from_request(request), **form.cleaned_data
    )
    return redirect("core:job", job.pk)
