"""The messages a user may follow: the list (filters status and kind) and one message's page —
status counts, per channel counts, the issue's figures, the households' states and the recipients
(masked), refreshed while it is being sent; a scheduled one can be cancelled there."""

from django.contrib import messages as flash
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wangge.accounts.authority import user_can
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import register_required
from wangge.core.masking import mask_name
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.notify import households
from wangge.notify.compose_views import edit_required
from wangge.notify.models import Channel, Delivery, Message, MessageKind, Recipient
from wangge.notify.selectors import channel_counts, message_status
from wangge.notify.services import NotifyError, message_cancel
from wangge.notify.stats import message_stats

POLL_SECONDS = 3
RECIPIENTS_PAGE = 50


def visible_messages(user: object) -> QuerySet[Message]:
    """Messages scoped to the user's areas, and those with recipients the user sees (a street's
    message seen by a grid worker for the grid's own households)."""
    mine = Recipient.objects.restrict(user, Action.VIEW).filter(message=OuterRef("pk"))
    own = Message.objects.restrict(user, Action.VIEW).values("pk")
    return Message.objects.filter(Q(pk__in=own) | Exists(mine))


def message_get(request: SignedInRequest, pk: int) -> Message:
    message = visible_messages(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


@register_required
def message_list(request: SignedInRequest) -> HttpResponse:
    rows = visible_messages(request.user).select_related("created_by")
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    if status in Message.Status.values:
        rows = rows.filter(status=status)
    if kind in MessageKind.values:
        rows = rows.filter(kind=kind)
    context = {
        "page": Paginator(rows.order_by("-created_at", "-id"), 50).get_page(
            request.GET.get("page")
        ),
        "statuses": Message.Status.choices,
        "kinds": MessageKind.choices,
        "status": status,
        "kind": kind,
        "can_send": user_can(request.user, Action.EDIT),
    }
    return render(request, "notify/messages.html", context)


def _recipients(request: SignedInRequest, message: Message) -> tuple[list[dict[str, object]], Page]:
    rows = (
        Recipient.objects.restrict(request.user, Action.VIEW)
        .filter(message=message)
        .select_related("household", "robot")
        .prefetch_related("deliveries")
        .order_by("id")
    )
    page = Paginator(rows, RECIPIENTS_PAGE).get_page(request.GET.get("page"))
    channels = dict(Channel.choices)
    states = dict(Delivery.State.choices)
    return [
        {
            "name": recipient.label if recipient.robot_id else mask_name(recipient.label),
            "phone": recipient.phone_masked,
            "household": recipient.household,
            "unreachable": recipient.unreachable,
            "acknowledged_at": recipient.acknowledged_at,
            "reached_by_phone": recipient.reached_by_phone,
            "deliveries": [
                {
                    "channel": channels.get(d.channel, d.channel),
                    "state": d.state,
                    "label": states.get(d.state, d.state),
                    "reason": d.error_reason,
                }
                for d in recipient.deliveries.all()
            ],
        }
        for recipient in page
    ], page


@register_required
def message_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    message = message_get(request, pk)
    rows, page = _recipients(request, message)
    labels = dict(Delivery.State.choices)
    counts = {
        dict(Channel.choices).get(channel, channel): [
            (labels.get(state, state), state, n) for state, n in sorted(by_state.items())
        ]
        for channel, by_state in channel_counts(message).items()
    }
    house_counts = households.household_counts(message)
    context = {
        "message": message,
        "channel_labels": [dict(Channel.choices).get(c, c) for c in message.channels],
        "status": message_status(message),
        "stats": message_stats(message),
        "channel_counts": counts,
        "households": [(households.LABELS[state], state, n) for state, n in house_counts.items()],
        "recipients": rows,
        "page": page,
        "live": message.status == Message.Status.SENDING,
        "poll_seconds": POLL_SECONDS,
        "can_cancel": message.status in {Message.Status.DRAFT, Message.Status.SCHEDULED}
        and user_can(request.user, Action.EDIT, message),
    }
    return render(request, "notify/message.html", context)


@edit_required
@require_POST
def message_cancel_view(request: SignedInRequest, pk: int) -> HttpResponse:
    message = message_get(request, pk)
    try:
        message_cancel(message, by=request.user, origin=Origin.from_request(request))
    except NotifyError as error:
        flash.error(request, str(error))
    return redirect("notify:message", message.pk)
