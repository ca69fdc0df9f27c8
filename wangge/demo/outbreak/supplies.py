"""Supplies on the demo street: a month of stock ending now, written in bulk.

Places: the street warehouse, a hospital-agreement reserve (协议储备库), one store per community
and a service point for each service-point checkpoint. A catalogue of ten items. The month, played
in time order through an in-memory ledger (first expiry first out, as the stock services pick):
purchases and donations (Donation rows, two donors opted out of the thank-you list) into the
warehouse and the reserve, weekly transfers to the community stores, issues to checkpoints, teams
and households (daily from the first community's store, every third day from the others), a few
write-offs and one reversal. The first community's antigen kits and the last community's masks and
fever medicine missed their last deliveries, so those stores run low. Short-dated lots sit in the
first community's store and an expired lot in the reserve. Low-stock lines on the stores and the
warehouse, and the stock sweep run now. Needs in every status for the first community's
checkpoints, its volunteer team and the demo grid's households, some late, each picked one issued
by ISSUE moves that name it. Every batch's moves run to its balance, and its quantity is their sum.
This morning's count of the first community's store waits for approval, two boxes short.
"""

import random
from datetime import date, datetime, timedelta
from functools import partial

from django.utils import timezone

from wangge.checkpoints.models import Checkpoint
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.demo.outbreak.supplies_ledger import Ledger, Street
from wangge.demo.outbreak.supplies_needs import (
    Recipients,
    needs_seed,
    recipient_for,
    recipients_of,
)
from wangge.regions.models import Community
from wangge.supplies.models import (
    BatchSource,
    Donation,
    DonorKind,
    Item,
    ItemCategory,
    MoveKind,
    NeedLine,
    PickingMode,
    Place,
    PlaceKind,
    RecipientKind,
    StockCount,
    StockCountLine,
    StockMove,
    StockThreshold,
    WriteOffReason,
)
from wangge.supplies.services.alerts import stock_alerts_send

MONTH = 30
P, D, T, F, M = (
    ItemCategory.PROTECTION,
    ItemCategory.DISINFECTION,
    ItemCategory.TESTING,
    ItemCategory.FOOD,
    ItemCategory.MEDICINE,
)
# name, category, unit, pack size, pack unit, shelf days (None: no expiry), FORCE picking,
# orderable by households, units a community store issues a day, to whom
ITEMS = [
    ("医用外科口罩", P, "个", 50, "盒", 720, False, False, 150, "checkpoint"),
    ("防护服", P, "套", 20, "箱", 540, False, False, 12, "checkpoint"),
    ("医用手套", P, "副", 100, "盒", 720, False, False, 40, "team"),
    ("84消毒液", D, "瓶", 24, "箱", 365, False, False, 8, "team"),
    ("酒精湿巾", D, "包", 40, "箱", 365, False, True, 10, "household"),
    ("抗原检测试剂", T, "份", 40, "箱", 180, True, False, 60, "checkpoint"),
    ("保供蔬菜包", F, "份", 1, "", None, False, True, 15, "household"),
    ("米面粮油包", F, "份", 1, "", 180, False, True, 6, "household"),
    ("退烧药", M, "盒", 1, "", 720, False, True, 4, "household"),
    ("血压药", M, "盒", 1, "", 720, False, True, 2, "household"),
]
DONORS = [
    ("江南医疗器械有限公司", DonorKind.COMPANY, True, "医用外科口罩", 6000),
    ("王建国", DonorKind.PERSON, False, "退烧药", 60),
    ("县慈善总会", DonorKind.ORGANISATION, True, "防护服", 300),
    ("鲜丰果蔬超市", DonorKind.COMPANY, True, "保供蔬菜包", 400),
    ("李秀英", DonorKind.PERSON, False, "酒精湿巾", 200),
    ("春晓商会", DonorKind.ORGANISATION, True, "米面粮油包", 150),
]
ITEMS_OF_ALL = ["医用外科口罩", "84消毒液", "抗原检测试剂", "保供蔬菜包", "退烧药"]
WEEK = 7
LOW_LINES = {"医用外科口罩": 3, "抗原检测试剂": 3, "保供蔬菜包": 2, "退烧药": 3}  # days of use


def supplies_seed(cast: Cast, rng: random.Random) -> None:
    now = cast.calendar.now
    street = _street(cast, rng, now)
    ledger = Ledger(by=cast.commander)
    recipients = recipients_of(cast)
    _receipts(street, ledger)
    _flows(street, ledger, recipients)
    needs = needs_seed(street, ledger, recipients)
    for _at, _seq, run in sorted(street.events, key=lambda e: (e[0], e[1])):
        run()
    ledger.save()
    NeedLine.objects.bulk_create(needs)
    _lines(street, ledger)
    _count(cast, now)
    with moment(now):
        stock_alerts_send(now=now)


def _count(cast: Cast, now: datetime) -> None:
    """This morning's count of the first community's store, submitted by its community worker and
    waiting for the commander's approval: every batch as on the books but two boxes short."""
    store = Place.objects.filter(community=cast.community, kind=PlaceKind.COMMUNITY_STORE).first()
    if store is None:
        return
    batches = list(store.batches.filter(quantity__gt=0).order_by("pk"))
    count = StockCount.objects.create(
        place=store,
        counted_at=now - timedelta(hours=2),
        by=cast.community_worker,
        file_name="盘点表.xlsx",
    )
    StockCountLine.objects.bulk_create(
        StockCountLine(
            count=count,
            item_id=batch.item_id,
            batch=batch,
            lot=batch.lot,
            expiry=batch.expiry,
            expected=batch.quantity,
            counted=max(batch.quantity - 2, 0) if index == 0 else batch.quantity,
            note="两盒破损" if index == 0 else "",
        )
        for index, batch in enumerate(batches)
    )


def _street(cast: Cast, rng: random.Random, now: datetime) -> Street:
    items = Item.objects.bulk_create(
        [
            Item(
                street=cast.street,
                name=name,
                category=category,
                unit=unit,
                pack_size=pack,
                pack_unit=pack_unit,
                has_expiry=shelf is not None,
                picking=PickingMode.FORCE if force else PickingMode.WARN,
                household_orderable=orderable,
            )
            for name, category, unit, pack, pack_unit, shelf, force, orderable, *_ in ITEMS
        ]
    )
    communities = list(Community.objects.filter(street=cast.street).order_by("pk"))
    workers = {cast.community.pk: cast.community_worker}
    places = [
        Place(
            street=cast.street,
            name="街道物资仓库",
            kind=PlaceKind.STREET_WAREHOUSE,
            address="江南大道1号",
            keeper=cast.commander,
        ),
        Place(
            street=cast.street,
            name="协议储备库（县人民医院）",
            kind=PlaceKind.AGREEMENT,
            address="县人民医院后勤楼",
        ),
        *[
            Place(
                street=cast.street,
                community=c,
                name=f"{c.name}物资点",
                kind=PlaceKind.COMMUNITY_STORE,
                keeper=workers.get(c.pk),
            )
            for c in communities
        ],
        *[
            Place(
                street=cast.street,
                community_id=checkpoint.community_id,
                checkpoint=checkpoint,
                name=f"{checkpoint.name}服务点",
                kind=PlaceKind.SERVICE_POINT,
            )
            for checkpoint in Checkpoint.objects.filter(
                community__street=cast.street, kind=Checkpoint.Kind.SERVICE_POINT
            ).order_by("pk")
        ],
    ]
    Place.objects.bulk_create(places)
    stores = {p.community_id: p for p in places if p.kind == PlaceKind.COMMUNITY_STORE}
    return Street(
        cast=cast,
        rng=rng,
        now=now,
        items={item.name: item for item in items},
        warehouse=places[0],
        reserve=places[1],
        stores=stores,  # type: ignore[arg-type]
        use={row[0]: row[8] for row in ITEMS},
    )


def _expiry(street: Street, name: str, received: datetime) -> date | None:
    shelf = next(row[5] for row in ITEMS if row[0] == name)
    return None if shelf is None else timezone.localdate(received) + timedelta(days=shelf)


def _receipts(street: Street, ledger: Ledger) -> None:
    """Purchases at the start of the month and mid-month, the donations, the reserve's stock
    (one lot of it expired), and lots that expire within the month ahead."""
    stores = len(street.stores)
    today = timezone.localdate(street.now)
    for days_ago in (MONTH, 15):
        at = street.at(days_ago, 9)
        for name, item in street.items.items():
            quantity = street.use[name] * (stores if name in ITEMS_OF_ALL else 1) * 20
            street.on(
                at,
                partial(
                    ledger.receive,
                    street.warehouse,
                    item,
                    quantity,
                    at,
                    lot=f"{item.pk:02d}{days_ago:02d}",
                    expiry=_expiry(street, name, at),
                    source=BatchSource.PURCHASE,
                    supplier="县应急物资公司",
                ),
            )
    soon = [("米面粮油包", 10, 60), ("酒精湿巾", 20, 300), ("医用外科口罩", 25, 2000)]
    for name, days, quantity in soon:  # a short-dated purchase, straight to the first store
        at = street.at(2, 9)
        expiry = today + timedelta(days=days)
        street.on(
            at,
            partial(
                ledger.receive,
                street.stores[street.cast.community.pk],
                street.items[name],
                quantity,
                at,
                lot="临期",
                expiry=expiry,
                source=BatchSource.PURCHASE,
                supplier="县应急物资公司",
            ),
        )
    reserve: list[tuple[str, int, int | None]] = [
        ("医用外科口罩", 20000, None),
        ("防护服", 1000, None),
        ("退烧药", 30, -2),  # expired two days ago, still on the shelf
        ("抗原检测试剂", 3000, 18),
    ]
    for name, amount, offset in reserve:
        at = street.at(MONTH, 8)
        until = _expiry(street, name, at) if offset is None else today + timedelta(days=offset)
        street.on(
            at,
            partial(
                ledger.receive,
                street.reserve,
                street.items[name],
                amount,
                at,
                lot="协议储备",
                expiry=until,
                source=BatchSource.PURCHASE,
                supplier="县人民医院",
            ),
        )
    donations = []
    for index, (donor, kind, public, name, quantity) in enumerate(DONORS):
        at = street.at(MONTH - 2 - index * 4, 14)
        donation = Donation(
            street=street.cast.street,
            place=street.warehouse,
            receipt_no=f"JN-{timezone.localdate(at):%Y%m%d}-{index + 1:02d}",
            donor_name=donor,
            donor_kind=kind,
            public=public,
            received_at=at,
            by=street.cast.commander,
        )
        if kind == DonorKind.PERSON:
            donation.set_phone(f"1385710{index:04d}")
        donations.append(donation)
        street.on(
            at,
            partial(
                ledger.receive,
                street.warehouse,
                street.items[name],
                quantity,
                at,
                lot=donation.receipt_no,
                expiry=_expiry(street, name, at),
                source=BatchSource.DONATION,
                donation=donation,
            ),
        )
    Donation.objects.bulk_create(donations)


def _flows(street: Street, ledger: Ledger, recipients: Recipients) -> None:
    """Transfers to the stores every week (the whole catalogue to the first community's, the
    main items to the others), issues from the first community's store every day and from the
    others every third day, a transfer from the reserve, write-offs, one reversal."""
    rng, cast = street.rng, street.cast
    first = cast.community.pk
    last = max(street.stores)
    # deliveries that did not come lately (days ago since): these stores run low
    short = {(first, "抗原检测试剂"): 8, (last, "医用外科口罩"): 8, (last, "退烧药"): 8}
    for days_ago in range(MONTH - 2, -1, -WEEK):
        at = street.at(days_ago, 10)
        for community_id, store in street.stores.items():
            for name in ITEMS_OF_ALL if community_id != first else street.items:
                if days_ago < short.get((community_id, name), 0):
                    continue
                quantity = round(street.use[name] * WEEK * rng.uniform(0.9, 1.2))
                street.on(
                    at,
                    partial(
                        ledger.transfer, street.warehouse, store, street.items[name], quantity, at
                    ),
                )
    for days_ago in range(MONTH - 3, -1, -1):
        for community_id, store in street.stores.items():
            for index, (name, item) in enumerate(street.items.items()):
                every = 1 if community_id == first else 3  # the other stores: every third day
                turn = (days_ago + index + community_id) % every  # the stores take turns
                if every > 1 and (name not in ITEMS_OF_ALL or turn):
                    continue
                at = street.at(days_ago, 11 + index % 6, 3 * index + community_id % 3)
                quantity = max(1, round(street.use[name] * every * rng.uniform(0.6, 1.3)))
                recipient = recipient_for(street, recipients, community_id, ITEMS[index][9])
                street.on(at, partial(ledger.issue, store, item, quantity, at, **recipient))
    at = street.at(22, 15)
    masks = street.items["医用外科口罩"]
    street.on(at, partial(ledger.transfer, street.reserve, street.warehouse, masks, 3000, at))
    first_store = street.stores[cast.community.pk]
    remembered: list[StockMove] = []

    def wrong_issue() -> None:
        remembered.extend(
            ledger.issue(
                first_store,
                street.items["医用手套"],
                200,
                street.at(5, 16, 40),
                recipient_kind=RecipientKind.OTHER,
                recipient_label="春晓农贸市场",
                note="数量录入有误",
                by=cast.community_worker,
            )
        )

    def reverse() -> None:
        for move in remembered:
            ledger.reverse(move, street.at(4, 8, 30), "数量录错，应为20副，冲正后重新登记")

    street.on(street.at(5, 16, 40), wrong_issue)
    street.on(street.at(4, 8, 30), reverse)
    write_offs = [
        (12, street.warehouse, "84消毒液", 24, WriteOffReason.DAMAGED, "搬运时整箱破损"),
        (3, first_store, "防护服", 2, WriteOffReason.DAMAGED, "拉链损坏"),
        (8, first_store, "保供蔬菜包", 3, WriteOffReason.EXPIRED, "蔬菜变质"),
        (2, street.warehouse, "酒精湿巾", 5, WriteOffReason.LOST, "盘点少了5包"),
    ]
    for days_ago, place, name, quantity, reason, note in write_offs:
        at = street.at(days_ago, 17)

        def write_off(place=place, name=name, quantity=quantity, reason=reason, note=note, at=at):
            for batch, take in ledger.picks(place, street.items[name], quantity, at.date()):
                ledger.move(
                    batch, MoveKind.WRITE_OFF, -take, at, write_off_reason=reason, note=note
                )

        street.on(at, write_off)


def _lines(street: Street, ledger: Ledger) -> None:
    """Low-stock lines: a few days of use at each store, and the warehouse's."""
    stores = len(street.stores)
    lines = [
        StockThreshold(place=store, item=street.items[name], minimum=street.use[name] * days)
        for store in street.stores.values()
        for name, days in LOW_LINES.items()
    ]
    lines += [
        StockThreshold(
            place=street.warehouse,
            item=street.items[name],
            minimum=street.use[name] * stores * days,
        )
        for name, days in LOW_LINES.items()
    ]
    StockThreshold.objects.bulk_create(lines)
