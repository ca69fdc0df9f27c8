"""The task lifecycle in one place: which action moves an assignment from which states to which.

issued → acknowledged → in progress → feedback submitted → completed; the issuer may instead
return feedback for rework (the assignee starts again) or cancel at any point before the end. A
further feedback while one awaits review keeps the state. Anything else is refused.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wangge.command.models import TaskAssignment, TaskEscalation

State = TaskAssignment.State
Stage = TaskEscalation.Stage

# stage → (the timestamp that marks it done, its deadline): what the escalation sweep and the
# reports read.
STAGE_FIELDS: dict[str, tuple[str, str]] = {
    Stage.ACK: ("acknowledged_at", "ack_due_at"),
    Stage.START: ("started_at", "start_due_at"),
    Stage.FEEDBACK: ("feedback_at", "feedback_due_at"),
    Stage.COMPLETION: ("completed_at", "due_at"),
}

ASSIGNEE = "assignee"
ISSUER = "issuer"

ACTIVE_STATES = frozenset(
    {State.ISSUED, State.ACKNOWLEDGED, State.IN_PROGRESS, State.FEEDBACK_SUBMITTED, State.RETURNED}
)
FINAL_STATES = frozenset({State.COMPLETED, State.CANCELLED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    side: str  # who may take it: the assignee's members or the issuer's side
    stamp: str  # the timestamp set the first time this action happens ("" for none)
    label: str | Promise
    english: str


TRANSITIONS: dict[str, Transition] = {
    "acknowledge": Transition(
        frozenset({State.ISSUED}),
        State.ACKNOWLEDGED,
        ASSIGNEE,
        "acknowledged_at",
        _("接单"),
        "acknowledge",
    ),
    "start": Transition(
        frozenset({State.ACKNOWLEDGED, State.RETURNED}),
        State.IN_PROGRESS,
        ASSIGNEE,
        "started_at",
        _("开始处置"),
        "start",
    ),
    "feedback": Transition(
        frozenset({State.IN_PROGRESS, State.FEEDBACK_SUBMITTED}),
        State.FEEDBACK_SUBMITTED,
        ASSIGNEE,
        "feedback_at",
        _("反馈"),
        "submit feedback on",
    ),
    "complete": Transition(
        frozenset({State.FEEDBACK_SUBMITTED}),
        State.COMPLETED,
        ISSUER,
        "completed_at",
        _("办结"),
        "complete",
    ),
    "return": Transition(
        frozenset({State.FEEDBACK_SUBMITTED}),
        State.RETURNED,
        ISSUER,
        "",
        _("退回重办"),
        "return",
    ),
    "cancel": Transition(
        ACTIVE_STATES, State.CANCELLED, ISSUER, "cancelled_at", _("撤销"), "cancel"
    ),
}


def transition_for(action: str, state: str) -> Transition:
    """The transition `action` from `state`, or a bilingual refusal."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(f"未知操作“{action}” / unknown action '{action}'", code="action")
    if state not in transition.sources:
        label = State(state).label
        english = state.replace("_", " ")
        raise ValidationError(
            f"“{label}”状态下不能{transition.label} / cannot {transition.english} a task "
            f"that is {english}",
            code="illegal_transition",
        )
    return transition


def allowed_actions(state: str, side: str) -> list[str]:
    """The actions one side may take from `state`, in the table's order (for buttons)."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if transition.side == side and state in transition.sources
    ]
