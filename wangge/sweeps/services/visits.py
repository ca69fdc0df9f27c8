"""入户走访: one attempt at a household's door, recorded once however often a phone sends it, and
a batch of them as a phone's queue syncs.

- Who: whoever holds EDIT on the visit's grid, or the sweeper assigned to its grid or building.
- When: on a running campaign, at a moment not in the future; a closed visit takes no new attempt.
- ANSWERED needs valid answers to the campaign's form and closes the visit; REFUSED and MOVED close
  it; NOBODY_HOME (a note left at the door) keeps it pending.
- PROXY (a neighbour or the building manager answers) only after NOBODY_HOME attempts in each of
  the three times of day, in local time: morning (before 12:00), afternoon (12:00–18:00), evening
  (from 18:00). It closes the visit as PROXY with the proxy's name and relation.
- On ANSWERED and PROXY, what the answers found becomes Proposal rows (findings.py), PROPOSED: the
  register is never changed here. The visit keeps how many persons it checked (the members still
  living there and the newcomers named), which the progress counts sum.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.sweeps.checks import answers_clean, form_of
from wangge.sweeps.findings import Member, findings_of
from wangge.sweeps.models import (
    Attempt,
    AttemptResult,
    CampaignStatus,
    Proposal,
    Visit,
    VisitStatus,
)

CLOCK_SKEW = timedelta(minutes=10)
SYNC_MAX = 200
NOTE_MAX, PROXY_NAME_MAX, PROXY_RELATION_MAX = 200, 50, 30
MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
TIMES_OF_DAY = (MORNING, AFTERNOON, EVENING)
CLOSES = {
    AttemptResult.ANSWERED: VisitStatus.ANSWERED,
    AttemptResult.PROXY: VisitStatus.PROXY,
    AttemptResult.REFUSED: VisitStatus.REFUSED,
    AttemptResult.MOVED: VisitStatus.MOVED,
}
TAKES_ANSWERS = (AttemptResult.ANSWERED, AttemptResult.PROXY)
# Members the form asks about: everyone of the household the register has not seen leave.
GONE = (Person.Status.MOVED_OUT, Person.Status.DECEASED)


def time_of_day(at: datetime) -> str:
    hour = timezone.localtime(at).hour
    return MORNING if hour < 12 else AFTERNOON if hour < 18 else EVENING


def proxy_allowed(attempts: Iterable[Attempt]) -> bool:
    """Nobody was home in the morning, the afternoon and the evening."""
    tried = {time_of_day(a.at) for a in attempts if a.result == AttemptResult.NOBODY_HOME}
    return tried.issuperset(TIMES_OF_DAY)


def _client_id(raw: object) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError as error:
        raise ValidationError(
            {"client_id": "客户端编号应为UUID / client_id must be a UUID"}
        ) from error


def _replay(client_id: uuid.UUID, visit: Visit) -> Attempt | None:
    stored = Attempt.objects.filter(client_id=client_id).first()
    if stored is not None and stored.visit_id != visit.pk:
        raise ValidationError(
            {
                "client_id": "该客户端编号已用于另一户的走访 / this client_id was already used "
                "for another visit"
            }
        )
    return stored


def _checked_moment(at: datetime, visit: Visit) -> datetime:
    if timezone.is_naive(at):
        raise ValidationError({"at": "走访时间须带时区 / the time must carry a time zone"})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": "走访时间不能晚于现在 / the time cannot be in the future"})
    started = visit.campaign.started_at
    if started is not None and at < started - CLOCK_SKEW:
        raise ValidationError(
            {"at": "走访时间早于行动开始 / the time is before the campaign started"}
        )
    return at


def _text(value: str, limit: int, field: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: f"不超过{limit}字 / at most {limit} characters"})
    return value


def _members(visit: Visit) -> list[Member]:
    rows = Person.objects.filter(household_id=visit.household_id).exclude(status__in=GONE)
    return [
        Member(pk, phone_hash, birth)
        for pk, phone_hash, birth in rows.order_by("pk").values_list(
            "pk", "phone_hash", "birth_date"
        )
    ]


def _answered(
    visit: Visit, answers: object, at: datetime
) -> tuple[dict[str, Any], list[Proposal], int]:
    """(answers to keep, proposals, persons checked): the persons are the members still living
    here and the newcomers the answer named."""
    members = _members(visit)
    campaign = visit.campaign
    cleaned = answers_clean(
        form_of(campaign.checks), answers, [m.pk for m in members], since=campaign.since
    )
    found, kept = findings_of(cleaned, members, timezone.localdate(at))
    proposals = [
        Proposal(visit=visit, kind=f.kind, person_id=f.person_id, details=f.details) for f in found
    ]
    moved = sum(1 for f in found if f.kind == Proposal.Kind.MOVED_OUT)
    newcomers = sum(1 for f in found if f.kind == Proposal.Kind.NEW_PERSON)
    return kept, proposals, len(members) - moved + newcomers


def _proxy(visit: Visit, name: str, relation: str) -> tuple[str, str]:
    if not proxy_allowed(visit.attempts.all()):
        raise ValidationError(
            {
                "result": "代答须在上午、下午、晚上各上门一次均无人后 / a proxy answer needs "
                "three nobody-home attempts: morning, afternoon and evening"
            }
        )
    name = _text(name, PROXY_NAME_MAX, "proxy_name")
    relation = _text(relation, PROXY_RELATION_MAX, "proxy_relation")
    if not name or not relation:
        raise ValidationError(
            {"proxy_name": "请填写代答人姓名和身份 / give the proxy's name and relation"}
        )
    return name, relation


@transaction.atomic
def attempt_record(
    *,
    by: User,
    visit: Visit,
    client_id: object,
    at: datetime,
    result: str,
    note: str = "",
    answers: Mapping[str, Any] | None = None,
    proxy_name: str = "",
    proxy_relation: str = "",
    origin: Origin = Origin.SYSTEM,
) -> tuple[Attempt, bool]:
    """Record one attempt; (attempt, created). The caller's right comes first, with the visit's
    row lock; then the client id: the same one again answers the stored attempt and changes
    nothing (the lock makes a second copy of the same attempt wait for the first)."""
    key = _client_id(client_id)
    locked = (
        Visit.objects.restrict(by, Action.EDIT)
        .select_for_update(of=("self",))
        .select_related("campaign")
        .filter(pk=visit.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied("无权走访该户 / you may not visit this household")
    visit = locked
    stored = _replay(key, visit)
    if stored is not None:
        return stored, False
    if visit.campaign.status != CampaignStatus.RUNNING:
        raise ValidationError("该行动未在进行中 / the campaign is not running")
    if visit.status != VisitStatus.PENDING:
        raise ValidationError(
            f"该户已走访完成（{visit.get_status_display()}），不再记录 / this visit is already "
            f"closed ({visit.status}); no new attempts"
        )
    if result not in AttemptResult.values:
        raise ValidationError({"result": "未知的走访结果 / unknown result"})
    at = _checked_moment(at, visit)
    note = _text(note, NOTE_MAX, "note")
    proposals: list[Proposal] = []
    if result in TAKES_ANSWERS:
        if result == AttemptResult.PROXY:
            visit.proxy_name, visit.proxy_relation = _proxy(visit, proxy_name, proxy_relation)
        visit.answers, proposals, visit.persons = _answered(visit, answers, at)
    elif answers:
        raise ValidationError(
            {"answers": "只有应答或代答才填写答复 / only an answered or proxy visit has answers"}
        )
    attempt = Attempt.objects.create(
        visit=visit, client_id=key, at=at, result=result, note=note, by=by
    )
    if result in CLOSES:
        visit.status = CLOSES[AttemptResult(result)]
        visit.closed_at, visit.closed_by = at, by
        visit.save()
    Proposal.objects.bulk_create(proposals)
    audit_record(
        actor=by,
        action="sweep.attempt",
        target=attempt,
        changes={"visit": visit.pk, "result": result, "proposals": len(proposals)},
        origin=origin,
    )
    return attempt, True


@dataclass(frozen=True)
class SyncResult:
    client_id: str
    status: str  # recorded, duplicate or rejected
    message: str = ""
    attempt: Attempt | None = None


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    if hasattr(error, "error_dict"):
        return "；".join(f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms)
    return "；".join(error.messages)


@transaction.atomic
def attempts_sync(
    *, by: User, items: Iterable[Mapping[str, Any]], origin: Origin = Origin.SYSTEM
) -> list[SyncResult]:
    """Record a phone's queue, each item in its own savepoint: one bad item never loses the
    others. Items carry visit (id), client_id, at, result and the optional note, answers,
    proxy_name and proxy_relation."""
    items = list(items)
    if len(items) > SYNC_MAX:
        raise ValidationError(
            {"items": f"每批最多{SYNC_MAX}条 / at most {SYNC_MAX} attempts per batch"}
        )
    wanted = {item.get("visit") for item in items}
    visible = Visit.objects.restrict(by, Action.VIEW).filter(pk__in=wanted).in_bulk()
    results = []
    for item in items:
        client_id = str(item.get("client_id", ""))
        visit = visible.get(item.get("visit"))
        if visit is None:
            results.append(SyncResult(client_id, "rejected", "无此走访 / no such visit"))
            continue
        try:  # attempt_record's own atomic block is a savepoint inside this one
            attempt, created = attempt_record(
                by=by,
                visit=visit,
                client_id=client_id,
                at=item["at"],
                result=item["result"],
                note=item.get("note", ""),
                answers=item.get("answers"),
                proxy_name=item.get("proxy_name", ""),
                proxy_relation=item.get("proxy_relation", ""),
                origin=origin,
            )
        except (ValidationError, PermissionDenied) as error:
            results.append(SyncResult(client_id, "rejected", _message(error)))
            continue
        results.append(SyncResult(client_id, "recorded" if created else "duplicate", "", attempt))
    return results
