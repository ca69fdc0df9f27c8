"""返乡报备 pages: the checkpoint's (or police post's) form, the list, and the staff's decision."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wangge.accounts.authority import holds, user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin as AuditOrigin
from wangge.core.roles import Action
from wangge.measures.forms import ArrivalDecisionForm, ArrivalForm, add_refusal
from wangge.measures.models import ArrivalReport
from wangge.measures.services import (
    ArrivalData,
    Origin,
    arrival_report_confirm,
    arrival_report_create,
)


def _communities(user: object) -> object:
    """The communities of the streets on which `user` holds a role (all of them for an admin)."""
    community = apps.get_model("regions", "Community")
    if holds(user, Action.VIEW, None):
        return community.objects.all()
    assignments = apps.get_model("accounts", "RoleAssignment").objects.filter(user=user)
    streets = (
        Q(street__in=assignments.values("street"))
        | Q(street__in=assignments.values("community__street"))
        | Q(street__in=assignments.values("grid__community__street"))
    )
    return community.objects.filter(streets).select_related("street")


@login_required
def arrivals(request: SignedInRequest) -> HttpResponse:
    reports = ArrivalReport.objects.restrict(request.user, Action.VIEW).select_related(
        "proposed_type", "community", "reported_by"
    )
    status = request.GET.get("status", ArrivalReport.Status.PENDING)
    if status in ArrivalReport.Status.values:
        reports = reports.filter(status=status)
    context = {
        "page": Paginator(reports, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": ArrivalReport.Status.choices,
    }
    return render(request, "measures/arrivals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def arrival_new(request: SignedInRequest) -> HttpResponse:
    communities = _communities(request.user)
    form = ArrivalForm(
        request.POST or None,
        communities=communities,
        initial={"arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        origin = Origin(
            province=data["origin_province"],
            city=data["origin_city"],
            district=data["origin_district"],
            street=data["origin_street"],
        )
        try:
            report = arrival_report_create(
                by=request.user,
                data=ArrivalData(
                    name=data["name"],
                    id_number=data["id_number"],
                    phone=data["phone"],
                    origin=origin,
                    route=data["route"],
                    departed_on=data["departed_on"],
                    arrived_at=data["arrived_at"],
                    transport=data["transport"],
                    transport_detail=data["transport_detail"],
                    test_result=data["test_result"],
                    test_on=data["test_on"],
                    community=data["community"],
                    host_address=data["host_address"],
                ),
                origin=AuditOrigin.from_request(request),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("已登记 %(name)s 的返乡报备") % {"name": report.name})
            return redirect_after_post(request, reverse("measures:arrival", args=[report.pk]))
    status = 422 if form.errors else 200
    return render(request, "measures/arrival_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def arrival(request: SignedInRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ArrivalReport.objects.restrict(request.user, Action.VIEW).select_related(
            "proposed_type__rule_set", "matched_area", "community", "person", "measure"
        ),
        pk=pk,
    )
    may_decide = (
        report.status == ArrivalReport.Status.PENDING
        and ArrivalReport.objects.restrict(request.user, Action.EDIT).filter(pk=pk).exists()
    )
    households = apps.get_model("regions", "Household").objects.restrict(request.user, Action.EDIT)
    if report.community_id:
        households = households.filter(grid__community=report.community_id)
    form = ArrivalDecisionForm(
        request.POST or None,
        on=timezone.localdate(report.arrived_at),
        households=households.select_related("building__compound"),
        initial={"measure_type": report.proposed_type_id or ""},
    )
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                arrival_report_confirm(
                    by=request.user,
                    report=report,
                    measure_type=data["measure_type"],
                    reason=data["reason"],
                    household=data["household"],
                    team=form.team(),
                    origin=AuditOrigin.from_request(request),
                )
            except (ValidationError, PermissionDenied) as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("已处理该报备"))
                return redirect_after_post(request, reverse("measures:arrival", args=[pk]))
    context = {
        "report": report,
        "form": form if may_decide else None,
        "can_view_person": report.person_id is not None
        and user_can(request.user, Action.VIEW, report.person),
    }
    return render(request, "measures/arrival.html", context, status=422 if form.errors else 200)
