"""The residents' reports and notices on the outbreak's last day, made through the portal's
services: check-ins by residents for some members under a measure, about twenty arrival reports
(some 代办), fifteen self-tests (one positive, which raises its event), and six notices over the
street, the community, the grid and a compound (the compound's urgent one sent by SMS) with read
receipts from a part of the grid's households. The demo login's household (the first of the
demo grid worker's grid with a member under a measure) has some of each, and unread notices."""

import io
import random
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wangge.core import crypto
from wangge.demo.outbreak import notify
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.demo.outbreak.residents import demo_household
from wangge.measures.models import PersonMeasure
from wangge.measures.services.risk_areas import Origin as Place
from wangge.notify.models import Channel
from wangge.people.models import Person
from wangge.regions.models import Compound, Household
from wangge.residents.models import Account, Notice
from wangge.residents.services import (
    ArrivalInput,
    NoticeInput,
    SelfTestInput,
    account_for_phone,
    arrival_file,
    checkin_file,
    notice_publish,
    notice_read,
    self_test_record,
)

ARRIVALS, SELF_TESTS, READERS = 20, 15, 120
READ_SHARE = 0.6
ORIGINS = [
    Place("上海市", "上海市", "浦东新区"),
    Place("广东省", "广州市", "白云区"),
    Place("北京市", "北京市", "朝阳区"),
    Place("浙江省", "杭州市", "西湖区"),
    Place("江苏省", "南京市", "鼓楼区"),
    Place("四川省", "成都市", "武侯区"),
]
TRANSPORTS = ["train", "car", "plane", "bus"]
NOTICES = [
    ("street", "关于进一步做好疫情防控工作的通告", False, 4),
    ("community", "本周六全员核酸检测安排", False, 5),
    ("grid", "网格员值班电话及代购服务", False, 5),
    ("compound", "今晚20:00起小区临时封控", True, 6),
    ("street", "返乡人员请提前三天报备", False, 6),
    ("grid", "居家隔离人员每日两次测温打卡提醒", False, 6),
]


def _account(household: Household) -> Account | None:
    """The household's resident account with its own person first (the demo login's, for the demo
    household), made for the first phone of the household when it has none yet."""
    accounts = Account.objects.filter(household=household).order_by("pk")
    made = accounts.filter(person__isnull=False).first() or accounts.first()
    if made is not None:
        return made
    person = (
        Person.objects.filter(household=household, phone_hash__gt="")
        .exclude(phone_sealed="")
        .order_by("pk")
        .first()
    )
    return account_for_phone(phone=crypto.unseal(person.phone_sealed)) if person else None


def _photo(rng: random.Random) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (250, 250, 250 - rng.randint(0, 40))).save(out, format="JPEG")
    return SimpleUploadedFile("card.jpg", out.getvalue(), content_type="image/jpeg")


def _checkins(cast: Cast, rng: random.Random, first: Household | None) -> None:
    measured = list(
        PersonMeasure.objects.active(cast.calendar.today)
        .filter(status=PersonMeasure.Status.ACTIVE, person__household__isnull=False)
        .select_related("person__household")
        .order_by("pk")[:120]
    )
    chosen = [m for m in measured if m.person.household == first or rng.random() < 0.35]
    with moment(cast.calendar.now):
        for measure in chosen:
            account = _account(measure.person.household)
            if account is not None and account.household_id == measure.person.household_id:
                checkin_file(
                    account=account,
                    person=measure.person,
                    temperature=rng.choice(["36.4", "36.5", "36.6", "36.8"]),
                    client_id=f"demo-resident-{measure.pk}",
                )


def _members_with_accounts(
    cast: Cast, count: int, rng: random.Random
) -> list[tuple[Account, Person]]:
    """(account, member) pairs in the street: the account of the household's first phone, for
    itself or (about one in four) for another member."""
    pairs = []
    persons = list(cast.residents(phone_hash__gt="")[: count * 8])
    for person in rng.sample(persons, min(len(persons), count * 2)):
        account = _account(person.household)
        if account is None or account.household_id != person.household_id:
            continue
        pairs.append((account, person))
        if len(pairs) == count:
            break
    return pairs


def _arrivals(cast: Cast, rng: random.Random, first: Household | None) -> None:
    pairs = _members_with_accounts(cast, ARRIVALS, rng)
    if first is not None and (own := _account(first)) is not None:
        pairs[:1] = [(own, Person.objects.filter(household=first).order_by("-pk")[0])]
    for number, (account, person) in enumerate(pairs):
        arrived = cast.calendar.at(6 - number % 3, 9 + number % 10, 15)
        with moment(arrived + timedelta(minutes=30)):
            arrival_file(
                account=account,
                person=person,
                data=ArrivalInput(
                    origin=rng.choice(ORIGINS),
                    departed_on=arrived.date() - timedelta(days=rng.randint(0, 1)),
                    arrived_at=arrived,
                    transport=rng.choice(TRANSPORTS),
                    transport_detail=f"G{rng.randint(100, 9999)}",
                    test_result="negative",
                    test_on=arrived.date() - timedelta(days=1),
                ),
            )


def _self_tests(cast: Cast, rng: random.Random, first: Household | None) -> None:
    pairs = _members_with_accounts(cast, SELF_TESTS, rng)
    if first is not None and (own := _account(first)) is not None:
        pairs[:1] = [(own, Person.objects.filter(household=first).order_by("pk")[0])]
    for number, (account, person) in enumerate(pairs):
        at = cast.calendar.at(6 - number % 2, 7 + number % 5, 40)
        with moment(at + timedelta(minutes=20)):
            self_test_record(
                account=account,
                person=person,
                data=SelfTestInput(
                    client_id=f"demo-selftest-{number}",
                    result="positive" if number == SELF_TESTS - 1 else "negative",
                    photo=_photo(rng),
                    tested_at=at,
                ),
            )


def _notices(cast: Cast) -> list[Notice]:
    grid = cast.grid
    compound = Compound.objects.filter(buildings__grid=grid).order_by("pk").first()
    areas: dict[str, Any] = {
        "street": cast.street,
        "community": grid.community,
        "grid": grid,
        "compound": compound,
    }
    authors = {
        "street": cast.commander,
        "community": cast.community_worker,
        "grid": cast.grid_worker,
        "compound": cast.community_worker,
    }
    made = []
    for number, (level, title, urgent, day) in enumerate(NOTICES):
        with moment(cast.calendar.at(day, 8 + number, 10)):
            made.append(
                notice_publish(
                    by=authors[level],
                    data=NoticeInput(
                        level=level,
                        area_id=areas[level].pk,
                        title=title,
                        text=f"{title}。请各位居民相互转告，如有疑问请联系所在网格员。",
                        urgent=urgent,
                    ),
                )
            )
            if urgent:
                # the urgent notice's SMS leaves through the engine, as the worker would send it
                notify.play(Channel.SMS, notify.ScriptedSms(random.Random(number)))
    return made


def _reads(cast: Cast, rng: random.Random, notices: list[Notice], first: Household | None) -> None:
    households = list(Household.objects.filter(grid=cast.grid).order_by("pk")[:READERS])
    with moment(cast.calendar.now):
        for household in households:
            account = _account(household)
            if account is None or account.household_id != household.pk:
                continue
            seen = set(
                Notice.objects.filter(Notice.for_household(household)).values_list("pk", flat=True)
            )
            for notice in notices:
                kept = household != first or notice.pk % 2
                if notice.pk in seen and kept and rng.random() < READ_SHARE:
                    notice_read(account=account, notice=notice)


def residents_reports_seed(cast: Cast, rng: random.Random) -> None:
    first = demo_household(cast.grid)
    _checkins(cast, rng, first)
    _arrivals(cast, rng, first)
    _self_tests(cast, rng, first)
    _reads(cast, rng, _notices(cast), first)
