"""一对一关爱 pages: the carer's own list on a phone (who is due, overdue in red, a one-tap call
form), the area's overview (overdue first, with the carers and the residents not yet covered), a
plan with its call history, and the forms to start a plan, log a call, change the carer, end it."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.scoping import scope_of
from wangge.people.models import Person
from wangge.teams.models import CarePlan, CareReason
from wangge.teams.services.care import (
    call_log,
    care_plan_carer_change,
    care_plan_create,
    care_plan_end,
    carer_assignments,
)
from wangge.teams.views.forms import CallForm, CarePlanForm, EndForm
from wangge.teams.views.holders import HolderForm

OVERVIEW_ROWS = 300
# Register tags that call for one-to-one care (孕产期, 残疾, 独居老人); 透析 has no tag.
CARE_TAGS = (CareReason.LIVING_ALONE, CareReason.DISABLED, CareReason.PREGNANT)


def _annotate(plans: list[CarePlan], now: datetime) -> list[CarePlan]:
    """Each plan with `due`, `overdue` and `carer`, overdue (longest first) then due soonest."""
    carers = carer_assignments([plan.pk for plan in plans])
    for plan in plans:
        plan.due = plan.due_at(plan.last_reached)  # type: ignore[attr-defined]
        plan.overdue = plan.due <= now  # type: ignore[attr-defined]
        plan.carer = carers.get(plan.pk)  # type: ignore[attr-defined]
    return sorted(plans, key=lambda p: p.due)  # type: ignore[attr-defined]


def _related(plans: Any) -> Any:
    return plans.select_related("person__household__building__compound", "person__household__grid")


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    now = timezone.now()
    mine = _annotate(
        list(_related(CarePlan.objects.held_by(request.user).active().with_calls())), now
    )
    overview: list[CarePlan] = []
    uncovered = Person.objects.none()
    area = not scope_of(request.user, Action.EDIT).empty
    if area:
        plans = _related(CarePlan.objects.restrict(request.user).active().with_calls())
        overview = _annotate(list(plans), now)
        uncovered = (
            Person.objects.restrict(request.user, Action.EDIT)
            .filter(tags__code__in=CARE_TAGS, status=Person.Status.PRESENT)
            .exclude(pk__in=CarePlan.objects.filter(ended__isnull=True).values("person"))
            .distinct()
            .select_related("household__building__compound")
            .order_by("name_pinyin", "pk")
        )
    context = {
        "mine": [(plan, CallForm(prefix=f"p{plan.pk}")) for plan in mine],
        "overview": overview[:OVERVIEW_ROWS],
        "total": len(overview),
        "overdue": sum(1 for plan in overview if getattr(plan, "overdue", False)),
        "uncovered": uncovered[:50],
        "area": area,
    }
    return render(request, "teams/care.html", context)


@login_required
def new(request: SignedInRequest) -> HttpResponse:
    persons = Person.objects.restrict(request.user, Action.EDIT)
    raw = request.GET.get("person", "") or request.POST.get("person", "")
    person = persons.filter(pk=raw).first() if raw.isdigit() and len(raw) < 19 else None
    query = request.GET.get("q", "").strip()
    found = (
        persons.search(query).select_related("household__building__compound")[:20] if query else []
    )
    reason = next((t.code for t in person.tags.all() if t.code in CARE_TAGS), "") if person else ""
    form = CarePlanForm(request.POST or None, user=request.user, initial={"reason": reason})
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            plan = care_plan_create(
                by=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                interval_hours=form.cleaned_data["interval_hours"],
                carer=form.cleaned_data["holder"],
                note=form.cleaned_data["note"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", None) or str(error))
        else:
            return redirect(reverse("teams:care_plan", args=[plan.pk]))
    context = {"person": person, "query": query, "found": found, "form": form}
    return render(request, "teams/care_new.html", context)


def _plan(request: SignedInRequest, pk: int) -> CarePlan:
    return get_object_or_404(_related(CarePlan.objects.restrict(request.user).with_calls()), pk=pk)


@login_required
def plan(request: SignedInRequest, pk: int) -> HttpResponse:
    care = _annotate([_plan(request, pk)], timezone.now())[0]
    can_edit = user_can(request.user, Action.EDIT, care.person)
    context = {
        "plan": care,
        "calls": care.calls.select_related("by")[:200],
        "call_form": CallForm(),
        "carer_form": HolderForm(user=request.user) if can_edit else None,
        "end_form": EndForm() if can_edit else None,
    }
    return render(request, "teams/care_plan.html", context)


def _back(request: SignedInRequest, plan: CarePlan) -> HttpResponse:
    if request.POST.get("back") == "list":
        return redirect(reverse("teams:care"))
    return redirect(reverse("teams:care_plan", args=[plan.pk]))


def _errors(request: SignedInRequest, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@login_required
@require_POST
def call(request: SignedInRequest, pk: int) -> HttpResponse:
    care = _plan(request, pk)
    prefix = request.POST.get("prefix") or None
    form = CallForm(request.POST, prefix=prefix)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, care)
    try:
        call_log(
            by=request.user, plan=care, origin=Origin.from_request(request), **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(request, _("已记录：%(name)s") % {"name": care.person.name})
    return _back(request, care)


@login_required
@require_POST
def carer(request: SignedInRequest, pk: int) -> HttpResponse:
    care = _plan(request, pk)
    form = HolderForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            care_plan_carer_change(
                by=request.user,
                plan=care,
                carer=form.cleaned_data["holder"],
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _back(request, care)


@login_required
@require_POST
def end(request: SignedInRequest, pk: int) -> HttpResponse:
    care = _plan(request, pk)
    form = EndForm(request.POST)
    form.is_valid()
    try:
        care_plan_end(
            by=request.user,
            plan=care,
            reason=form.cleaned_data.get("reason", ""),
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return _back(request, care)
