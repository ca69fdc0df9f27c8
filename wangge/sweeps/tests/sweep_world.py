"""A running campaign over the persona world's street, its visits made directly (the campaign
services are not what these tests are about)."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from conftest import World, _person
from wangge.regions.models import Household
from wangge.sweeps.models import Campaign, CampaignStatus, Proposal, Visit, VisitStatus


@dataclass
class Sweep:
    campaign: Campaign
    visits: dict[str, Visit] = field(default_factory=dict)


def sweep_of(world: World) -> Sweep:
    """Grid A's 1幢 gets three more rooms; the statuses: a answered (张三), a-102 proxy, a-201
    refused, a-202 pending, a1 answered (李四), b moved, d pending."""
    now = timezone.now()
    campaign = Campaign.objects.create(
        name="全面扫楼",
        street=world.street,
        deadline=now + timedelta(days=3),
        status=CampaignStatus.RUNNING,
        started_at=now,
        checks=["travel", "vaccination"],
    )
    campaign.grids.set([world.grid_a, world.grid_a1, world.grid_b, world.grid_d])
    households = dict(world.households)
    building = world.households["a"].building
    for key, room in (("a102", "102"), ("a201", "201"), ("a202", "202")):
        households[key] = Household.objects.create(
            building=building, grid=world.grid_a, unit="1", floor=int(room[0]), room=room
        )
    _person(households["a102"], "钱七", 12, "13500005555")
    _person(households["a102"], "孙八", 13, "13500006666")
    statuses = {  # and the members each answer accounted for
        "a": (VisitStatus.ANSWERED, 1),
        "a102": (VisitStatus.PROXY, 2),
        "a201": (VisitStatus.REFUSED, 0),
        "a202": (VisitStatus.PENDING, 0),
        "a1": (VisitStatus.ANSWERED, 1),
        "b": (VisitStatus.MOVED, 0),
        "d": (VisitStatus.PENDING, 0),
    }
    sweep = Sweep(campaign)
    for key, (status, persons) in statuses.items():
        household = households[key]
        sweep.visits[key] = Visit.objects.create(
            campaign=campaign,
            household=household,
            grid=household.grid,
            building=household.building,
            status=status,
            persons=persons,
            closed_at=None if status == VisitStatus.PENDING else now,
        )
    return sweep


def proposal_of(visit: Visit, finding: str, person=None, **details) -> Proposal:
    return Proposal.objects.create(visit=visit, kind=finding, person=person, details=details)
