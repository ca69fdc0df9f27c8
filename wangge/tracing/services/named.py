"""Persons the case named, taken from a 协查 list: the list arrives through the command's
verification lists (read in a child process with limits, each row matched to a person of the
register, wangge/command), and the tracing staff then mark its matched persons as named by the
case. The spreadsheet is never read twice and its matching is the one every list gets."""

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.command.models import VerificationList
from wangge.command.services.verification import may_import
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.measures.models import Case
from wangge.people.models import Person
from wangge.regions.models import Street
from wangge.tracing.models import NamedContact


@dataclass(frozen=True)
class NamedFromList:
    named: int  # persons newly named by the case
    already: int  # matched persons the case had named before
    unmatched: int  # rows of the list without a person of the register
    case_person: int  # rows that are the case person themselves


def _street(case: Case) -> Street | None:
    household = case.person.household
    return household.grid.community.street if household is not None else None


@transaction.atomic
def named_from_list(
    *, by: User, case: Case, vlist: VerificationList, origin: Origin = Origin.SYSTEM
) -> NamedFromList:
    """Name, for `case`, every person a row of `vlist` was matched to; rows without a person are
    counted, the case person and persons named before are skipped. Only the case's street's
    tracing staff and command, for a list of that street that has been read."""
    street = _street(case)
    if street is None or not Case.objects.restrict(by).filter(pk=case.pk).exists():
        raise PermissionDenied("您无权查看该病例 / you may not see this case")
    if not may_import(by, street) or vlist.street_id != street.pk:
        raise PermissionDenied("您无权使用该协查名单 / you may not use this list for this case")
    if vlist.status != VerificationList.Status.READY:
        raise ValidationError("名单尚未读取完成 / the list has not been read yet")
    rows = list(vlist.rows.order_by("position").values_list("person_id", "row_number"))
    persons = {person_id for person_id, _ in rows if person_id is not None}
    visible = set(
        Person.objects.restrict(by).filter(pk__in=sorted(persons)).values_list("pk", flat=True)
    )
    before = set(NamedContact.objects.filter(case=case).values_list("person_id", flat=True))
    now, created, seen = timezone.now(), [], set()
    for person_id, row_number in rows:
        if person_id is None or person_id not in visible or person_id == case.person_id:
            continue
        if person_id in before or person_id in seen:
            continue
        seen.add(person_id)
        note = f"协查名单「{vlist.title}」第{row_number}行"[:200]
        created.append(NamedContact(case=case, person_id=person_id, note=note, at=now, by=by))
    NamedContact.objects.bulk_create(created)
    result = NamedFromList(
        named=len(created),
        already=len(persons & before),
        unmatched=sum(1 for person_id, _ in rows if person_id is None or person_id not in visible),
        case_person=sum(1 for person_id, _ in rows if person_id == case.person_id),
    )
    audit_record(
        actor=by,
        action="trace_named_list",
        target=case,
        changes={"list": vlist.pk, **asdict(result)},
        origin=origin,
    )
    return result
