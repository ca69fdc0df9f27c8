"""捐赠: registering a donation (the donation and one batch received per line, in one
transaction), what it was issued to, the street's public thank-you list and the donor's link.

What a donation was issued to follows its batches — those received with it and those a transfer
made from them at other places (`Batch.donation` is copied) — to their ISSUE moves that were not
reversed. Checkpoints and teams are named; households are only counted, never named; an issue to
someone else is summed as 其他. The donor's link is the donation's id signed with the project's key
(`django.core.signing`, its own salt): it cannot be made or altered without the key.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.identity import IdentityError, parse_phone
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.regions.models import Street
from wangge.supplies.models import (
    Batch,
    BatchSource,
    Donation,
    DonorKind,
    Item,
    MoveKind,
    Place,
    RecipientKind,
    StockMove,
    not_reversed,
)
from wangge.supplies.services import stock

DONOR_SALT = "wangge.supplies.donor"
Line = tuple[Item, int, str, date | None]


@dataclass(frozen=True)
class Amount:
    item: str
    quantity: int
    unit: str

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}{self.unit}"


@dataclass
class Recipient:
    """One recipient of a donation's stock: a checkpoint or team by name, households as a count."""

    kind: str
    label: str
    households: int = 0
    amounts: list[Amount] = field(default_factory=list)


@dataclass
class DonationUse:
    given: list[Amount]
    recipients: list[Recipient]
    in_stock: list[Amount]
    written_off: list[Amount]


def _clean_receipt(receipt_no: str) -> str:
    text = str(receipt_no or "").strip()[:40]
    if not text:
        raise ValidationError({"receipt_no": "请填写收据编号 / the receipt number is required"})
    return text


def _clean_phone(phone: str) -> str:
    if not str(phone or "").strip():
        return ""
    try:
        return parse_phone(phone)
    except IdentityError as error:
        raise ValidationError({"phone": str(error)}) from error


def _duplicate(receipt_no: str) -> ValidationError:
    return ValidationError(
        {
            "receipt_no": f"收据编号“{receipt_no}”已在本街道登记过 / receipt number "
            f"{receipt_no} is already registered in this street"
        }
    )


@transaction.atomic
def donation_register(
    *,
    by: Any,
    place: Place,
    receipt_no: str,
    donor_name: str,
    donor_kind: str,
    lines: list[Line],
    phone: str = "",
    public: bool = True,
    note: str = "",
    at: datetime | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Donation:
    """Register a donation received at `place`: the donation and, per line (item, quantity, lot,
    expiry), one batch received as a donation. All or nothing."""
    stock.require_place(by, place)
    receipt_no = _clean_receipt(receipt_no)
    donor_name = str(donor_name or "").strip()[:80]
    if not donor_name:
        raise ValidationError({"donor_name": "请填写捐赠方 / the donor's name is required"})
    if donor_kind not in DonorKind.values:
        raise ValidationError({"donor_kind": "请选择捐赠方类型 / choose the kind of donor"})
    if not lines:
        raise ValidationError({"lines": "请至少填写一项捐赠物资 / give at least one item"})
    if Donation.objects.filter(street_id=place.street_id, receipt_no=receipt_no).exists():
        raise _duplicate(receipt_no)
    at = at or timezone.now()
    donation = Donation(
        street_id=place.street_id,
        community_id=place.community_id,
        place=place,
        receipt_no=receipt_no,
        donor_name=donor_name,
        donor_kind=donor_kind,
        public=bool(public),
        received_at=at,
        note=str(note or "").strip()[:200],
        by=by,
    )
    donation.set_phone(_clean_phone(phone))
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError as error:
        raise _duplicate(receipt_no) from error
    for number, (item, quantity, lot, expiry) in enumerate(lines, start=1):
        try:
            stock.receive(
                by=by,
                place=place,
                item=item,
                quantity=quantity,
                source=BatchSource.DONATION,
                donation=donation,
                lot=lot or "",
                expiry=expiry,
                supplier=donor_name,
                at=at,
                note=f"捐赠 {receipt_no}",
                origin=origin,
            )
        except ValidationError as error:
            raise ValidationError(
                {"lines": [f"第{number}项：{message}" for message in error.messages]}
            ) from error
    audit_record(
        actor=by,
        action="supplies.donation",
        target=donation,
        changes={"receipt_no": receipt_no, "lines": len(lines)},
        origin=origin,
    )
    return donation


def _amounts(rows: Any, total: str) -> list[Amount]:
    return [
        Amount(row["item__name"], abs(row[total]), row["item__unit"]) for row in rows if row[total]
    ]


def _moves(donation: Donation, kind: str) -> Any:
    """The donation's moves of `kind` (at every place its batches reached) not reversed."""
    return StockMove.objects.filter(not_reversed(), batch__donation=donation, kind=kind).order_by(
        "item__name"
    )


def _per_item(moves: Any) -> list[Amount]:
    return _amounts(moves.values("item__name", "item__unit").annotate(total=Sum("change")), "total")


def _recipients(donation: Donation) -> list[Recipient]:
    issues = _moves(donation, MoveKind.ISSUE)
    found: dict[tuple[str, str], Recipient] = {}
    named = (
        issues.exclude(recipient_kind=RecipientKind.HOUSEHOLD)
        .values("recipient_kind", "checkpoint__name", "team__name", "item__name", "item__unit")
        .annotate(total=Sum("change"))
    )
    for row in named:
        kind = row["recipient_kind"]
        label = {
            RecipientKind.CHECKPOINT: row["checkpoint__name"],
            RecipientKind.TEAM: row["team__name"],
        }.get(kind) or _("其他领用")
        recipient = found.setdefault((kind, label), Recipient(kind, label))
        recipient.amounts += _amounts([row], "total")
    homes = issues.filter(recipient_kind=RecipientKind.HOUSEHOLD)
    if homes.exists():
        count = homes.aggregate(n=Count("household", distinct=True))["n"]
        recipient = Recipient(RecipientKind.HOUSEHOLD, _("居民家庭"), households=count)
        recipient.amounts = _per_item(homes)
        found[(RecipientKind.HOUSEHOLD, "")] = recipient
    return list(found.values())


def donation_use(donation: Donation) -> DonationUse:
    """What the donation gave, whom it was issued to, what is still in stock and written off."""
    in_stock = (
        Batch.objects.filter(donation=donation, quantity__gt=0)
        .order_by("item__name")
        .values("item__name", "item__unit")
        .annotate(total=Sum("quantity"))
    )
    return DonationUse(
        given=_per_item(_moves(donation, MoveKind.DONATION)),
        recipients=_recipients(donation),
        in_stock=_amounts(in_stock, "total"),
        written_off=_per_item(_moves(donation, MoveKind.WRITE_OFF)),
    )


@dataclass
class Thanks:
    donors: list[tuple[Donation, list[Amount]]]
    anonymous: int


def thanks_list(street: Street, limit: int = 500) -> Thanks:
    """The street's public thank-you list: donors who agreed, newest first, with what they gave;
    the others only counted."""
    donations = list(Donation.objects.filter(street=street, public=True)[:limit])
    given: dict[int, list[Amount]] = defaultdict(list)
    rows = (
        StockMove.objects.filter(
            not_reversed(),
            kind=MoveKind.DONATION,
            batch__donation__in=[d.pk for d in donations],
        )
        .order_by("batch__donation", "item__name")
        .values("batch__donation", "item__name", "item__unit")
        .annotate(total=Sum("change"))
    )
    for row in rows:
        given[row["batch__donation"]] += _amounts([row], "total")
    return Thanks(
        donors=[(donation, given[donation.pk]) for donation in donations],
        anonymous=Donation.objects.filter(street=street, public=False).count(),
    )


def donor_token(donation: Donation) -> str:
    return signing.Signer(salt=DONOR_SALT).sign(str(donation.pk))


def donor_url(donation: Donation) -> str:
    path = reverse("supplies:donor", args=[donor_token(donation)])
    return settings.WANGGE["SITE_URL"] + path


def donation_by_token(token: str) -> Donation | None:
    """The donation a donor's link names, or None for a forged or altered token."""
    try:
        pk = signing.Signer(salt=DONOR_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not pk.isdigit() or len(pk) > 18:
        return None
    return Donation.objects.filter(pk=int(pk)).select_related("street").first()
