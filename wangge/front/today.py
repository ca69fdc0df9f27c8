"""The commander's day: who is looking, at what moment, and the reads several tiles and charts
share (computed once per request). A tile is one number with the list behind it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone

from wangge.accounts.models import User
from wangge.checkpoints.selectors import hourly_series
from wangge.colours.selectors import colour_totals
from wangge.regions.choices import HouseholdColour
from wangge.regions.models import Household, HouseholdColourChange


@dataclass(frozen=True)
class Tile:
    """One number of the home page: what it counts, its value, the list that shows the counted
    rows, a tone (a household colour, "danger" or "warning") and a second line."""

    key: str
    label: str
    value: int | str
    url: str
    tone: str = ""
    note: str = ""


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def by_day(rows: QuerySet, field: str, days: list[date]) -> QuerySet:
    """`rows` of `days` (by the local day of the datetime `field`) annotated with `day_index`, the
    index of their day in `days`: plain comparisons on the column, newest day first (where most
    rows lie), so the database needs no time-zone function per row. (Not `day`: scans and visits
    have a `day` column of their own, their partition key.)"""
    whens = [
        When(**{f"{field}__gte": local_midnight(day)}, then=Value(index))
        for index, day in reversed(list(enumerate(days)))
    ]
    window = {
        f"{field}__gte": local_midnight(days[0]),
        f"{field}__lt": local_midnight(days[-1] + timedelta(days=1)),
    }
    day = Case(*whens, output_field=IntegerField())
    return rows.filter(**window).annotate(day_index=day).order_by()


def per_day(rows: QuerySet, field: str, days: list[date]) -> list[int]:
    """Rows of `rows` per local day of the datetime `field`, for each of `days` (one GROUP BY)."""
    counted = dict(by_day(rows, field, days).values_list("day_index").annotate(n=Count("pk")))
    return [counted.get(index, 0) for index in range(len(days))]


@dataclass
class Today:
    user: User
    now: datetime
    first: date | None = None  # the trends' first day, when not HOME_TREND_DAYS ago

    @cached_property
    def day(self) -> date:
        return timezone.localdate(self.now)

    @cached_property
    def start(self) -> datetime:
        return local_midnight(self.day)

    @cached_property
    def end(self) -> datetime:
        return local_midnight(self.day + timedelta(days=1))

    @cached_property
    def days(self) -> list[date]:
        """The days of the trend charts, oldest first, ending today."""
        count = int(settings.WANGGE["HOME_TREND_DAYS"])
        if self.first is not None:
            count = (self.day - self.first).days + 1
        return [self.day - timedelta(days=back) for back in range(count - 1, -1, -1)]

    @cached_property
    def hourly(self) -> dict[str, list[int]]:
        """Scans per hour of today at the checkpoints the user may see (in, out, denied)."""
        return hourly_series(self.user, self.day)

    @cached_property
    def colours(self) -> dict[str, list[int]]:
        """{colour: households at the end of each of `days`} — today's value is the stored colour
        now. Earlier days are read back from the colour history: undoing each change (its `new`
        loses a household, its `old` gains one) in two aggregate queries, whatever the size."""
        current = colour_totals(Household.objects.restrict(self.user))
        changes = HouseholdColourChange.objects.restrict(self.user)
        undo: dict[int, dict[str, int]] = {}
        rows = by_day(changes, "at", self.days).values_list("day_index", "old", "new")
        for day, old, new, n in rows.annotate(n=Count("pk")):
            shift = undo.setdefault(day, dict.fromkeys(HouseholdColour.values, 0))
            shift[new] -= n
            shift[old] += n
        series = {colour: [0] * len(self.days) for colour in HouseholdColour.values}
        running = dict(current)
        for index in range(len(self.days) - 1, -1, -1):
            for colour in HouseholdColour.values:
                series[colour][index] = running[colour]
            for colour, n in undo.get(index, {}).items():
                running[colour] += n
        return series
