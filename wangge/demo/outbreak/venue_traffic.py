"""What happened at the demo venues over the last days besides inspections: visits by venue code
(phones sealed as the public page seals them, some visitors by their personal code, two flagged),
and disinfection — the street's rule (elevators of buildings with home isolation twice a day), the
elevator logs of those buildings day by day (a few days with one log short, alerted at 18:00 as the
sweep does, and today's second log still missing in some), and the markets' and shops' own logs."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from wangge.core import crypto
from wangge.core.masking import mask_phone
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.demo.outbreak.notify import play
from wangge.demo.outbreak.venue_names import mobile
from wangge.notify.channels import adapter_for
from wangge.notify.models import Channel
from wangge.venues.models import (
    DisinfectionLog,
    EventKind,
    PlaceKind,
    Venue,
    VenueEvent,
    VenueStatus,
    Visit,
)
from wangge.venues.services.disinfection_rules import (
    disinfection_rule_default,
    requirement_status,
    rule_alert,
)

VISIT_DAYS = 5
VISITS_PER_DAY = 300
PHONES = 400
PERSON_SHARE = 0.3
LOG_DAYS = 7
SHORT_SHARE = 0.15  # elevators one log short on a past day
TODAY_SHORT_SHARE = 0.35  # elevators still without today's second log
ELEVATOR_AGENTS = ("含氯消毒液擦拭按键及轿厢", "75%酒精擦拭按键", "过氧乙酸喷洒轿厢")
VENUE_AGENTS = ("含氯消毒液拖地、擦拭台面", "紫外线灯照射", "喷洒消毒液", "酒精擦拭收银台")
DISINFECTED_KINDS = ("农贸市场", "市场摊位", "商超", "餐饮店", "冷链经营")


def _moment(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _sealed_phones(rng: random.Random) -> list[tuple[str, str, str]]:
    phones = [mobile(rng) for _ in range(PHONES)]
    return [(crypto.seal(p), crypto.blind_index(p), mask_phone(p)) for p in phones]


def visits_create(cast: Cast, rng: random.Random, venues: list[Venue]) -> None:
    """About 300 visits a day over the last five days, between 07:00 and 21:00 and never after
    now, at the venues open then; the same phone at two venues far apart within ten minutes is
    flagged twice."""
    open_venues = [v for v in venues if v.status in (VenueStatus.OPEN, VenueStatus.YELLOW)]
    phones = _sealed_phones(rng)
    persons = list(cast.residents()[:300])
    now = cast.calendar.now
    visits = []
    for days_ago in range(VISIT_DAYS):
        day = cast.calendar.today - timedelta(days=days_ago)
        for _ in range(VISITS_PER_DAY):
            at = _moment(day, rng.randint(7, 20), rng.randrange(60))
            if at > now:
                continue
            visit = Visit(venue=rng.choice(open_venues), at=at)
            if persons and rng.random() < PERSON_SHARE:
                visit.person = rng.choice(persons)
            else:
                visit.phone_sealed, visit.phone_hash, visit.phone_masked = rng.choice(phones)
            visit.address_hash = crypto.blind_index(f"10.{rng.randrange(4)}.0.{rng.randrange(250)}")
            visits.append(visit)
    far = sorted(open_venues, key=lambda v: (v.latitude, v.longitude))
    at = now - timedelta(hours=1)
    sealed, digest, masked = phones[0]
    for venue, minutes in ((far[0], 0), (far[-1], 6)):
        visits.append(
            Visit(
                venue=venue,
                at=at + timedelta(minutes=minutes),
                phone_sealed=sealed,
                phone_hash=digest,
                phone_masked=masked,
                flag="10分钟内到访相距2公里以上的两处场所",
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)


def _by(cast: Cast, grid_id: int) -> Any:
    return cast.grid_worker if grid_id == cast.grid.pk else cast.commander


def _elevator_logs(cast: Cast, rng: random.Random, day: date, statuses: list[Any]) -> list:
    """The day's elevator logs of these buildings: 08:xx and 14:xx, never after now; on a past
    day a few buildings get only the first, today some are still waiting for the second."""
    today = day == cast.calendar.today
    short = TODAY_SHORT_SHARE if today else SHORT_SHARE
    logs = []
    for status in statuses:
        building = status.building
        times = [(8, rng.randrange(60))]
        if rng.random() >= short:
            times.append((14, rng.randrange(60)))
        for number, (hour, minute) in enumerate(times):
            done_at = _moment(day, hour, minute)
            if done_at > cast.calendar.now:
                continue
            logs.append(
                DisinfectionLog(
                    client_id=f"demo-elevator-{building.pk}-{day:%Y%m%d}-{number}",
                    place=PlaceKind.ELEVATOR,
                    building=building,
                    location=f"{rng.randint(1, max(1, building.units))}单元电梯",
                    agent=rng.choice(ELEVATOR_AGENTS),
                    done_at=done_at,
                    done_by=_by(cast, building.grid_id),
                    done_by_name=f"物业保洁{rng.choice('王李张刘陈')}师傅",
                )
            )
    return logs


def _venue_logs(cast: Cast, rng: random.Random, venues: list[Venue]) -> list[DisinfectionLog]:
    """Every market, stall, shop and restaurant open that day logs its own disinfection once."""
    logs = []
    for venue in venues:
        if venue.kind.name not in DISINFECTED_KINDS or venue.status == VenueStatus.CLOSED:
            continue
        stall = venue.kind.name == "市场摊位"
        for days_ago in range(LOG_DAYS):
            done_at = _moment(
                cast.calendar.today - timedelta(days=days_ago), rng.randint(6, 9), rng.randrange(60)
            )
            if done_at > cast.calendar.now:
                continue
            logs.append(
                DisinfectionLog(
                    client_id=f"demo-venue-{venue.pk}-{days_ago}",
                    place=PlaceKind.STALL if stall else PlaceKind.VENUE,
                    venue=venue,
                    location="摊位及周边"
                    if stall
                    else rng.choice(("大厅", "后厨", "收银台", "货架区")),
                    agent=rng.choice(VENUE_AGENTS),
                    done_at=done_at,
                    done_by=cast.inspector
                    if venue.grid.community_id == cast.community.pk
                    else cast.commander,
                    done_by_name=venue.responsible_name,
                )
            )
    return logs


def disinfection_create(cast: Cast, rng: random.Random, venues: list[Venue]) -> None:
    rule = disinfection_rule_default(street=cast.street, by=cast.commander)
    logs = _venue_logs(cast, rng, venues)
    for days_ago in reversed(range(LOG_DAYS)):
        day = cast.calendar.today - timedelta(days=days_ago)
        statuses = requirement_status(rule, day)
        day_logs = _elevator_logs(cast, rng, day, statuses)
        DisinfectionLog.objects.bulk_create(day_logs)
        alert_at = _moment(day, rule.alert_hour, 0)
        if days_ago and statuses:
            with moment(alert_at):
                rule_alert(rule.pk, now=alert_at)
                play(Channel.INAPP, adapter_for(Channel.INAPP))
    DisinfectionLog.objects.bulk_create(logs, batch_size=2000)
    places = {value: str(label) for value, label in PlaceKind.choices}
    VenueEvent.objects.bulk_create(
        [
            VenueEvent(
                venue=log.venue,
                kind=EventKind.DISINFECTED,
                at=log.done_at,
                by=log.done_by,
                text=f"{places[log.place]}{log.location}：{log.agent}",
            )
            for log in logs
        ]
    )
