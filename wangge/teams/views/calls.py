"""召集令 pages for staff: the list, a new call with its posts, a call's answers and posts (where
the members who accepted are put on posts), and the buttons that send and close it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.teams.call_forms import CallForm, PostFormSet, posts_of
from wangge.teams.models import Answer, Call, CallInvite, CallPost, CallStatus
from wangge.teams.selectors.calls import call_fill, call_invites, calls_with_counts, fills
from wangge.teams.services.call_posts import invite_assign, invite_unassign
from wangge.teams.services.calls import call_close, call_create, call_send


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


@login_required
def index(request: SignedInRequest) -> HttpResponse:
    calls = list(
        calls_with_counts(Call.objects.restrict(request.user, Action.VIEW))
        .select_related("street", "community")
        .order_by("-created_at", "-id")[:200]
    )
    filled = fills(calls)
    rows = [(call, filled[call.pk]) for call in calls]
    may_add = CallForm(user=request.user).areas != {}
    return render(request, "teams/calls/index.html", {"rows": rows, "may_add": may_add})


@login_required
def new(request: SignedInRequest) -> HttpResponse:
    form = CallForm(request.POST or None, user=request.user)
    if not form.areas:
        raise PermissionDenied
    formset = PostFormSet(request.POST or None, prefix="posts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        origin = Origin.from_request(request)
        try:
            call = call_create(
                by=request.user, data=form.data_object(posts_of(formset)), origin=origin
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["send_now"]:
                return _send(request, call)
            messages.success(request, "召集已保存，尚未发出 / saved, not sent yet")
            return redirect("teams:call_detail", call.pk)
    return render(request, "teams/calls/new.html", {"form": form, "formset": formset})


@login_required
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(
        calls_with_counts(Call.objects.restrict(request.user, Action.VIEW)).select_related(
            "street", "community", "message"
        ),
        pk=pk,
    )
    answer = request.GET.get("answer", "")
    answer = answer if answer in Answer.values else ""
    fill = call_fill(call)
    context = {
        "call": call,
        "fill": fill,
        "invites": call_invites(call, request.user, answer)[:2000],
        "answer": answer,
        "answers": Answer.choices,
        "posts": [row.post for row in fill.posts],
        "may_edit": call.status == CallStatus.OPEN and user_can(request.user, Action.EDIT, call),
    }
    return render(request, "teams/calls/detail.html", context)


def _send(request: SignedInRequest, call: Call) -> HttpResponse:
    try:
        sent = call_send(by=request.user, call=call, origin=Origin.from_request(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            f"已通知{sent.asked}人（短信{sent.sms}，站内{sent.inapp}，无法联系{sent.unreachable}） / "
            f"{sent.asked} asked",
        )
    return redirect("teams:call_detail", call.pk)


@login_required
@require_POST
def send(request: SignedInRequest, pk: int) -> HttpResponse:
    return _send(
        request, get_object_or_404(Call.objects.restrict(request.user, Action.EDIT), pk=pk)
    )


@login_required
@require_POST
def close(request: SignedInRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.restrict(request.user, Action.EDIT), pk=pk)
    call_close(by=request.user, call=call, origin=Origin.from_request(request))
    messages.success(request, "召集已结束 / the call is closed")
    return redirect("teams:call_detail", call.pk)


@login_required
@require_POST
def assign(request: SignedInRequest, pk: int, invite_pk: int) -> HttpResponse:
    invite = get_object_or_404(
        CallInvite.objects.restrict(request.user, Action.EDIT), pk=invite_pk, call_id=pk
    )
    origin = Origin.from_request(request)
    raw = request.POST.get("post", "")
    try:
        if raw:
            post_pk = int(raw) if raw.isdigit() and len(raw) < 19 else 0
            post = CallPost.objects.filter(call_id=pk, pk=post_pk).first()
            if post is None:
                raise ValidationError("无此岗位 / no such post")
            invite_assign(by=request.user, invite=invite, post=post, origin=origin)
        else:
            invite_unassign(by=request.user, invite=invite, origin=origin)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(reverse("teams:call_detail", args=[pk]) + f"?answer={Answer.ACCEPTED}")
