"""值守排班: a checkpoint's week of shifts with their gaps, putting people on them (staff, and the
confirmed members of the teams), clocking volunteers on and off, handover notes, the .xlsx export
and the gaps of a day across the area."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.checkpoints.exports import roster_export
from wangge.checkpoints.forms import AssignForm, DayForm, NoteForm, PlanForm
from wangge.checkpoints.models import Shift, ShiftAssignment
from wangge.checkpoints.selectors import gap_shifts, roster_week, unrostered_checkpoints
from wangge.checkpoints.services import (
    shift_assign,
    shift_note_add,
    shift_unassign,
    shifts_plan,
    volunteer_clock,
)
from wangge.checkpoints.services.rosters import eligible_staff
from wangge.checkpoints.views.common import error_text, visible_or_404
from wangge.core.decorators import register_required
from wangge.core.exports import EXPORT_REASONS
from wangge.core.forms import ExportReasonForm
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.teams.selectors import rosterable_members


def _week_start(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return timezone.localdate()


def _back(shift: Shift) -> HttpResponse:
    week = timezone.localdate(shift.starts_at)
    url = reverse("checkpoints:roster", args=[shift.checkpoint_id])
    return redirect(f"{url}?week={week:%Y-%m-%d}#shift-{shift.pk}")


@register_required
@require_http_methods(["GET", "POST"])
def roster(request: SignedInRequest, pk: int) -> HttpResponse:
    """A week of shifts: who is on, who is missing, what was handed over; plan more shifts."""
    checkpoint = visible_or_404(request.user, pk)
    first = _week_start(request)
    plan = PlanForm(request.POST or None, initial={"start": first, "days": 7})
    if request.method == "POST" and plan.is_valid():
        try:
            created = shifts_plan(
                by=request.user,
                checkpoint=checkpoint,
                origin=Origin.from_request(request),
                **plan.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request, error_text(error) if isinstance(error, ValidationError) else str(error)
            )
        else:
            messages.success(request, f"已新增{created}个班次")
        start = plan.cleaned_data["start"]
        return redirect(f"{reverse('checkpoints:roster', args=[pk])}?week={start:%Y-%m-%d}")
    may_edit = user_can(request.user, Action.EDIT, checkpoint)
    volunteers = rosterable_members(checkpoint.community)
    context = {
        "checkpoint": checkpoint,
        "days": roster_week(checkpoint, first),
        "first": first,
        "previous": first - timedelta(days=7),
        "next": first + timedelta(days=7),
        "plan": plan,
        "may_edit": may_edit,
        "reasons": EXPORT_REASONS,
        "assign_form": AssignForm(staff=eligible_staff(checkpoint), volunteers=volunteers)
        if may_edit
        else None,
        "note_form": NoteForm(),
        "crumbs": [
            ("卡点", reverse("checkpoints:index")),
            (checkpoint.name, reverse("checkpoints:detail", args=[pk])),
            ("值守排班", ""),
        ],
    }
    return render(request, "checkpoints/roster.html", context)


def _shift(request: HttpRequest, pk: int) -> Shift:
    return get_object_or_404(
        Shift.objects.restrict(request.user, Action.VIEW).select_related("checkpoint"), pk=pk
    )


@register_required
@require_POST
def assign(request: SignedInRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    choice = request.POST.get("member", "")
    user = volunteer = None
    if choice.startswith("u") and choice[1:].isdigit():
        user = eligible_staff(shift.checkpoint).filter(pk=int(choice[1:])).first()
    elif choice.startswith("v") and choice[1:].isdigit():
        volunteer = (
            rosterable_members(shift.checkpoint.community).filter(pk=int(choice[1:])).first()
        )
    try:
        shift_assign(
            by=request.user,
            shift=shift,
            user=user,
            volunteer=volunteer,
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back(shift)


@register_required
@require_POST
def unassign(request: SignedInRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        ShiftAssignment.objects.restrict(request.user, Action.VIEW).select_related(
            "shift__checkpoint", "user", "volunteer"
        ),
        pk=pk,
    )
    shift_unassign(by=request.user, assignment=assignment, origin=Origin.from_request(request))
    return _back(assignment.shift)


@register_required
@require_POST
def clock(request: SignedInRequest, pk: int) -> HttpResponse:
    """A volunteer's 到岗 or 离岗, marked by whoever rosters the checkpoint."""
    assignment = get_object_or_404(
        ShiftAssignment.objects.restrict(request.user, Action.VIEW).select_related(
            "shift__checkpoint__community"
        ),
        pk=pk,
    )
    try:
        volunteer_clock(by=request.user, assignment=assignment, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back(assignment.shift)


@register_required
@require_POST
def note(request: SignedInRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        shift_note_add(
            by=request.user,
            shift=shift,
            text=form.cleaned_data["text"],
            origin=Origin.from_request(request),
        )
    return _back(shift)


@register_required
@require_POST
def roster_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """The week's duty roster as an export job, asked with a purpose; its page has the download."""
    checkpoint = visible_or_404(request.user, pk, Action.EXPORT)
    first = _week_start(request)
    form = ExportReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择导出用途 / choose the purpose of the export"))
        return redirect(f"{reverse('checkpoints:roster', args=[pk])}?week={first:%Y-%m-%d}")
    job = roster_export(
        by=request.user,
        checkpoint=checkpoint,
        first=first,
        origin=Origin.from_request(request),
        **form.cleaned_data,
    )
    return redirect("core:job", job.pk)


@register_required
def gaps(request: SignedInRequest) -> HttpResponse:
    """缺员: the day's understaffed shifts and the checkpoints without any shift."""
    day = DayForm(request.GET or None).day_or_today()
    context = {
        "day": day,
        "shifts": gap_shifts(request.user, day),
        "unrostered": unrostered_checkpoints(request.user, day),
    }
    return render(request, "checkpoints/gaps.html", context)
