"""What staff do with the candidates of a trace: confirm (the person goes under the close-contact or
contact-of-contact measure of the rules in force that day), dismiss with a reason, reopen a
mistaken decision, send the confirmed ones to the grid workers as a 协查名单, and add persons the
case named.

Who may decide, decided: whoever may edit the candidate's person (the street's command, the
community worker, the grid worker of the person's grid) confirms, dismisses and reopens. The
street's tracing task force (Role.TRACER, which holds no EDIT) works the candidates the way it works
verification lists in wangge/command: it dismisses and reopens candidates of its street, names
contacts and builds the verification list; it does not confirm, because confirming puts a person
under a measure and measures are started only by those who may edit the person (measure_assign).
"""

from io import BytesIO
from typing import Any

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import RoleAssignment, User
from wangge.command.models import VerificationList
from wangge.command.services.verification import may_import, verification_list_import
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record
from wangge.measures.models import Case, MeasureType, PersonMeasure
from wangge.measures.services import measure_assign
from wangge.people.models import Person
from wangge.regions.models import Street
from wangge.tracing.models import Candidate, CandidateStatus, NamedContact

Status = CandidateStatus
APPLIES_TO = {1: MeasureType.AppliesTo.CLOSE_CONTACT, 2: MeasureType.AppliesTo.CONTACT_OF_CONTACT}
# a running measure of these kinds is strict enough for a confirmation of that hop
_STRICT = {MeasureType.AppliesTo.CASE, MeasureType.AppliesTo.CLOSE_CONTACT}
AT_LEAST = {1: _STRICT, 2: _STRICT | {MeasureType.AppliesTo.CONTACT_OF_CONTACT}}
LIST_HEADERS = ["姓名", "证件号码", "手机号", "地址", "核查原因", "来源"]


def _street(person: Person) -> Street | None:
    household = person.household
    return household.grid.community.street if household is not None else None


def is_tracer(user: User, person: Person) -> bool:
    """`user` is on the tracing task force of the person's street."""
    street = _street(person)
    return (
        street is not None
        and RoleAssignment.objects.filter(user=user, role=Role.TRACER, street=street).exists()
    )


def may_confirm(user: User, candidate: Candidate) -> bool:
    return Candidate.objects.restrict(user, Action.EDIT).filter(pk=candidate.pk).exists()


def may_decide(user: User, candidate: Candidate) -> bool:
    """Dismiss or reopen: whoever may confirm, and the task force of the person's street."""
    if may_confirm(user, candidate):
        return True
    visible = Candidate.objects.restrict(user).filter(pk=candidate.pk).exists()
    return visible and is_tracer(user, candidate.person)


def decision_rights(user: User, candidates: list[Candidate]) -> dict[int, tuple[bool, bool]]:
    """(may confirm, may dismiss or reopen) of each candidate, by the rules of may_confirm and
    may_decide, in three queries for a whole page of candidates."""
    ids = [candidate.pk for candidate in candidates]
    editable = set(
        Candidate.objects.restrict(user, Action.EDIT)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    visible = set(Candidate.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True))
    streets = set(
        RoleAssignment.objects.filter(user=user, role=Role.TRACER).values_list("street", flat=True)
    )
    rights = {}
    for candidate in candidates:
        household = candidate.person.household
        street_id = household.grid.community.street_id if household is not None else None
        tracer = candidate.pk in visible and street_id in streets
        rights[candidate.pk] = (candidate.pk in editable, candidate.pk in editable or tracer)
    return rights


def _locked(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("case__person", "person__household__grid__community__street")
        .get(pk=candidate.pk)
    )


def contact_measure_type(hop: int, on: Any) -> MeasureType:
    """The type the rule sets in force on `on` name for a close contact (hop 1) or a contact of a
    contact (hop 2), a local rule set before a national one (as for cases and arrivals)."""
    applies_to = APPLIES_TO.get(hop)
    found = (
        MeasureType.objects.in_force(on)
        .filter(applies_to=applies_to)
        .select_related("rule_set")
        .order_by("rule_set__kind", "-rule_set__effective_from", "pk")
        .first()
        if applies_to
        else None
    )
    if found is None:
        raise ValidationError(
            f"{on:%Y-%m-%d}适用的防控方案中没有第{hop}层接触者的措施 / no rule set in force on "
            f"{on:%Y-%m-%d} names a measure for hop {hop}"
        )
    return found


def _running_measure(candidate: Candidate) -> PersonMeasure | None:
    """The person's active measure when it is at least as strict as the confirmation asks;
    ValidationError naming it when it is weaker; None when there is none."""
    running = (
        PersonMeasure.objects.filter(person=candidate.person, status=PersonMeasure.Status.ACTIVE)
        .select_related("measure_type")
        .first()
    )
    if running is None:
        return None
    if running.measure_type.applies_to in AT_LEAST[candidate.hop]:
        return running
    raise ValidationError(
        f"该人员正在执行「{running.measure_type.name}」，请先在措施页面转为"
        f"{'密接' if candidate.hop == 1 else '次密接'}措施 / the person is under a weaker measure; "
        "transfer it on the measure's page first"
    )


def _new_measure(by: User, candidate: Candidate, origin: Origin) -> PersonMeasure:
    today = timezone.localdate()
    measure_type = contact_measure_type(candidate.hop, today)
    label = "密接" if candidate.hop == 1 else "次密接"
    case = candidate.case
    (measure,) = measure_assign(
        by=by,
        persons=[candidate.person],
        measure_type=measure_type,
        start=today,
        reason=f"{case.person.name}（病例{case.pk}）的{label}，流调确认",
        origin=origin,
    )
    return measure


@transaction.atomic
def candidate_confirm(
    *, by: User, candidate: Candidate, note: str = "", origin: Origin = Origin.SYSTEM
) -> Candidate:
    """Confirm a pending candidate: the person goes under the measure that the rules in force
    today name for a close contact (hop 1) or a contact of a contact (hop 2), recorded on the
    candidate. A person already under a measure at least as strict (a case's, a close contact's,
    or for hop 2 a contact of a contact's) keeps it, and it is the one recorded; under a weaker
    one (a returnee's, a contact of a contact's for hop 1) the confirmation is refused, naming it:
    it is transferred on the measure's page first."""
    candidate = _locked(candidate)
    if not may_confirm(by, candidate):
        raise PermissionDenied("您无权确认该流调对象 / you may not confirm this candidate")
    if candidate.status != Status.PENDING:
        raise ValidationError("该流调对象已核实 / this candidate was already decided")
    measure = _running_measure(candidate) or _new_measure(by, candidate, origin)
    candidate.status = Status.CONFIRMED
    candidate.decided_at = timezone.now()
    candidate.decided_by = by
    candidate.decision_note = note.strip()[:200]
    candidate.measure = measure
    candidate.save()
    audit_record(
        actor=by,
        action="trace_confirm",
        target=candidate,
        changes={"status": [Status.PENDING, Status.CONFIRMED], "measure": measure.pk},
        reason=candidate.decision_note,
        origin=origin,
    )
    return candidate


@transaction.atomic
def candidate_dismiss(
    *, by: User, candidate: Candidate, reason: str, origin: Origin = Origin.SYSTEM
) -> Candidate:
    """Dismiss a pending candidate with the reason; the row stays (re-runs keep it dismissed)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写排除理由 / a reason is required"})
    candidate = _locked(candidate)
    if not may_decide(by, candidate):
        raise PermissionDenied("您无权处理该流调对象 / you may not decide this candidate")
    if candidate.status != Status.PENDING:
        raise ValidationError("该流调对象已核实 / this candidate was already decided")
    candidate.status = Status.DISMISSED
    candidate.decided_at = timezone.now()
    candidate.decided_by = by
    candidate.decision_note = reason[:200]
    candidate.save()
    audit_record(
        actor=by,
        action="trace_dismiss",
        target=candidate,
        changes={"status": [Status.PENDING, Status.DISMISSED]},
        reason=candidate.decision_note,
        origin=origin,
    )
    return candidate


@transaction.atomic
def candidate_reopen(
    *, by: User, candidate: Candidate, origin: Origin = Origin.SYSTEM
) -> Candidate:
    """Undo a mistaken decision: back to pending, unless a measure was made (end it instead)."""
    candidate = _locked(candidate)
    if not may_decide(by, candidate):
        raise PermissionDenied("您无权处理该流调对象 / you may not decide this candidate")
    if candidate.status == Status.PENDING:
        raise ValidationError("该流调对象尚未核实 / this candidate is still pending")
    if candidate.measure_id is not None:
        raise ValidationError(
            "已据此采取管控措施，请在管控措施中处理 / a measure was made; end it on the measure"
        )
    before = candidate.status
    candidate.status = Status.PENDING
    candidate.decided_at = None
    candidate.decided_by = None
    candidate.decision_note = ""
    candidate.save()
    audit_record(
        actor=by,
        action="trace_reopen",
        target=candidate,
        changes={"status": [before, Status.PENDING]},
        origin=origin,
    )
    return candidate


def _list_file(candidates: list[Candidate], source: str) -> BytesIO:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(LIST_HEADERS)
    for candidate in candidates:
        person = candidate.person
        reason = "密接" if candidate.hop == 1 else "次密接"
        sheet.append(
            [person.name, person.id_number, person.phone, str(person.household), reason, source]
        )
    stream = BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


@transaction.atomic
def verification_list_for(
    *, by: User, case: Case, candidates: Any, origin: Origin = Origin.SYSTEM
) -> VerificationList:
    """A 协查名单 of the case's confirmed candidates among `candidates`, imported through the
    command's verification lists, so each row goes to the grid worker of the person's grid.
    Each call is one list (its source names the case and the time)."""
    street = _street(case.person)
    if street is None or not may_import(by, street):
        raise PermissionDenied("您无权生成协查名单 / you may not build a verification list")
    chosen = list(
        Candidate.objects.filter(
            pk__in=[c.pk for c in candidates], case=case, status=Status.CONFIRMED
        ).select_related("person__household__building__compound")
    )
    if not chosen:
        raise ValidationError("没有已确认的流调对象 / no confirmed candidates to send")
    now = timezone.localtime()
    source = f"流调溯源 病例{case.pk} {now:%Y-%m-%d %H:%M:%S.%f}"
    vlist = verification_list_import(
        street=street,
        stream=_list_file(chosen, source),
        original_name=f"trace-case-{case.pk}-{now:%Y%m%d%H%M%S}.xlsx",
        by=by,
        title=f"病例{case.pk}流调协查名单（{now:%m-%d %H:%M}）",
        origin=origin,
    )
    audit_record(
        actor=by,
        action="trace_list",
        target=vlist,
        changes={"case": case.pk, "candidates": [c.pk for c in chosen]},
        origin=origin,
    )
    return vlist


@transaction.atomic
def named_contact_add(
    *, by: User, case: Case, person: Person, note: str = "", origin: Origin = Origin.SYSTEM
) -> NamedContact:
    """Record a person the case named; refused for persons (or a case) `by` cannot see."""
    if not Case.objects.restrict(by).filter(pk=case.pk).exists():
        raise PermissionDenied("您无权查看该病例 / you may not see this case")
    if not Person.objects.restrict(by).filter(pk=person.pk).exists():
        raise PermissionDenied("您无权查看该人员 / you may not see this person")
    if person.pk == case.person_id:
        raise ValidationError({"person": "不能登记病例本人 / the case cannot name themselves"})
    if NamedContact.objects.filter(case=case, person=person).exists():
        raise ValidationError({"person": "该人员已登记 / this person was already named"})
    named = NamedContact.objects.create(
        case=case, person=person, note=note.strip()[:200], at=timezone.now(), by=by
    )
    audit_record(
        actor=by,
        action="trace_named",
        target=named,
        changes={"person": person.pk},
        origin=origin,
    )
    return named
