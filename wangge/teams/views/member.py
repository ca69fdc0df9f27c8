"""A member's page: who they are, their skills, and their service records with a form to add one;
changing their skills and availability, and their leaving."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.teams.forms import DecideForm, MemberEditForm, ServiceRecordForm
from wangge.teams.models import Member
from wangge.teams.services import member_leave, member_update, service_record_add
from wangge.teams.views.common import member_or_404, refusal_add


def _page(
    request: SignedInRequest,
    member: Member,
    record_form: ServiceRecordForm | None = None,
    edit_form: MemberEditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = user_can(request.user, Action.EDIT, member)
    team = member.team
    context = {
        "member": member,
        "records": member.service_records.select_related("recorded_by"),
        "hours": member.hours_served,
        "may_edit": may_edit,
        "record_form": record_form or ServiceRecordForm(),
        "edit_form": edit_form
        or MemberEditForm(
            initial={
                "skills": member.skills,
                "availability": member.availability,
                "party_member": member.party_member,
                "note": member.note,
            }
        ),
        "decide_form": DecideForm(),
        "crumbs": [
            ("队伍", reverse("teams:hub")),
            (team.name, reverse("teams:team", args=[team.pk])),
            (member.name, ""),
        ],
    }
    return render(request, "teams/member.html", context, status=status)


@register_required
def member(request: SignedInRequest, pk: int) -> HttpResponse:
    return _page(request, member_or_404(request.user, pk))


@register_required
@require_POST
def record_new(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = member_or_404(request.user, pk, Action.EDIT)
    form = ServiceRecordForm(request.POST)
    if form.is_valid():
        try:
            service_record_add(
                by=request.user,
                member=shown,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            refusal_add(form, error)
        else:
            messages.success(request, "已记录服务时长")
            return redirect("teams:member", shown.pk)
    return _page(request, shown, record_form=form, status=422)


@register_required
@require_POST
def member_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = member_or_404(request.user, pk, Action.EDIT)
    form = MemberEditForm(request.POST)
    if form.is_valid():
        member_update(
            by=request.user, member=shown, origin=Origin.from_request(request), **form.cleaned_data
        )
        messages.success(request, "已保存")
        return redirect("teams:member", shown.pk)
    return _page(request, shown, edit_form=form, status=422)


@register_required
@require_POST
def leave(request: SignedInRequest, pk: int) -> HttpResponse:
    shown = member_or_404(request.user, pk, Action.EDIT)
    member_leave(
        by=request.user,
        member=shown,
        reason=request.POST.get("reason", ""),
        origin=Origin.from_request(request),
    )
    messages.success(request, f"{shown.name} 已退出队伍")
    return redirect("teams:team", shown.team_id)
