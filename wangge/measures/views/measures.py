"""Measures by hand: the list, assigning (one person or a household), one measure's page with
its actions, and a person's timeline."""

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.shortcuts import date_param
from wangge.measures.forms import AssignForm, CheckInForm, EndForm, TransferForm, add_refusal
from wangge.measures.models import MeasureType, PersonMeasure
from wangge.measures.selectors import person_timeline
from wangge.measures.services import (
    checkin_link_token,
    measure_assign,
    measure_end_early,
    measure_transfer,
    new_client_id,
    release_blockers,
)
from wangge.measures.services.common import measure_link
from wangge.people.models import Person

Status = PersonMeasure.Status


@register_required
def measure_list(request: SignedInRequest) -> HttpResponse:
    measures = (
        PersonMeasure.objects.restrict(request.user, Action.VIEW)
        .select_related("person__household__grid", "measure_type", "grid_worker")
        .order_by("end", "pk")
    )
    status = request.GET.get("status", Status.ACTIVE)
    if status in Status.values:
        measures = measures.filter(status=status)
    category = request.GET.get("category", "")
    if category in MeasureType.Category.values:
        measures = measures.filter(measure_type__category=category)
    end = date_param(request.GET.get("end", ""))
    if end is not None:
        measures = measures.filter(end=end)
    page = Paginator(measures, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "end": end,
        "status": status,
        "statuses": Status.choices,
        "category": category,
        "categories": MeasureType.Category.choices,
    }
    return render(request, "measures/list.html", context)


def _chosen_persons(request: HttpRequest) -> list[Person]:
    """Persons named by ?person=… or all members of ?household=…, among those the user may edit."""
    editable = Person.objects.restrict(request.user, Action.EDIT).select_related("household")
    source = request.POST if request.method == "POST" else request.GET
    ids = [value for value in source.getlist("person") if value.isdigit()]
    household = source.get("household", "")
    chosen = editable.filter(pk__in=ids) if ids else editable.none()
    if household.isdigit() and request.method == "GET":
        chosen = editable.filter(household=household, status=Person.Status.PRESENT)
    return list(chosen)


@register_required
@require_http_methods(["GET", "POST"])
def assign(request: SignedInRequest) -> HttpResponse:
    persons = _chosen_persons(request)
    form = AssignForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measures = measure_assign(
                by=request.user,
                persons=persons,
                measure_type=data["measure_type"],
                start=data["start"],
                reason=data["reason"],
                plan=data["plan"],
                team=form.team(),
                origin=Origin.from_request(request),
            )
        except (ValidationError, PermissionDenied) as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("已对 %(count)s 人落实管控措施") % {"count": len(measures)})
            target = measure_link(measures[0]) if len(measures) == 1 else reverse("measures:list")
            return redirect_after_post(request, target)
    context = {"form": form, "persons": persons}
    return render(request, "measures/assign.html", context, status=422 if form.errors else 200)


@register_required
def assign_search(request: SignedInRequest) -> HttpResponse:
    """Persons matching the search box, to tick on the assignment form (htmx)."""
    text = request.GET.get("q", "").strip()
    found = (
        Person.objects.restrict(request.user, Action.EDIT)
        .search(text)
        .select_related("household__building__compound")[:20]
        if text
        else []
    )
    return render(request, "measures/_person_choices.html", {"found": found})


def _qr_svg(url: str) -> str:
    """The link as an inline SVG QR code; segno writes the markup, so it is safe to embed."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3))


@register_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        PersonMeasure.objects.restrict(request.user, Action.VIEW).select_related(
            "person__household__building__compound",
            "measure_type__rule_set",
            "grid_worker",
            "doctor",
            "police",
            "previous__measure_type",
        ),
        pk=pk,
    )
    link = request.build_absolute_uri(
        reverse("measures:resident_checkin", args=[checkin_link_token(measure)])
    )
    active = measure.status == Status.ACTIVE
    context = {
        "measure": measure,
        "slots": measure.slots.filter(due_at__date__gte=timezone.localdate()).order_by("due_at")[
            :6
        ],
        "checkins": measure.checkins.select_related("by")[:20],
        "tests": measure.tests.order_by("due_on", "pk"),
        "events": measure.events.select_related("by"),
        "following": measure.following.select_related("measure_type").first(),
        "blockers": release_blockers(measure) if active else [],
        "active": active,
        "today": timezone.localdate(),
        "checkin_link": link if active else "",
        "checkin_qr": _qr_svg(link) if active else "",
        "checkin_form": CheckInForm(initial={"client_id": new_client_id()}),
        "end_form": EndForm(),
        "transfer_form": TransferForm(),
    }
    return render(request, "measures/detail.html", context)


@register_required
@require_POST
def end_early(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(PersonMeasure.objects.restrict(request.user, Action.VIEW), pk=pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写原因 / a reason is required"))
        measure_end_early(
            by=request.user,
            measure=measure,
            reason=form.cleaned_data["reason"],
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已提前终止"))
    return redirect_after_post(request, measure_link(measure))


@register_required
@require_POST
def transfer(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(PersonMeasure.objects.restrict(request.user, Action.VIEW), pk=pk)
    form = TransferForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写转运去向和原因 / destination and reason are required"))
        measure_transfer(
            by=request.user,
            measure=measure,
            reason=form.cleaned_data["reason"],
            destination=form.cleaned_data["destination"],
            measure_type=form.cleaned_data["measure_type"],
            origin=Origin.from_request(request),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("已转运"))
    return redirect_after_post(request, measure_link(measure))


@register_required
def timeline(request: SignedInRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.restrict(request.user, Action.VIEW), pk=pk)
    context = {
        "person": person,
        "entries": person_timeline(person, request.user),
        "measures": PersonMeasure.objects.restrict(request.user, Action.VIEW)
        .filter(person=person)
        .select_related("measure_type"),
    }
    return render(request, "measures/timeline.html", context)
