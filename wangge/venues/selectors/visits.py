"""A venue's page: its visits per hour of a Beijing day, and its staff's own codes.

The staff rows show what the venue's inspectors need and nothing more: the masked name, the role,
whether the person holds an active personal code, the household's colour (五色), the latest
health-code colour and the latest nucleic-acid test (date and result). Everything comes in one
query: the person's facts as subqueries.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncHour
from django.utils import timezone

from wangge.core.masking import mask_name
from wangge.measures.models import CodeColour, HealthCodeChange
from wangge.regions.choices import HouseholdColour
from wangge.testing.models import LabResult, Outcome
from wangge.venues.models import Venue, VenueStaff, Visit


@dataclass(frozen=True)
class HourRow:
    hour: int  # 0..23, Beijing time
    visits: int
    flagged: int
    percent: int  # of the busiest hour, for the bar


@dataclass(frozen=True)
class StaffCode:
    name: str  # masked
    role: str
    linked: bool  # the register knows the person
    code: str  # "active", "revoked" or "" (none issued)
    household_colour: str
    health_code: str
    test_at: datetime | None
    test_result: str

    @property
    def household_colour_label(self) -> str:
        return str(HouseholdColour(self.household_colour).label) if self.household_colour else ""

    @property
    def health_code_label(self) -> str:
        return str(CodeColour(self.health_code).label) if self.health_code else ""

    @property
    def test_result_label(self) -> str:
        return str(Outcome(self.test_result).label) if self.test_result else ""


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def visits_per_hour(venue: Venue, day: date) -> list[HourRow]:
    """Each hour of `day` (Beijing time) with its visits and flagged visits, busiest as 100 %."""
    start, end = day_bounds(day)
    rows = (
        Visit.objects.filter(venue=venue, at__gte=start, at__lt=end)
        .annotate(hour=TruncHour("at", tzinfo=timezone.get_current_timezone()))
        .values("hour")
        .annotate(visits=Count("id"), flagged=Count("id", filter=~Q(flag="")))
        .order_by()
    )
    counts = {timezone.localtime(row["hour"]).hour: row for row in rows}
    busiest = max((row["visits"] for row in counts.values()), default=0)
    return [
        HourRow(
            hour,
            counts[hour]["visits"] if hour in counts else 0,
            counts[hour]["flagged"] if hour in counts else 0,
            round(100 * counts[hour]["visits"] / busiest) if hour in counts else 0,
        )
        for hour in range(24)
    ]


def staff_codes(venue: Venue) -> list[StaffCode]:
    """The venue's staff with their own codes, in name order."""
    health = HealthCodeChange.objects.filter(person=OuterRef("person")).order_by(
        "-changed_at", "-id"
    )
    tests = LabResult.objects.filter(person=OuterRef("person")).order_by("-sampled_at", "-id")
    staff = (
        VenueStaff.objects.filter(venue=venue)
        .select_related("person__personal_code", "person__household")
        .annotate(
            health_code=Subquery(health.values("colour")[:1]),
            test_at=Subquery(tests.values("sampled_at")[:1]),
            test_result=Subquery(tests.values("result")[:1]),
        )
        .order_by("name", "pk")
    )
    rows = []
    for member in staff:
        person = member.person
        code = getattr(person, "personal_code", None) if person is not None else None
        rows.append(
            StaffCode(
                name=mask_name(member.name),
                role=member.role,
                linked=person is not None,
                code="" if code is None else ("active" if code.active else "revoked"),
                household_colour=person.household.colour if person and person.household else "",
                health_code=member.health_code or "",
                test_at=member.test_at,
                test_result=member.test_result or "",
            )
        )
    return rows
