"""Reads of calls: who was asked and how they answered, and how full the posts are.

Fill rate: a post's is assigned / needed (at most 1); the call's is the people on posts, each post
counted up to its need, over the sum of the needs.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from wangge.core.roles import Action
from wangge.teams.models import Answer, Call, CallInvite, CallPost, Member


def calls_with_counts(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Calls with `asked`, `accepted`, `declined`, `pending` counted in one query."""
    return calls.annotate(
        asked=Count("invites", distinct=True),
        accepted=Count("invites", filter=Q(invites__answer=Answer.ACCEPTED), distinct=True),
        declined=Count("invites", filter=Q(invites__answer=Answer.DECLINED), distinct=True),
        pending=Count("invites", filter=Q(invites__answer=Answer.PENDING), distinct=True),
    )


@dataclass(frozen=True)
class PostFill:
    post: CallPost
    assigned: int

    @property
    def needed(self) -> int:
        return self.post.needed

    @property
    def rate(self) -> float:
        return min(self.assigned, self.needed) / self.needed

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


@dataclass(frozen=True)
class CallFill:
    posts: list[PostFill]

    @property
    def needed(self) -> int:
        return sum(fill.needed for fill in self.posts)

    @property
    def filled(self) -> int:
        return sum(min(fill.assigned, fill.needed) for fill in self.posts)

    @property
    def rate(self) -> float:
        return self.filled / self.needed if self.needed else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def call_fill(call: Call) -> CallFill:
    posts = call.posts.annotate(assigned=Count("invites")).order_by("starts_at", "id")
    return CallFill([PostFill(post, post.assigned) for post in posts])


def fills(calls: list[Call]) -> dict[int, CallFill]:
    """The fill of several calls in one query (for a list)."""
    by_call: dict[int, list[PostFill]] = {call.pk: [] for call in calls}
    posts = CallPost.objects.filter(call__in=calls).annotate(assigned=Count("invites"))
    for post in posts.order_by("starts_at", "id"):
        by_call[post.call_id].append(PostFill(post, post.assigned))
    return {pk: CallFill(rows) for pk, rows in by_call.items()}


def call_invites(call: Call, user: Any, answer: str = "") -> QuerySet[CallInvite]:
    """Who was asked among the members `user` sees (a community worker reading a street-wide call
    sees their community's), with the answer and when, and their post; optionally one answer."""
    seen = Member.objects.restrict(user, Action.VIEW).values("pk")
    invites = call.invites.filter(member__in=seen)
    invites = invites.select_related("member", "member__team", "post").order_by(
        "answer", "-answered_at", "member__name", "id"
    )
    return invites.filter(answer=answer) if answer else invites
