"""每日研判: the commander writes the day's conclusion and signs it off; signing freezes the day's
open events, late tasks and numbers in the review, which is kept and can no longer change."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command import reports
from wangge.command.models import DailyReview
from wangge.command.permissions import street_command
from wangge.core.services import audit_record
from wangge.regions.models import Street


def review_snapshot(street: Street, day: date) -> dict[str, Any]:
    """What the review shows: the numbers of the day, the open events, the late tasks."""
    now = timezone.now()
    return {
        "numbers": reports.day_numbers(street.pk, day),
        "open_events": [
            {
                "id": event.pk,
                "title": event.title,
                "kind": event.kind.name,
                "status": event.get_status_display(),
                "owner": event.owner_label,
                "raised_at": timezone.localtime(event.raised_at).strftime("%Y-%m-%d %H:%M"),
            }
            for event in reports.open_events(street.pk)[:200]
        ],
        "late_tasks": [
            {
                "task": row.task_id,
                "title": row.task.title,
                "assignee": str(row.assignee),
                "stage": row.next_stage,
                "minutes_late": int((now - row.next_due).total_seconds() // 60),
            }
            for row in reports.late_assignments(street.pk, now)[:200]
        ],
    }


def _editable(street: Street, day: date, by: User) -> DailyReview:
    if not street_command(by, street):
        raise PermissionDenied("只有街道指挥可以研判 / only the street's command writes the review")
    review, _created = DailyReview.objects.select_for_update().get_or_create(street=street, day=day)
    if review.signed_at is not None:
        raise ValidationError("该日研判已签发，不能修改 / this day's review is signed and final")
    return review


@transaction.atomic
def daily_review_save(
    *, street: Street, day: date, conclusion: str, by: User, request: HttpRequest | None = None
) -> DailyReview:
    """Keep a draft of the day's conclusion."""
    review = _editable(street, day, by)
    before = review.conclusion
    review.conclusion = conclusion.strip()
    review.updated_by = by
    review.save()
    audit_record(
        actor=by,
        action="update",
        target=review,
        changes={"conclusion": [before, review.conclusion]},
        request=request,
    )
    return review


@transaction.atomic
def daily_review_sign(
    *, street: Street, day: date, conclusion: str, by: User, request: HttpRequest | None = None
) -> DailyReview:
    """Sign the day off: the conclusion and the day's figures become the record."""
    review = _editable(street, day, by)
    conclusion = conclusion.strip()
    if not conclusion:
        raise ValidationError({"conclusion": "请填写研判结论 / write the conclusion first"})
    if day > timezone.localdate():
        raise ValidationError({"day": "不能签发未来的日期 / a future day cannot be signed"})
    review.conclusion = conclusion
    review.snapshot = review_snapshot(street, day)
    review.updated_by = by
    review.signed_by = by
    review.signed_at = timezone.now()
    review.save()
    audit_record(
        actor=by, action="update", target=review, changes={"signed": True}, request=request
    )
    return review
