"""Who acts in the outbreak and where it starts: the demo staff by role, and the building of the
first grid where the first case lives (its largest)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from wangge.accounts.models import User
from wangge.demo.outbreak.clock import Calendar
from wangge.measures.services import Team
from wangge.people.models import Person
from wangge.regions.models import Building, Community, Grid, Street


@dataclass(frozen=True)
class Cast:
    calendar: Calendar
    street: Street
    community: Community
    grid: Grid
    building: Building
    commander: Any
    community_worker: Any
    grid_worker: Any
    checkpoint: Any
    inspector: Any
    tracer: Any
    team: Team

    def residents(self, **where: Any) -> Any:
        """Persons present in the street, in a fixed order."""
        return (
            Person.objects.filter(
                household__grid__community__street=self.street,
                status=Person.Status.PRESENT,
                **where,
            )
            .select_related("household__building", "household__grid")
            .order_by("pk")
        )


def cast_of(*, street: Street, community: Community, grid: Grid, calendar: Calendar) -> Cast:
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    building = (
        Building.objects.filter(grid=grid)
        .annotate(people=Count("households__members"))
        .order_by("-people", "pk")
        .first()
    )
    return Cast(
        calendar=calendar,
        street=street,
        community=community,
        grid=grid,
        building=building,
        commander=users["demo-commander"],
        community_worker=users["demo-community"],
        grid_worker=users["demo-grid"],
        checkpoint=users["demo-checkpoint"],
        inspector=users["demo-inspector"],
        tracer=users["demo-tracer"],
        team=Team(users["demo-grid"], users["demo-doctor"], users["demo-police"]),
    )
