"""打卡: recording a check-in (once, however often a phone sends it), the fever alert, the
resident's signed link, and the sweep that finds missed check-in slots."""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.models import User
from wangge.accounts.selectors import community_workers_of, grid_workers_of
from wangge.core.services import audit_record, post_alert
from wangge.measures.models import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    CheckIn,
    CheckInSlot,
    PersonMeasure,
    Symptom,
)
from wangge.measures.services.common import (
    measure_link,
    require_measure,
    rules,
    users_by_id,
)

Slot = CheckInSlot.Status
_LINK_SALT = "wangge.measures.checkin-link"


class ClientIdConflict(ValidationError):
    """The client id already names a check-in of another measure; `error_code` is stable for
    clients, which answer it by sending the check-in again under a new client id."""

    error_code = "client_id_conflict"

    def __init__(self) -> None:
        super().__init__(
            {
                "client_id": [
                    "该客户端编号已用于其他管控对象的打卡，请重新提交 / this client_id was "
                    "already used for another measure's check-in; send it again with a new one"
                ]
            },
            code=self.error_code,
        )


def parse_temperature(value: object) -> Decimal:
    """34.0–43.0 °C with at most one decimal; the message says what is wrong."""
    try:
        temperature = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {"temperature": "请填写体温，如 36.5 / enter a temperature such as 36.5"}
        ) from error
    if not temperature.is_finite() or temperature != temperature.quantize(Decimal("0.1")):
        raise ValidationError(
            {"temperature": "体温保留一位小数，如 36.5 / one decimal place, such as 36.5"}
        )
    if not TEMPERATURE_MIN <= temperature <= TEMPERATURE_MAX:
        raise ValidationError(
            {
                "temperature": f"体温应在{TEMPERATURE_MIN}–{TEMPERATURE_MAX}°C之间 / "
                f"temperature must be between {TEMPERATURE_MIN} and {TEMPERATURE_MAX} °C"
            }
        )
    return temperature.quantize(Decimal("0.1"))


def _symptoms(codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = [code for code in codes if code not in Symptom.values]
    if unknown:
        raise ValidationError({"symptoms": f"未知症状 / unknown symptoms: {', '.join(unknown)}"})
    return codes


def is_fever(temperature: Decimal) -> bool:
    return temperature >= Decimal(str(rules()["FEVER_THRESHOLD"]))


def _slot_for(measure: PersonMeasure, at: datetime) -> CheckInSlot | None:
    """The latest slot whose window has opened by `at` (its time minus CHECKIN_EARLY_MINUTES),
    locked; None when that slot is no longer open (done, missed, cancelled) or there is none."""
    opens = at + timedelta(minutes=rules()["CHECKIN_EARLY_MINUTES"])
    slot = (
        CheckInSlot.objects.select_for_update()
        .filter(measure=measure, due_at__lte=opens)
        .order_by("-due_at")
        .first()
    )
    return slot if slot is not None and slot.status == Slot.OPEN else None


def alert_recipients(measure: PersonMeasure) -> list[Any]:
    """The measure's team; the grid workers of the person's grid when it has none."""
    if measure.team:
        return measure.team
    household = measure.person.household
    if household is None:
        return []
    return list(
        users_by_id(grid_workers_of([household.grid_id]).get(household.grid_id, ())).values()
    )


def _flag_alert(measure: PersonMeasure, checkin: CheckIn) -> None:
    person = measure.person
    signs = "、".join(checkin.symptom_labels)
    text = f"体温/症状异常：{person.name} {checkin.temperature}°C"
    if signs:
        text += f"（{signs}）"
    post_alert(alert_recipients(measure), "measure_fever", text, measure_link(measure))


def _stored(measure: PersonMeasure, client_id: str) -> CheckIn | None:
    """The check-in this client id already stored on this measure (a replay); ClientIdConflict
    when it names one of another measure, whose content the caller never sees."""
    stored = CheckIn.objects.filter(measure=measure, client_id=client_id).first()
    if stored is None and CheckIn.objects.filter(client_id=client_id).exists():
        raise ClientIdConflict()
    return stored


@transaction.atomic
def checkin_record(
    *,
    by: User | None,
    measure: PersonMeasure,
    temperature: object,
    client_id: str,
    symptoms: Iterable[str] = (),
    symptoms_other: str = "",
    at: datetime | None = None,
    source: str = CheckIn.Source.TEAM,
    request: HttpRequest | None = None,
) -> tuple[CheckIn, bool]:
    """Record a check-in; (check-in, created). The caller's right comes first: only then is the
    client id looked up. The same client id on the same measure twice — even at the same moment —
    is stored once and alerts once; on another measure it is refused (ClientIdConflict).
    `by` is None only for the resident's signed link."""
    client_id = (client_id or "").strip()[:64]
    if not client_id:
        raise ValidationError({"client_id": "缺少客户端编号 / client_id is required"})
    if by is None:
        if source != CheckIn.Source.RESIDENT:
            raise PermissionDenied("需要登录 / sign in first")
    else:
        require_measure(by, measure, team_may=True)
    existing = _stored(measure, client_id)
    if existing is not None:
        return existing, False
    temperature = parse_temperature(temperature)
    codes = _symptoms(symptoms)
    other = (symptoms_other or "").strip()[:200]
    measure = PersonMeasure.objects.select_related("person__household").get(pk=measure.pk)
    if measure.status != PersonMeasure.Status.ACTIVE:
        raise ValidationError("该管控已结束 / this measure has ended")
    at = at or timezone.now()
    checkin = CheckIn(
        measure=measure,
        slot=_slot_for(measure, at),
        client_id=client_id,
        temperature=temperature,
        symptoms=codes,
        symptoms_other=other,
        flagged=is_fever(temperature) or bool(codes) or bool(other),
        source=source,
        by=by,
        at=at,
    )
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        existing = _stored(measure, client_id)
        if existing is None:
            raise
        return existing, False
    if checkin.slot is not None:
        checkin.slot.status = Slot.DONE
        checkin.slot.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="create",
        target=checkin,
        changes={"temperature": str(temperature), "symptoms": codes, "source": source},
        request=request,
    )
    if checkin.flagged:
        _flag_alert(measure, checkin)
    return checkin, True


def new_client_id() -> str:
    return uuid.uuid4().hex


def checkin_link_token(measure: PersonMeasure) -> str:
    """The resident's personal check-in link: signed, no account needed."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign(str(measure.pk))


def measure_from_link(token: str) -> PersonMeasure:
    """The active measure behind a link; signing.BadSignature when forged, expired or ended."""
    max_age = timedelta(days=rules()["CHECKIN_LINK_DAYS"])
    value = signing.TimestampSigner(salt=_LINK_SALT).unsign(token, max_age=max_age)
    measure = (
        PersonMeasure.objects.filter(pk=int(value), status=PersonMeasure.Status.ACTIVE)
        .select_related("person", "measure_type")
        .first()
    )
    if measure is None:
        raise signing.BadSignature("measure ended")
    return measure


def _missed_text(count: int, first_name: str, escalated: bool) -> str:
    who = first_name if count == 1 else f"{first_name} 等 {count} 人"
    if escalated:
        return f"再次未打卡：{who} 已错过两次或以上打卡 / missed check-ins again"
    return f"未打卡：{who} 错过打卡时段 / missed a check-in"


def _post(groups: dict[int, tuple[int, str]], escalated: bool) -> int:
    """One alert per recipient: how many of their persons missed, naming the first."""
    link = reverse("measures:mine")
    users = users_by_id(groups)
    posted = 0
    for user_id, (count, name) in groups.items():
        if user_id in users:
            text = _missed_text(count, name, escalated)
            posted += len(post_alert([users[user_id]], "measure_missed", text, link))
    return posted


@transaction.atomic
def checkin_mark_missed(*, now: datetime | None = None) -> dict[str, int]:
    """Mark every open slot past its grace period as missed, in one UPDATE, and alert: the grid
    worker for each newly missed slot; the community workers too when it is that measure's second
    (or later) missed slot, or when the measure has no grid worker. Running twice alerts once."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=rules()["CHECKIN_GRACE_MINUTES"])
    missed = CheckInSlot.objects.filter(status=Slot.OPEN, due_at__lt=cutoff).update(
        status=Slot.MISSED, missed_at=now
    )
    if not missed:
        return {"missed": 0, "alerts": 0}
    newly = CheckInSlot.objects.filter(status=Slot.MISSED, missed_at=now)
    persons, first = Count("measure", distinct=True), Min("measure__person__name")
    workers = {
        row["worker"]: (row["n"], row["first"])
        for row in newly.filter(measure__grid_worker__isnull=False)
        .values(worker=F("measure__grid_worker"))
        .annotate(n=persons, first=first)
    }
    missed_before = CheckInSlot.objects.filter(
        measure=OuterRef("measure"), status=Slot.MISSED
    ).exclude(pk=OuterRef("pk"))
    by_community = {
        row["community"]: (row["n"], row["first"])
        for row in newly.filter(Exists(missed_before) | Q(measure__grid_worker__isnull=True))
        .values(community=F("measure__person__household__grid__community"))
        .annotate(n=persons, first=first)
        if row["community"] is not None
    }
    community_users: dict[int, tuple[int, str]] = {}
    for community_id, user_ids in community_workers_of(by_community).items():
        count, name = by_community[community_id]
        for user_id in user_ids:
            known = community_users.get(user_id, (0, name))
            community_users[user_id] = (known[0] + count, known[1])
    alerts = _post(workers, escalated=False) + _post(community_users, escalated=True)
    return {"missed": missed, "alerts": alerts}
