"""访客登记: an unregistered person at a gate — name, phone, ID, purpose and the household visited.

The host household is found from the address the visitor gives ("3幢2单元301") inside the
checkpoint's compound (or community); staff learn only whether it matched, never who lives there.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from wangge.accounts.models import User
from wangge.checkpoints.models import Checkpoint, Visitor
from wangge.checkpoints.rules import RED, YELLOW
from wangge.core import crypto
from wangge.core.identity import IdentityError, normalise_text, parse_phone
from wangge.core.masking import mask_id_number, mask_phone
from wangge.core.services import audit_record
from wangge.people.addresses import parse_address
from wangge.regions.models import Household

COLOURS = ("green", YELLOW, RED)


@dataclass(frozen=True)
class VisitorData:
    name: str
    purpose: str
    id_number: str = ""
    phone: str = ""
    host_address: str = ""
    code_colour: str = ""  # as shown on the visitor's own phone: green, yellow or red


def host_household(checkpoint: Checkpoint, address: str) -> Household | None:
    """The one household at `address` near the checkpoint, or None."""
    parsed = parse_address(address)
    if parsed is None or not parsed.room:
        return None
    near = Q(building__compound__community=checkpoint.community_id)
    compound_id = checkpoint.compound_id or (
        checkpoint.building.compound_id if checkpoint.building is not None else None
    )
    if compound_id and not parsed.compound:
        near = Q(building__compound=compound_id)
    elif parsed.compound:
        near &= Q(building__compound__name__contains=parsed.compound)
    matches = list(
        Household.objects.filter(
            near, building__name=parsed.building, unit=parsed.unit, room=parsed.room
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _clean(data: VisitorData) -> tuple[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "请填写访客姓名 / the visitor's name is required"
    if not data.purpose.strip():
        errors["purpose"] = "请填写来访事由 / the purpose of the visit is required"
    if data.code_colour not in COLOURS:
        errors["code_colour"] = "请选择访客出示的健康码颜色 / choose the colour the visitor shows"
    number = normalise_text(data.id_number).replace(" ", "").upper()
    if number and len(number) < 5:
        errors["id_number"] = "证件号码不完整 / the ID number is incomplete"
    phone = ""
    if data.phone.strip():
        try:
            phone = parse_phone(data.phone)
        except IdentityError as error:
            errors["phone"] = str(error)
    if not number and not phone:
        errors["phone"] = "证件号码和电话至少填一项 / give an ID number or a phone"
    if errors:
        raise ValidationError(errors)
    return number, phone


@transaction.atomic
def visitor_register(*, by: User, checkpoint: Checkpoint, data: VisitorData) -> Visitor:
    number, phone = _clean(data)
    visitor = Visitor.objects.create(
        name=data.name.strip()[:50],
        id_number_sealed=crypto.seal(number),
        id_number_hash=crypto.blind_index(number),
        id_number_masked=mask_id_number(number),
        phone_sealed=crypto.seal(phone),
        phone_masked=mask_phone(phone),
        purpose=data.purpose.strip()[:200],
        checkpoint=checkpoint,
        host_household=host_household(checkpoint, data.host_address),
        host_address=data.host_address.strip()[:200],
        by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action="create",
        target=visitor,
        changes={
            "checkpoint": checkpoint.pk,
            "id_number": visitor.id_number_masked,
            "phone": visitor.phone_masked,
            "host_household": visitor.host_household_id,
        },
    )
    return visitor
