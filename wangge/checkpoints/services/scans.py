"""扫码: recording a passage once per client id (pretix's perform_checkin: row lock, IntegrityError
handling, stable error codes), completing it with a visitor registration or a choice of person,
and the alerts a decision sets off.

A scan sent twice — a retry, an offline queue flushed twice, two requests at the same moment — is
stored once, and its replay answers with the decision stored the first time. Every scan is its
own log entry (who, where, when, what was decided); completing one is audited.
"""

import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.config import config
from wangge.checkpoints.duty import checkpoint_on_duty, require_duty
from wangge.checkpoints.models import Checkpoint, DoorOpening, Scan, ScanReason
from wangge.checkpoints.rules import Decision, Direction, Reason, Subject, Verdict
from wangge.checkpoints.services import alerts, facts
from wangge.checkpoints.services.doors import door_openings_of, scan_doors_open
from wangge.checkpoints.services.facts import Found
from wangge.checkpoints.services.standing import judge
from wangge.checkpoints.services.visitors import VisitorData, visitor_register
from wangge.core.fields import local_day
from wangge.core.masking import mask_name
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.measures.models import parse_temperature

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
_NEEDS: dict[str, str] = {
    Subject.UNREGISTERED: Scan.Needs.VISITOR,
    Subject.AMBIGUOUS: Scan.Needs.CHOICE,
}


class ScanError(ValidationError):
    """A scan refused as a whole; `code` is stable for clients (pretix-style)."""

    def __init__(self, code: str, message: str, field: str = "non_field_errors") -> None:
        super().__init__({field: [message]}, code=code)
        self.error_code = code


@dataclass(frozen=True)
class ScanInput:
    client_id: str
    direction: str
    scanned_at: datetime | None = None
    temperature: Any = None
    code: str = ""
    id_number: str = ""
    phone_tail: str = ""


@dataclass
class ScanOutcome:
    scan: Scan
    created: bool
    reasons: tuple[str, ...]
    subject_label: str = ""
    candidates: list[tuple[str, str]] = field(default_factory=list)
    doors: list[DoorOpening] = field(default_factory=list)


def _client_id(value: str) -> str:
    client_id = (value or "").strip()
    if not _CLIENT_ID.match(client_id):
        raise ScanError(
            "bad_client_id", "客户端编号无效 / client_id must be 8–64 letters, digits or dashes"
        )
    return client_id


def _moment(scanned_at: datetime | None) -> datetime:
    """The phone's scan time; a clock running ahead of the server is not trusted."""
    now = timezone.now()
    if scanned_at is None:
        return now
    if timezone.is_naive(scanned_at):
        scanned_at = timezone.make_aware(scanned_at)
    if scanned_at > now + timedelta(seconds=config()["SCAN_CLOCK_SKEW_SECONDS"]):
        return now
    return scanned_at


def _identify(checkpoint: Checkpoint, data: ScanInput, at: datetime) -> Found:
    given = [name for name in ("code", "id_number", "phone_tail") if getattr(data, name).strip()]
    if len(given) != 1:
        raise ScanError(
            "no_subject",
            "请扫码，或输入证件号码或手机尾号（三选一）/ scan a code, or type an ID number or a "
            "phone tail (one of them)",
        )
    if given[0] == "code":
        return facts.by_code(data.code, at)
    if given[0] == "id_number":
        return facts.by_id_number(data.id_number, at)
    return facts.by_phone_tail(data.phone_tail, checkpoint, at)


def _apply(
    scan: Scan,
    found: Found,
    *,
    code_colour: str = "",
    host_household_id: int | None = None,
) -> Decision:
    """Decide with the one rules function and write the decision onto the (unsaved) scan."""
    card, check = None, None
    if _locks_pass(scan, found):
        card, check = facts.pass_check(found.household, scan.scanned_at)
    decision = judge(
        found,
        direction=scan.direction,
        at=scan.scanned_at,
        temperature=scan.temperature,
        code_colour=code_colour,
        host_household_id=host_household_id,
        pass_check=check,
    )
    colour = code_colour or found.code_colour
    scan.method = found.method
    scan.person = found.person
    scan.household = found.household
    scan.code_colour = colour
    scan.verdict = decision.verdict
    scan.next_exit_on = decision.next_exit_on
    scan.pass_used = card if card is not None and decision.verdict == Verdict.PASS else None
    scan.needs = _NEEDS.get(found.subject, Scan.Needs.NOTHING)
    return decision


def reasons_of(scan: Scan) -> tuple[str, ...]:
    order = {code: index for index, code in enumerate(Reason.values)}
    codes = [row.code for row in scan.reason_rows.all()]
    return tuple(sorted(codes, key=order.__getitem__))


def subject_label(scan: Scan) -> str:
    """What staff may read about whoever passed: a masked name, never more."""
    if scan.person is not None:
        return mask_name(scan.person.name)
    if scan.visitor is not None:
        return f"{mask_name(scan.visitor.name)}（访客）"
    if scan.method == Scan.Method.PASS and scan.household is not None:
        return f"出入证 · {scan.household.building.name}"
    return ""


def _candidates(scan: Scan, found: Found) -> list[tuple[str, str]]:
    return [
        (facts.candidate_token(scan.client_id, person), facts.candidate_label(person))
        for person in found.candidates
    ]


def _stored(client_id: str, day: date) -> Scan | None:
    """The scan stored under this client id on the phone's day, with what a replay shows; the
    day keeps the read in one partition."""
    return (
        Scan.objects.select_related("person", "visitor", "household__building")
        .prefetch_related("reason_rows")
        .filter(client_id=client_id, day=day)
        .order_by()
        .first()
    )


def _replay(existing: Scan, checkpoint: Checkpoint, data: ScanInput) -> ScanOutcome:
    if existing.checkpoint_id != checkpoint.pk:
        raise ScanError(
            "client_id_reused",
            "该客户端编号已用于另一卡点的扫码 / this client_id belongs to a scan at another "
            "checkpoint",
            field="client_id",
        )
    candidates: list[tuple[str, str]] = []
    if existing.needs == Scan.Needs.CHOICE and data.phone_tail.strip():
        found = facts.by_phone_tail(data.phone_tail, checkpoint, existing.scanned_at)
        candidates = _candidates(existing, found)
    return ScanOutcome(existing, False, reasons_of(existing), subject_label(existing), candidates)


def _store_reasons(scan: Scan, reasons: tuple[str, ...], *, replace: bool = False) -> None:
    if replace:
        ScanReason.objects.filter(scan=scan).delete()
    if reasons:
        ScanReason.objects.bulk_create([ScanReason(scan=scan, code=code) for code in reasons])


def scan_record(*, by: User, checkpoint_id: int, data: ScanInput) -> ScanOutcome:
    """Record one passage at the checkpoint `by` mans and decide it; (scan, created). The duty
    is checked here, once, before anything is written (`checkpoint_on_duty`: DutyRefused or
    UnknownCheckpoint with their stable codes). The same client id again returns the scan stored
    the first time, with its decision, and alerts nothing: the unique client id turns its INSERT
    into an IntegrityError, and the stored scan answers (no lookup before the insert, since
    almost every client id is new).
    Once the scan is committed, a resident's code let through opens the gate's doors
    (`services.doors.scan_doors_open`); a replay shows the openings stored the first time."""
    checkpoint = checkpoint_on_duty(by, checkpoint_id)
    outcome = _record(by, checkpoint, data)
    scan = outcome.scan
    if outcome.created:
        outcome.doors = scan_doors_open(scan)
    elif scan.method == Scan.Method.CODE and scan.verdict == Verdict.PASS:
        outcome.doors = door_openings_of(scan)
    return outcome


def _record(by: User, checkpoint: Checkpoint, data: ScanInput) -> ScanOutcome:
    client_id = _client_id(data.client_id)
    at = _moment(data.scanned_at)
    if data.direction not in Direction.values:
        raise ScanError("bad_direction", "请选择进或出 / direction must be in or out", "direction")
    temperature: Decimal | None = None
    if data.temperature not in (None, ""):
        temperature = parse_temperature(data.temperature)
    found = _identify(checkpoint, data, at)
    scan = Scan(
        client_id=client_id,
        checkpoint=checkpoint,
        direction=data.direction,
        temperature=temperature,
        scanned_at=at,
        by=by if getattr(by, "pk", None) else None,
    )
    try:
        with _writing(_locks_pass(scan, found)):
            decision = _apply(scan, found)
            with transaction.atomic(savepoint=False) if decision.reasons else nullcontext():
                scan.save()
                _store_reasons(scan, decision.reasons)
                alerts.scan_alert(scan, decision.reasons, stay_home_measure=found.stay_home_measure)
    except IntegrityError:
        existing = _stored(client_id, local_day(at))
        if existing is None:
            raise
        return _replay(existing, checkpoint, data)
    return ScanOutcome(scan, True, decision.reasons, subject_label(scan), _candidates(scan, found))


def _locks_pass(scan: Scan, found: Found) -> bool:
    """Whether deciding the scan counts a household's pass exits, under the pass's row lock."""
    needs_pass = found.card is not None or scan.checkpoint.passes_required
    return (
        scan.direction == Direction.OUT
        and needs_pass
        and found.subject in (Subject.PERSON, Subject.HOUSEHOLD)
    )


def _writing(transactional: bool) -> AbstractContextManager[Any]:
    """The block a scan is written in. The common scan — nothing locked, nothing but itself to
    store — is one INSERT in its own implicit transaction; a replay racing it fails that INSERT on
    the unique client id and is answered from the stored scan. A scan that locks a pass, or that
    stores reasons and alerts with itself, is one transaction; inside a caller's transaction the
    scan takes a savepoint, so that a replay's failed INSERT leaves the caller's work intact."""
    if transactional or transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


@transaction.atomic
def scan_resolve(
    *,
    by: User,
    scan: Scan,
    candidate: str = "",
    visitor: VisitorData | None = None,
    origin: Origin = Origin.SYSTEM,
) -> ScanOutcome:
    """Complete a scan that found no one (register the visitor) or several (choose the person),
    and decide it again. Completing it twice changes nothing."""
    scan = Scan.objects.select_for_update().select_related("checkpoint").get(pk=scan.pk)
    require_duty(by, scan.checkpoint)
    if not scan.needs:
        return ScanOutcome(scan, False, reasons_of(scan), subject_label(scan))
    deadline = scan.received_at + timedelta(minutes=config()["SCAN_RESOLVE_MINUTES"])
    if timezone.now() > deadline:
        raise ScanError("too_late", "已超过补录时限 / too late to complete this scan")
    before = set(reasons_of(scan))
    if candidate.strip():
        if scan.needs != Scan.Needs.CHOICE:
            raise ScanError("no_choice", "该记录无需选择人员 / this scan has no choice to make")
        found = facts.by_candidate(candidate, scan.client_id, scan.scanned_at)
        decision = _apply(scan, found)
        scan.visitor = None
    elif visitor is not None:
        registered = visitor_register(by=by, checkpoint=scan.checkpoint, data=visitor)
        found = Found(Subject.VISITOR, scan.method)
        decision = _apply(
            scan,
            found,
            code_colour=visitor.code_colour,
            host_household_id=registered.host_household_id,
        )
        scan.visitor = registered
        scan.household = registered.host_household
    else:
        raise ScanError("nothing_to_resolve", "请登记访客或选择人员 / register or choose")
    scan.save()
    _store_reasons(scan, decision.reasons, replace=True)
    fresh = tuple(reason for reason in decision.reasons if reason not in before)
    alerts.scan_alert(scan, fresh, stay_home_measure=found.stay_home_measure)
    audit_record(
        actor=by,
        action="update",
        target=scan,
        changes={
            "resolved": "visitor" if scan.visitor_id else "person",
            "verdict": scan.verdict,
            "reasons": list(decision.reasons),
        },
        origin=origin,
    )
    return ScanOutcome(scan, True, decision.reasons, subject_label(scan))
