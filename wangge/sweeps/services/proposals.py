"""The grid worker decides what a visit found (a Proposal). Confirming applies it through the
owning app's own service, in one transaction with the decision: a changed fact of a person through
`people.services.person_update`, a person moved out through `person_set_status`, a new member
through `person_create`, a returnee as an arrival report (`measures.services.arrival_report_create`,
whose proposed measure the grid worker then confirms as for any arrival), an unvaccinated elder or
a need as a task (`command.services.task_create`). The proposal records what it became
(`outcome`, `outcome_model`, `outcome_id`). Rejecting needs a reason and changes nothing else.
Only a user who may edit the household's grid decides, once.

What each kind reads from `details`, as the visit wrote it (sweeps/findings.py); a phone is kept
sealed (`sealed`, with `masked` to show), never in the clear:
- person_field: `field` ("phone"), `sealed`;
- moved_out: nothing beyond the person;
- new_person: `name`, `sealed` (the phone, if given); the ID number and the relation are given by
  the grid worker on confirming, who has seen the newcomer's papers;
- returnee: `places`, `returned_on` (YYYY-MM-DD), for the proposal's person;
- unvaccinated: `age`; need: `kind`, `detail`.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command.models import Task, TaskKind
from wangge.command.services.tasks import task_create
from wangge.core import crypto
from wangge.core.identity import IdType
from wangge.core.origin import Origin
from wangge.core.roles import Action, Role
from wangge.core.services import audit_record
from wangge.measures.models import ArrivalReport
from wangge.measures.services.arrivals import ArrivalData, arrival_report_create
from wangge.measures.services.risk_areas import Origin as Place
from wangge.people.models import Assignment, Person
from wangge.people.services import PersonData, person_create, person_set_status, person_update
from wangge.sweeps.models import Proposal, ProposalStatus

Kind = Proposal.Kind
TASK_KIND = "routine"


@dataclass(frozen=True)
class Identity:
    """What the grid worker gives on confirming a newcomer: the papers they have seen."""

    id_number: str = ""
    id_type: str = IdType.RESIDENT
    relation: str = Person.Relation.OTHER
    residence_type: str = Person.ResidenceType.REGISTERED


def _phone(details: dict[str, Any]) -> str:
    """The phone the visit wrote down, unsealed ("" if none)."""
    sealed = details.get("sealed")
    return crypto.unseal(sealed) if sealed else ""


def _decidable(by: User, proposal: Proposal) -> Proposal:
    if not Proposal.objects.restrict(by, Action.EDIT).filter(pk=proposal.pk).exists():
        raise PermissionDenied("您无权处理该走访发现 / you may not decide on this finding")
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("visit__household", "visit__grid__community__street", "person")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError("该发现已处理 / this finding has been decided already")
    return proposal


def _member(proposal: Proposal) -> Person:
    person = proposal.person
    if person is None or person.household_id != proposal.visit.household_id:
        raise ValidationError("该人员已不在本户 / this person no longer lives in this household")
    return person


def _current(person: Person) -> PersonData:
    """The person's facts as they stand; None keeps the stored ID number and phone unread."""
    return PersonData(
        name=person.name,
        id_type=person.id_type,
        id_number=None,
        phone=None,
        ethnicity=person.ethnicity,
        residence_type=person.residence_type,
        relation=person.relation,
        native_place=person.native_place,
        note=person.note,
        birth_date=person.birth_date,
        sex=person.sex,
    )


def _person_field(by: User, proposal: Proposal, origin: Origin) -> tuple[str, models.Model]:
    """A changed phone: the only fact of a person the form asks again."""
    person = _member(proposal)
    if proposal.details.get("field") != "phone":
        raise ValidationError("无法更改该项 / this field cannot be changed here")
    data = replace(_current(person), phone=_phone(proposal.details))
    person = person_update(by=by, person=person, data=data, origin=origin)
    return f"已更新{person.name}的电话", person


def _moved_out(by: User, proposal: Proposal, origin: Origin) -> tuple[str, models.Model]:
    person = _member(proposal)
    note = f"扫楼走访 #{proposal.visit_id}：已不在此居住"
    person_set_status(
        by=by, person=person, status=Person.Status.MOVED_OUT, note=note, origin=origin
    )
    return f"{person.name}已登记迁出", person


def _new_person(
    by: User, proposal: Proposal, origin: Origin, identity: Identity
) -> tuple[str, models.Model]:
    if not identity.id_number.strip():
        raise ValidationError(
            {"id_number": "请填写新增人员的证件号码 / give the newcomer's ID number"}
        )
    person = person_create(
        by=by,
        household=proposal.visit.household,
        data=PersonData(
            name=str(proposal.details.get("name") or ""),
            id_type=identity.id_type,
            id_number=identity.id_number,
            phone=_phone(proposal.details),
            relation=identity.relation,
            residence_type=identity.residence_type,
        ),
        origin=origin,
    )
    return f"{person.name}已登记入户", person


def _returnee(by: User, proposal: Proposal, origin: Origin) -> tuple[str, models.Model]:
    """An arrival report for the member, as of noon of the day they came back (or now, if that
    is still to come); where they went is the report's origin, for the risk-area list to match."""
    person, details = _member(proposal), proposal.details
    try:
        returned_on = date.fromisoformat(str(details.get("returned_on") or ""))
    except ValueError:
        returned_on = timezone.localdate()
    noon = timezone.make_aware(datetime.combine(returned_on, time(12)))
    report = arrival_report_create(
        by=by,
        data=ArrivalData(
            name=person.name,
            id_type=person.id_type,
            id_number=crypto.unseal(person.id_number_sealed),
            phone=crypto.unseal(person.phone_sealed) if person.phone_sealed else "",
            origin=Place(province=str(details.get("places") or "未说明")[:50]),
            departed_on=returned_on,
            arrived_at=min(noon, timezone.now()),
            transport=ArrivalReport.Transport.OTHER,
            route=str(details.get("places") or "")[:200],
            host_household=proposal.visit.household,
        ),
        origin=origin,
    )
    return f"已转返乡报备：{report.name}，待确认管控措施", report


def _assignees(proposal: Proposal) -> list[Any]:
    """The doctors responsible for the person or the grid, for an elder's vaccination; else (and
    for any need) the grid, whose workers get the task."""
    if proposal.kind == Kind.UNVACCINATED:
        targets = models.Q(grid=proposal.visit.grid_id)
        if proposal.person_id:
            targets |= models.Q(person=proposal.person_id)
        doctors = (
            Assignment.objects.active()
            .filter(targets, duty=Role.DOCTOR, holder_user__isnull=False)
            .select_related("holder_user")
        )
        found = [assignment.holder_user for assignment in doctors]
        if found:
            return found
    return [proposal.visit.grid]


def _task(by: User, proposal: Proposal, origin: Origin) -> tuple[str, models.Model]:
    visit, details = proposal.visit, proposal.details
    if proposal.kind == Kind.UNVACCINATED:
        who = proposal.person.name if proposal.person else ""
        title = f"未接种老人：{who}（{details.get('age', '')}岁） · {visit.household}"
        description = "扫楼走访发现该老人未接种疫苗，请上门宣传、预约接种。"
    else:
        description = str(details.get("detail") or details.get("kind") or "")
        title = f"走访需求：{description[:40] or '困难需求'} · {visit.household}"
    task = task_create(
        by=by,
        street=visit.grid.community.street,
        kind=TaskKind.objects.get(code=TASK_KIND),
        title=title,
        assignees=_assignees(proposal),
        description=description,
        priority=Task.Priority.NORMAL,
        note=f"扫楼走访 #{visit.pk}",
        origin=origin,
    )
    return f"已转交办单：{task.title}", task


@transaction.atomic
def proposal_confirm(
    *,
    by: User,
    proposal: Proposal,
    identity: Identity | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Proposal:
    """Apply the finding through its owner's service and record what it became; a newcomer
    needs the `identity` the grid worker has seen."""
    proposal = _decidable(by, proposal)
    made: models.Model
    if proposal.kind == Kind.PERSON_FIELD:
        outcome, made = _person_field(by, proposal, origin)
    elif proposal.kind == Kind.MOVED_OUT:
        outcome, made = _moved_out(by, proposal, origin)
    elif proposal.kind == Kind.NEW_PERSON:
        outcome, made = _new_person(by, proposal, origin, identity or Identity())
    elif proposal.kind == Kind.RETURNEE:
        outcome, made = _returnee(by, proposal, origin)
    else:
        outcome, made = _task(by, proposal, origin)
    proposal.status = ProposalStatus.CONFIRMED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.outcome = outcome[:200]
    proposal.outcome_model = made._meta.label_lower
    proposal.outcome_id = made.pk
    proposal.save()
    audit_record(
        actor=by,
        action="confirm",
        target=proposal,
        changes={"kind": proposal.kind, "outcome": proposal.outcome_model, "id": made.pk},
        origin=origin,
    )
    return proposal


@transaction.atomic
def proposal_reject(
    *, by: User, proposal: Proposal, reason: str, origin: Origin = Origin.SYSTEM
) -> Proposal:
    """Turn the finding down, saying why; the register stays as it is."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写驳回理由 / give the reason"})
    proposal = _decidable(by, proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.outcome = f"驳回：{reason}"[:200]
    proposal.save()
    audit_record(
        actor=by,
        action="reject",
        target=proposal,
        changes={"kind": proposal.kind},
        reason=reason,
        origin=origin,
    )
    return proposal
