"""Compose a message (/notify/new/): the audience, channels, kind and text, with a live preview
(htmx) of who would get it; submitted, the message is made and sent (or scheduled)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wangge.accounts.authority import areas_held
from wangge.accounts.http import SignedInRequest
from wangge.core.decorators import action_required
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.measures.models import MeasureType
from wangge.notify.audience import Audience, AudienceError, audience_parse
from wangge.notify.forms import VARIABLES, ComposeForm
from wangge.notify.models import Channel, SavedList, Template
from wangge.notify.preview import preview
from wangge.notify.services import NotifyError, message_create, message_send
from wangge.notify.services_admin import street_ids
from wangge.people.models import Tag
from wangge.regions.choices import HouseholdColour
from wangge.regions.models import Community, Grid, Street

edit_required = action_required(Action.EDIT)


def audience_choices(user: Any) -> dict[str, list[tuple[str, str]]]:
    """Per audience kind, the values the user may pick (value, label): the areas they hold, the
    colours, tags, measure types, their saved lists and the staff roles."""
    grids = areas_held(user, Action.VIEW, Grid).select_related("community")
    lists = SavedList.objects.restrict(user, Action.VIEW).order_by("name")
    return {
        "street": [(s.name, s.name) for s in areas_held(user, Action.VIEW, Street)],
        "community": [(c.name, c.name) for c in areas_held(user, Action.VIEW, Community)],
        "grid": [(f"{g.community.name}/{g.name}", "") for g in grids],
        "colour": list(HouseholdColour.choices),
        "tag": [(name, "") for name in Tag.objects.order_by("name").values_list("name", flat=True)],
        "measure": [
            (name, "")
            for name in MeasureType.objects.order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ],
        "list": [
            (str(saved.pk), saved.name)
            for saved in lists.filter(entries__person__isnull=False).distinct()
        ],
        "phones": [
            (str(saved.pk), saved.name)
            for saved in lists.filter(entries__person__isnull=True).distinct()
        ],
        "role": list(Role.choices),
    }


def user_templates(user: Any) -> list[Template]:
    return list(Template.objects.filter(street_id__in=street_ids(user)).order_by("name"))


def _audience(form: ComposeForm, user: Any) -> Audience | None:
    """The form's audience as the user may address it; the reason added to the form if not."""
    try:
        return audience_parse(
            form.cleaned_data["audience_kind"], form.cleaned_data["audience_value"], by=user
        )
    except AudienceError as error:
        form.add_error("audience_value", error.message)
        if error.candidates:
            form.add_error("audience_value", "、".join(error.candidates[:10]))
        return None


@edit_required
def compose(request: SignedInRequest) -> HttpResponse:
    form = ComposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        audience = _audience(form, request.user)
        if audience is not None:
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("audience_")}
            if data["send_at"] and data["send_at"] <= timezone.now():
                data["send_at"] = None
            try:
                origin = Origin.from_request(request)
                message = message_create(by=request.user, origin=origin, audience=audience, **data)
                message = message_send(message, by=request.user, origin=origin)
            except NotifyError as error:
                form.add_error(None, str(error))
            else:
                return redirect("notify:message", message.pk)
    context = {
        "form": form,
        "choices": audience_choices(request.user),
        "templates": user_templates(request.user),
        "variables": VARIABLES,
    }
    return render(request, "notify/compose.html", context, status=422 if form.errors else 200)


@edit_required
@require_POST
def compose_preview(request: SignedInRequest) -> HttpResponse:
    """Who the form's message would reach, nothing stored; the reason when it cannot tell yet."""
    form = ComposeForm(request.POST)
    context: dict[str, Any] = {"form": form}
    form.is_valid()
    data = form.cleaned_data
    if {"audience_kind", "audience_value", "channels", "kind"} <= set(data):
        audience = _audience(form, request.user)
        if audience is not None:
            text = data.get("text", "")
            context["audience"] = audience
            found = preview(audience, data["channels"], data["kind"], text)
            labels = dict(Channel.choices)
            context["preview"] = found
            context["channels"] = [
                (channel, labels.get(channel, channel), n) for channel, n in found.channels.items()
            ]
    return render(request, "notify/_preview.html", context)
