"""Issuing, reissuing and revoking 小区码 (per person) and 出入证 (per household). Staff who may edit
a person or household in their area issue them; every change is audited."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints import tokens
from wangge.checkpoints.config import config
from wangge.checkpoints.models import Pass, PersonalCode
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.regions.models import Household


def _editable_persons(by: User, persons: Iterable[Person]) -> list[int]:
    ids = {person.pk for person in persons}
    allowed = set(
        Person.objects.restrict(by, Action.EDIT).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if allowed != ids:
        raise PermissionDenied("您无权为其中的人员发码 / you may not issue codes to some of them")
    return sorted(ids)


@transaction.atomic
def personal_codes_issue(
    *,
    by: User | None,
    persons: Iterable[Person],
    origin: Origin = Origin.SYSTEM,
    actor_label: str = "",
) -> int:
    """A code for each of `persons` that has none yet; returns how many were issued. `by` None:
    the system issues them for a resident's own household (the residents' portal has checked
    the household and names the account in `actor_label`)."""
    ids = (
        sorted({person.pk for person in persons}) if by is None else _editable_persons(by, persons)
    )
    have = set(PersonalCode.objects.filter(person__in=ids).values_list("person_id", flat=True))
    now = timezone.now()
    codes = []
    for person_id in ids:
        if person_id in have:
            continue
        token = tokens.new_token()
        codes.append(
            PersonalCode(
                person_id=person_id,
                token_sealed=token.sealed,
                token_hash=token.hash,
                issued_at=now,
                issued_by=by,
            )
        )
    PersonalCode.objects.bulk_create(codes)
    if codes:
        audit_record(
            actor=by,
            action="create",
            target_type=PersonalCode._meta.label_lower,
            target_label=f"小区码 {len(codes)} 人 / personal codes for {len(codes)}",
            changes={"persons": [code.person_id for code in codes]},
            origin=origin,
            actor_label=actor_label,
        )
    return len(codes)


@transaction.atomic
def personal_code_reissue(
    *, by: User, person: Person, reason: str = "", origin: Origin = Origin.SYSTEM
) -> PersonalCode:
    """A new code for a lost or misused card: the old one stops working at once."""
    _editable_persons(by, [person])
    token = tokens.new_token()
    code = PersonalCode.objects.select_for_update().filter(person=person).first()
    if code is None:
        code = PersonalCode(person=person, version=0)
    code.version += 1
    code.token_sealed, code.token_hash = token.sealed, token.hash
    code.issued_at, code.issued_by, code.revoked_at = timezone.now(), by, None
    code.save()
    audit_record(
        actor=by,
        action="update",
        target=code,
        changes={"version": code.version, "reason": reason.strip()[:200]},
        origin=origin,
    )
    return code


@transaction.atomic
def personal_code_revoke(
    *, by: User, person: Person, reason: str, origin: Origin = Origin.SYSTEM
) -> PersonalCode:
    _editable_persons(by, [person])
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因 / give a reason"})
    code = PersonalCode.objects.select_for_update().filter(person=person).first()
    if code is None:
        raise ValidationError("该人员尚未发码 / this person has no code")
    if code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        audit_record(
            actor=by, action="update", target=code, changes={"revoked": reason}, origin=origin
        )
    return code


@transaction.atomic
def passes_issue(
    *,
    by: User,
    households: Iterable[Household],
    valid_from: date,
    valid_until: date | None = None,
    exits_per_period: int | None = None,
    period_days: int | None = None,
    note: str = "",
    origin: Origin = Origin.SYSTEM,
) -> list[Pass]:
    """出入证 for each household that holds no valid one, all with the same rule."""
    ids = {household.pk for household in households}
    allowed = Household.objects.restrict(by, Action.EDIT).filter(pk__in=ids)
    if allowed.count() != len(ids):
        raise PermissionDenied("您无权为其中的户发证 / you may not issue passes to some of them")
    settings = config()
    exits = exits_per_period or settings["PASS_EXITS_PER_PERIOD"]
    days = period_days or settings["PASS_PERIOD_DAYS"]
    if exits < 1 or days < 1:
        raise ValidationError("外出人次与天数须大于0 / exits and days must be at least 1")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": "截止日期早于生效日期 / ends before it starts"})
    holding = set(
        Pass.objects.filter(household__in=ids, revoked_at__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    now = timezone.now()
    cards = []
    for household_id in sorted(ids - holding):
        token = tokens.new_token()
        cards.append(
            Pass(
                household_id=household_id,
                exits_per_period=exits,
                period_days=days,
                valid_from=valid_from,
                valid_until=valid_until,
                note=note.strip()[:200],
                token_sealed=token.sealed,
                token_hash=token.hash,
                issued_at=now,
                issued_by=by,
            )
        )
    Pass.objects.bulk_create(cards)
    if cards:
        audit_record(
            actor=by,
            action="create",
            target_type=Pass._meta.label_lower,
            target_label=f"出入证 {len(cards)} 户 / passes for {len(cards)} households",
            changes={
                "households": [card.household_id for card in cards],
                "rule": f"{exits}/{days}d",
                "valid": [str(valid_from), str(valid_until or "")],
            },
            origin=origin,
        )
    return cards


@transaction.atomic
def pass_revoke(*, by: User, card: Pass, reason: str, origin: Origin = Origin.SYSTEM) -> Pass:
    if not Pass.objects.restrict(by, Action.EDIT).filter(pk=card.pk).exists():
        raise PermissionDenied("您无权作废该出入证 / you may not revoke this pass")
    if not reason.strip():
        raise ValidationError({"reason": "请填写作废原因 / give a reason"})
    card = Pass.objects.select_for_update().get(pk=card.pk)
    if card.revoked_at is None:
        card.revoked_at, card.revoke_reason = timezone.now(), reason.strip()[:200]
        card.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=by, action="update", target=card, changes={"revoked": reason}, origin=origin
        )
    return card
