"""Who in a key group is due or overdue for their periodic test.

A member tested (a result that is not invalid) on day D is due again on D + N (the group's rule,
every N days) and overdue from D + N + 1. A member never tested is due on the day they joined and
overdue from the day after. Members who have left are not listed. Days are Asia/Shanghai dates.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from wangge.accounts.models import User
from wangge.testing.models import KeyGroupMember, LabResult, Outcome

_IN_CHUNK = 5000


@dataclass(frozen=True)
class MemberStatus:
    member: KeyGroupMember
    last_tested_on: date | None
    due_on: date
    today: date

    @property
    def overdue_days(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def overdue(self) -> bool:
        return self.today > self.due_on


def _last_samples(members: list[KeyGroupMember]) -> tuple[dict[int, datetime], dict[str, datetime]]:
    """Latest valid sample time by person id and by ID hash (workers who live elsewhere)."""
    valid = LabResult.objects.exclude(result=Outcome.INVALID).order_by()
    by_person: dict[int, datetime] = {}
    by_hash: dict[str, datetime] = {}
    persons = sorted({m.person_id for m in members if m.person_id})
    hashes = sorted({m.id_number_hash for m in members if not m.person_id})
    for start in range(0, max(len(persons), len(hashes)), _IN_CHUNK):
        chunk_persons = persons[start : start + _IN_CHUNK]
        chunk_hashes = hashes[start : start + _IN_CHUNK]
        if chunk_persons:
            by_person.update(
                valid.filter(person_id__in=chunk_persons)
                .values_list("person_id")
                .annotate(last=Max("sampled_at"))
                .values_list("person_id", "last")
            )
        if chunk_hashes:
            by_hash.update(
                valid.filter(subject_hash__in=chunk_hashes)
                .values_list("subject_hash")
                .annotate(last=Max("sampled_at"))
                .values_list("subject_hash", "last")
            )
    return by_person, by_hash


def member_statuses(
    members: QuerySet[KeyGroupMember], today: date | None = None
) -> list[MemberStatus]:
    """Each current member with their last test and due date, most overdue first."""
    today = today or timezone.localdate()
    current = list(
        members.filter(joined_on__lte=today)
        .exclude(left_on__lte=today)
        .select_related("group", "person")
    )
    by_person, by_hash = _last_samples(current)
    statuses = []
    for member in current:
        last = (
            by_person.get(member.person_id)
            if member.person_id
            else by_hash.get(member.id_number_hash)
        )
        last_on = timezone.localtime(last).date() if last else None
        due = last_on + timedelta(days=member.group.interval_days) if last_on else member.joined_on
        statuses.append(MemberStatus(member, last_on, due, today))
    return sorted(statuses, key=lambda s: (s.due_on, s.member.group_id, s.member.name))


def overdue_members(user: User, today: date | None = None, group: Any = None) -> list[MemberStatus]:
    """The overdue members of the key groups the user may see (of one group when given)."""
    members = KeyGroupMember.objects.restrict(user, "view")
    if group is not None:
        members = members.filter(group=group)
    return [status for status in member_statuses(members, today) if status.overdue]
