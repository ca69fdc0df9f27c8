"""The grid worker's call list on a phone: per message, or every open call; grouped by building,
a call button that reveals the frozen phone (audited) and a mark "reached by phone" with a note,
both through htmx."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.htmx import is_htmx
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.notify import calls
from wangge.notify.models import Message, Recipient
from wangge.people.forms import add_service_errors


class CallForm(forms.Form):
    reached = forms.TypedChoiceField(
        choices=[("1", _("已电话联系上")), ("0", _("未接通"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=calls.NOTE_LENGTH)


def _page(request: SignedInRequest, rows: object, **context: object) -> HttpResponse:
    context.update(
        buildings=calls.by_building(rows),  # type: ignore[arg-type]  # a queryset of recipients
        can_reveal=user_can(request.user, Action.REVEAL),
    )
    return render(request, "notify/calls.html", context)


@register_required
def open_calls(request: SignedInRequest) -> HttpResponse:
    rows = calls.open_calls(request.user)
    return _page(request, rows, message=None, progress=calls.call_progress(rows))


@register_required
def message_calls(request: SignedInRequest, pk: int) -> HttpResponse:
    """One message's call list; a message none of whose recipients the user sees does not exist."""
    mine = Recipient.objects.restrict(request.user, Action.VIEW).filter(message_id=pk)
    visible = Message.objects.restrict(request.user, Action.VIEW).filter(pk=pk).exists()
    message = Message.objects.filter(pk=pk).first()
    if message is None or not (visible or mine.exists()):
        raise Http404
    rows = calls.listed(request.user).filter(message=message)
    return _page(request, rows, message=message, progress=calls.call_progress(mine))


def _listed(request: SignedInRequest, pk: int) -> Recipient:
    recipient = calls.listed(request.user).filter(pk=pk).first()
    if recipient is None:
        raise Http404
    return recipient


@never_cache
@register_required
@require_POST
def call_dial(request: SignedInRequest, pk: int) -> HttpResponse:
    """Reveal the phone (audited) and answer with the tel: link that dials it."""
    recipient = _listed(request, pk)
    try:
        phone = calls.call_phone_reveal(
            recipient=recipient, by=request.user, origin=Origin.from_request(request)
        )
    except PermissionDenied:
        return render(request, "notify/_dial.html", {"denied": True}, status=403)
    except ValidationError as error:
        raise Http404 from error
    return render(request, "notify/_dial.html", {"phone": phone})


@register_required
@require_POST
def call_mark(request: SignedInRequest, pk: int) -> HttpResponse:
    recipient = _listed(request, pk)
    form = CallForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            recipient = calls.call_record(
                recipient=recipient,
                by=request.user,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            status = 422
        except PermissionDenied:
            form.add_error(None, _("您无权修改该通知的电话记录 / you may not record this call"))
            status = 403
    else:
        status = 422
    if not is_htmx(request) and status == 200:
        return redirect("notify:message_calls", recipient.message_id)
    recipient = _listed(request, pk)
    recipient.masked_name = calls.masked_name(recipient)  # type: ignore[attr-defined]  # for the template
    context = {
        "recipient": recipient,
        "form": form,
        "can_reveal": user_can(request.user, Action.REVEAL),
    }
    return render(request, "notify/_call_row.html", context, status=status)
