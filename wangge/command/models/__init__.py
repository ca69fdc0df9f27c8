"""The command centre's data: tasks (交办单) with staged deadlines, verification lists (协查名单),
events (事件) and playbooks (应急预案), and the daily review (每日研判)."""

from wangge.command.models.config import Department, TaskKind
from wangge.command.models.events import Event, EventKind, EventLog
from wangge.command.models.playbooks import Playbook, PlaybookRun, PlaybookStep
from wangge.command.models.review import DailyReview
from wangge.command.models.tasks import (
    Task,
    TaskAssignment,
    TaskAttachment,
    TaskEscalation,
    TaskEvent,
    TaskFeedback,
)
from wangge.command.models.verification import VerificationList, VerificationRow

__all__ = [
    "DailyReview",
    "Department",
    "Event",
    "EventKind",
    "EventLog",
    "Playbook",
    "PlaybookRun",
    "PlaybookStep",
    "Task",
    "TaskAssignment",
    "TaskAttachment",
    "TaskEscalation",
    "TaskEvent",
    "TaskFeedback",
    "TaskKind",
    "VerificationList",
    "VerificationRow",
]
