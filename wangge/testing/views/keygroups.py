"""Key groups: the list, a group with its members' test status, adding and importing members, and
the overdue list across every group the user may see."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import redirect_after_post
from wangge.core.origin import Origin
from wangge.core.spreadsheets import TableError
from wangge.people.forms import add_service_errors
from wangge.testing.forms import KeyGroupForm, MemberForm, SpreadsheetForm
from wangge.testing.models import KeyGroup, KeyGroupMember
from wangge.testing.selectors.overdue import member_statuses, overdue_members
from wangge.testing.services import keygroups
from wangge.testing.services.lab.uploads import upload_path
from wangge.testing.views.common import page_of, visible


@register_required
def keygroup_list(request: SignedInRequest) -> HttpResponse:
    form = KeyGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = keygroups.keygroup_create(
                by=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect_after_post(request, reverse("testing:keygroup", args=[group.pk]))
    groups = KeyGroup.objects.restrict(request.user, "view").select_related("community")
    return render(
        request,
        "testing/keygroups.html",
        {"groups": groups, "form": form, "can_create": user_can(request.user, "edit")},
        status=422 if form.is_bound and form.errors else 200,
    )


def _group_page(request: HttpRequest, group: KeyGroup, **forms: object) -> HttpResponse:
    statuses = member_statuses(KeyGroupMember.objects.filter(group=group))
    context = {
        "group": group,
        "page": page_of(request, statuses),
        "overdue": sum(1 for status in statuses if status.overdue),
        "member_form": forms.get("member_form") or MemberForm(),
        "import_form": forms.get("import_form") or SpreadsheetForm(),
        "can_edit": user_can(request.user, "edit", group),
    }
    status = 422 if any(getattr(f, "errors", None) for f in forms.values()) else 200
    return render(request, "testing/keygroup_detail.html", context, status=status)


@register_required
def keygroup_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _group_page(request, visible(KeyGroup, request, pk))


@register_required
@require_POST
def member_add(request: SignedInRequest, pk: int) -> HttpResponse:
    group = visible(KeyGroup, request, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            keygroups.member_add(
                by=request.user,
                group=group,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已加入 %(name)s") % {"name": form.cleaned_data["name"]})
            return redirect_after_post(request, reverse("testing:keygroup", args=[pk]))
    return _group_page(request, group, member_form=form)


@register_required
@require_POST
def members_import(request: SignedInRequest, pk: int) -> HttpResponse:
    group = visible(KeyGroup, request, pk)
    form = SpreadsheetForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        with upload_path(upload) as path:
            try:
                outcome = keygroups.members_import(
                    by=request.user,
                    group=group,
                    path=path,
                    original_name=upload.name,
                    origin=Origin.from_request(request),
                )
            except TableError as error:
                form.add_error("file", str(error))
                return _group_page(request, group, import_form=form)
        counts = outcome.as_dict()
        messages.success(
            request,
            _("新增 %(added)s 人，重复 %(duplicates)s 人，错误 %(rejected)s 行") % counts,
        )
        for number, reason in outcome.rejected[:20]:
            messages.warning(
                request, _("第%(row)s行：%(reason)s") % {"row": number, "reason": reason}
            )
        return redirect_after_post(request, reverse("testing:keygroup", args=[pk]))
    return _group_page(request, group, import_form=form)


@register_required
@require_POST
def member_leave(request: SignedInRequest, pk: int, member_pk: int) -> HttpResponse:
    member = visible(KeyGroupMember, request, member_pk)
    if member.group_id != pk:
        raise Http404
    keygroups.member_leave(by=request.user, member=member, origin=Origin.from_request(request))
    return redirect_after_post(request, reverse("testing:keygroup", args=[pk]))


@register_required
def overdue_list(request: SignedInRequest) -> HttpResponse:
    statuses = overdue_members(request.user)
    return render(request, "testing/overdue.html", {"page": page_of(request, statuses)})
