"""Template helpers of the command centre: countdowns and stage names."""

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.accounts.authority import areas_held
from wangge.command.lifecycle import TRANSITIONS
from wangge.core.roles import Action
from wangge.regions.models import Street

register = template.Library()

STAGES = {
    "ack": gettext_lazy("接单"),
    "start": gettext_lazy("启动"),
    "feedback": gettext_lazy("反馈"),
    "completion": gettext_lazy("办结"),
}


@register.filter
def countdown(seconds: int | None) -> str:
    """Seconds left as 4:05 or 1:02:03; overdue as 超时 4:05 (the board's script keeps ticking)."""
    if seconds is None:
        return ""
    prefix = _("超时") + " " if seconds < 0 else ""
    seconds = abs(int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{prefix}{hours}:{minutes:02d}:{secs:02d}"
    return f"{prefix}{minutes}:{secs:02d}"


@register.filter
def stage_name(stage: str) -> str | Promise:
    return STAGES.get(stage, stage)


@register.filter
def seconds_or_dash(value: int | None) -> str:
    return "—" if value is None else str(value)


STATE_COLOURS = {
    "issued": "is-warning",
    "acknowledged": "is-info",
    "in_progress": "is-link",
    "feedback_submitted": "is-primary",
    "completed": "is-success",
    "returned": "is-danger",
    "cancelled": "is-light",
    "open": "is-warning",
    "responded": "is-link",
    "resolved": "is-success",
    "closed": "is-light",
}


@register.filter
def state_colour(state: str) -> str:
    return STATE_COLOURS.get(state, "is-light")


@register.inclusion_tag("command/_nav.html", takes_context=True)
def command_tabs(context: template.Context, section: str) -> dict:
    """The command centre's sections; the daily review only for the street's command."""

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "section": section,
        "is_commander": user is not None and areas_held(user, Action.EDIT, Street).exists(),
    }


@register.filter
def action_label(action: str) -> str:
    """A log entry's action in words (task transitions, event moves)."""

    if action in TRANSITIONS:
        return str(TRANSITIONS[action].label)
    return str(LOG_ACTIONS.get(action, action))


LOG_ACTIONS = {
    "issue": gettext_lazy("下发"),
    "raise": gettext_lazy("接报"),
    "respond": gettext_lazy("响应"),
    "resolve": gettext_lazy("办结"),
    "close": gettext_lazy("关闭"),
    "hand_over": gettext_lazy("转交"),
}
