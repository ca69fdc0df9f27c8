"""职责清单 and 党员先锋岗 pages: the lists with their duties and holders (edited in place by those
who may), the printable PDF of one list, and the party posts with their members' service."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.pdf import render_pdf
from wangge.core.roles import Action
from wangge.teams.forms.duties import DutyForm, HolderForm, PositionForm, ServiceForm
from wangge.teams.models import Position, PositionDuty, PositionHolder
from wangge.teams.selectors.duties import (
    DutyList,
    duty_lists,
    holder_members,
    party_posts,
    positions_for,
    street_staff,
)
from wangge.teams.services import duties as services
from wangge.teams.views.areas import chosen_area, edit_areas


def _errors(request: SignedInRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


def _written(request: SignedInRequest, write: Callable[[], object]) -> HttpResponse:
    """Back to the duty list after `write`, its refusal shown there."""
    try:
        write()
    except ValidationError as error:
        _errors(request, error)
    return redirect("teams:duties")


def _editable(request: SignedInRequest, pk: int) -> Position:
    return get_object_or_404(positions_for(request.user, Action.EDIT), pk=pk)


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    lists = duty_lists(request.user, positions_for(request.user))
    for duty_list in lists:
        if duty_list.editable:
            staff = [(f"user-{u.pk}", str(u)) for u in street_staff(duty_list.street.pk)]
            for position in duty_list.positions:
                members = [
                    (f"member-{m.pk}", f"{m.name}（{m.team.name}）")
                    for m in holder_members(position)
                ]
                position.holder_options = staff + members  # type: ignore[attr-defined]
    context = {"lists": lists, "new_areas": edit_areas(request.user)}
    return render(request, "teams/duties.html", context)


@login_required
@require_POST
def position_new(request: SignedInRequest) -> HttpResponse:
    form = PositionForm(request.POST)
    street, community = chosen_area(request)
    if street is None or not form.is_valid():
        messages.error(request, "请填写岗位名称并选择清单 / name the position and choose a list")
        return redirect("teams:duties")
    return _written(
        request,
        lambda: services.position_create(
            by=request.user,
            street=street,
            community=community,
            data=services.PositionData(**form.cleaned_data),
            origin=Origin.from_request(request),
        ),
    )


@login_required
@require_POST
def position_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    position = _editable(request, pk)
    form = PositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写岗位名称 / the position needs a name")
        return redirect("teams:duties")
    return _written(
        request,
        lambda: services.position_update(
            by=request.user,
            position=position,
            data=services.PositionData(**form.cleaned_data),
            origin=Origin.from_request(request),
        ),
    )


@login_required
@require_POST
def position_up(request: SignedInRequest, pk: int) -> HttpResponse:
    """Move a position one place up its list."""
    position = _editable(request, pk)
    ids = list(
        Position.objects.filter(street=position.street_id, community=position.community_id)
        .order_by("order", "id")
        .values_list("pk", flat=True)
    )
    at = ids.index(position.pk)
    if at > 0:
        ids[at - 1], ids[at] = ids[at], ids[at - 1]
        services.position_reorder(
            by=request.user,
            street=position.street,
            community=position.community,
            ids=ids,
            origin=Origin.from_request(request),
        )
    return redirect("teams:duties")


@login_required
@require_POST
def duty_add(request: SignedInRequest, pk: int) -> HttpResponse:
    position = _editable(request, pk)
    form = DutyForm(request.POST)
    if form.is_valid():
        services.duty_add(
            by=request.user,
            position=position,
            text=form.cleaned_data["text"],
            origin=Origin.from_request(request),
        )
    else:
        messages.error(request, "请填写职责内容 / the duty needs a text")
    return redirect("teams:duties")


@login_required
@require_POST
def duty_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(
        PositionDuty.objects.filter(position__in=positions_for(request.user, Action.EDIT)), pk=pk
    )
    form = DutyForm(request.POST)
    if form.is_valid():
        services.duty_edit(
            by=request.user,
            duty=duty,
            text=form.cleaned_data["text"],
            origin=Origin.from_request(request),
        )
    else:
        messages.error(request, "请填写职责内容 / the duty needs a text")
    return redirect("teams:duties")


@login_required
@require_POST
def duty_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(
        PositionDuty.objects.filter(position__in=positions_for(request.user, Action.EDIT)), pk=pk
    )
    services.duty_remove(by=request.user, duty=duty, origin=Origin.from_request(request))
    return redirect("teams:duties")


@login_required
@require_POST
def holder_add(request: SignedInRequest, pk: int) -> HttpResponse:
    position = _editable(request, pk)
    form = HolderForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择人员 / choose someone")
        return redirect("teams:duties")
    kind, _, number = form.cleaned_data["holder"].partition("-")
    user = member = None
    if kind == "user":
        user = get_object_or_404(street_staff(position.street_id), pk=number)
    else:
        member = get_object_or_404(holder_members(position), pk=number)
    return _written(
        request,
        lambda: services.holder_assign(
            by=request.user,
            position=position,
            user=user,
            member=member,
            origin=Origin.from_request(request),
        ),
    )


@login_required
@require_POST
def holder_end(request: SignedInRequest, pk: int) -> HttpResponse:
    holder = get_object_or_404(
        PositionHolder.objects.filter(position__in=positions_for(request.user, Action.EDIT)), pk=pk
    )
    try:
        services.holder_end(by=request.user, holder=holder, origin=Origin.from_request(request))
    except ValidationError as error:
        _errors(request, error)
    return redirect("teams:duties")


def _pdf(request: SignedInRequest, duty_list: DutyList) -> HttpResponse:
    context = {"list": duty_list, "today": timezone.localdate()}
    pdf = render_pdf("teams/duties_pdf.html", context, request=request)
    area = duty_list.community or duty_list.street
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"职责清单-{area}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response


@login_required
def street_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    positions = list(positions_for(request.user).filter(street=pk, community=None))
    if not positions:
        raise Http404
    return _pdf(request, DutyList(positions[0].street, None, positions))


@login_required
def community_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    positions = list(positions_for(request.user).filter(community=pk))
    if not positions:
        raise Http404
    community = positions[0].community
    return _pdf(request, DutyList(positions[0].street, community, positions))


@login_required
def party(request: SignedInRequest) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise PermissionDenied
    posts = party_posts(request.user)
    editable = {p.pk for p in positions_for(request.user, Action.EDIT).filter(is_party_post=True)}
    context = {"posts": posts, "editable": editable, "today": timezone.localdate()}
    return render(request, "teams/party.html", context)


@login_required
@require_POST
def service_add(request: SignedInRequest, pk: int) -> HttpResponse:
    position = _editable(request, pk)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写党员、日期和时长 / give the member, day and hours")
        return redirect("teams:party")
    data = form.cleaned_data
    member = get_object_or_404(holder_members(position), pk=data["member"])
    try:
        services.post_service_record(
            by=request.user,
            position=position,
            member=member,
            day=data["day"],
            hours=data["hours"],
            activity=data["activity"],
            origin=Origin.from_request(request),
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("teams:party")
