"""A traced case for the API and export tests: Zhang San's case of today, traced by the system, with
Li Si (grid A1) at the east gate 10 minutes after him, Zhao Liu (grid D) at the noodle shop 5
minutes before him, Wang Wu (grid B) at the tea house 5 minutes after Li Si (the second hop,
through Li Si); and today's rules naming the close-contact and contact-of-contact measures."""

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from wangge.checkpoints.models import Checkpoint, Scan
from wangge.checkpoints.services import CheckpointData, checkpoint_create
from wangge.measures.models import Case, MeasureType, RuleSet
from wangge.tracing.models import Candidate
from wangge.tracing.services.trace import trace_run
from wangge.venues.models import VenueKind, Visit
from wangge.venues.services.register import VenueData, venue_create


@dataclass
class Scene:
    case: Case
    candidates: dict[str, Candidate]
    gate_at: datetime


def _rules(today) -> None:
    rule_set = RuleSet.objects.create(
        name="今日方案", kind=RuleSet.Kind.LOCAL, effective_from=today - timedelta(days=1)
    )
    for applies_to, days in (
        (MeasureType.AppliesTo.CLOSE_CONTACT, 7),
        (MeasureType.AppliesTo.CONTACT_OF_CONTACT, 5),
    ):
        MeasureType.objects.create(
            rule_set=rule_set,
            name=f"方案{applies_to}",
            category=MeasureType.Category.HOME_ISOLATION,
            household_colour=MeasureType.Colour.RED,
            applies_to=applies_to,
            duration_days=days,
            test_days=[1],
            checkin_times=["08:00"],
        )


def traced_scene(world) -> Scene:
    p = world.persons
    today = timezone.localdate()
    _rules(today)
    gate = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园东门",
            kind=Checkpoint.Kind.COMPOUND_GATE,
            community=world.east,
            compound=world.households["a"].building.compound,
        ),
    )
    kind = VenueKind.objects.get(name="餐饮店")
    shop = venue_create(by=None, data=VenueData(name="老街面馆", kind=kind, grid=world.grid_a))
    tea = venue_create(by=None, data=VenueData(name="茶馆", kind=kind, grid=world.grid_a))
    zone = timezone.get_current_timezone()
    at = datetime.combine(today - timedelta(days=1), time(10), tzinfo=zone)
    for person, when in ((p["zhang_san"], at), (p["li_si"], at + timedelta(minutes=10))):
        Scan.objects.create(
            client_id=uuid.uuid4().hex,
            checkpoint=gate,
            direction="in",
            method="code",
            verdict="pass",
            person=person,
            scanned_at=when,
        )
    noon = at + timedelta(hours=2)
    Visit.objects.create(venue=shop, person=p["zhang_san"], at=noon)
    Visit.objects.create(venue=shop, person=p["zhao_liu"], at=noon - timedelta(minutes=5))
    Visit.objects.create(venue=tea, person=p["li_si"], at=noon + timedelta(hours=3))
    Visit.objects.create(venue=tea, person=p["wang_wu"], at=noon + timedelta(hours=3, minutes=5))
    case = Case.objects.create(person=p["zhang_san"], kind=Case.Kind.CONFIRMED, reported_on=today)
    trace_run(by=None, case=case)
    candidates = {
        key: Candidate.objects.get(case=case, person=p[key])
        for key in ("li_si", "wang_wu", "zhao_liu")
    }
    return Scene(case, candidates, at)
