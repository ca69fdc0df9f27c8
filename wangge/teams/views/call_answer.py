"""The public answer page of a call (no account): the member opens their personal link from the
SMS, sees the call, its posts and times, and accepts or declines. Opening the link changes
nothing (link scanners fetch it too); only the buttons' POST does."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from wangge.core.origin import Origin
from wangge.teams.models import Answer, AnswerChannel
from wangge.teams.services.calls import answer_refusal, call_answer, invite_by_token


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invite = invite_by_token(token)
    if invite is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            invite = call_answer(
                token=token,
                answer=request.POST.get("answer", ""),
                channel=AnswerChannel.LINK,
                origin=Origin.from_request(request),
            )
        except ValidationError as refused:
            error = "；".join(refused.messages)
    context = {
        "invite": invite,
        "call": invite.call,
        "posts": invite.call.posts.order_by("starts_at", "id"),
        "closed": answer_refusal(invite, timezone.now()),
        "error": error,
        "answers": Answer,
    }
    return render(request, "teams/calls/answer.html", context, status=400 if error else 200)
