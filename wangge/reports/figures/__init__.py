"""The daily report's figures for one street and day (docs/reports.md says what each counts).

Every figure is one or a few aggregate queries grouped by grid (never a query per person or per
area), collected in `Own` and rolled up over the area tree."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.utils import timezone

from wangge.regions.models import Street
from wangge.reports.tree import Key, Own, Tree


@dataclass(frozen=True)
class Day:
    """The day reported on and the moment of the run. `at` is the end of the day (24:00), or the
    run's moment when the day is not over yet: the instant the 'in force' figures are read at."""

    on: date
    now: datetime

    @cached_property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.on, time.min))

    @cached_property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.on + timedelta(days=1), time.min))

    @property
    def at(self) -> datetime:
        return min(self.end, self.now)

    def within(self, field: str) -> dict[str, datetime]:
        """A filter for the datetime `field` falling on the day."""
        return {f"{field}__gte": self.start, f"{field}__lt": self.end}


def without_jit() -> None:
    """No JIT compiling for the rest of the build's transaction, on PostgreSQL. The figure queries
    are index probes over a street's persons whose estimated cost passes `jit_above_cost` while
    they run in a few hundred milliseconds: at 1,000,000 persons the compile took 0.41 s of the
    vaccination query's 0.82 s (EXPLAIN ANALYZE, docs/performance.md, "日报 reports")."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def compute(street: Street, on: date, now: datetime | None = None) -> tuple[Tree, dict[Key, dict]]:
    """{(level, area id): {figure: count}} for the street, each of its communities and grids."""
    from wangge.reports.figures import activity, register

    without_jit()
    tree = Tree.of(street)
    own = Own(tree)
    day = Day(on, now or timezone.now())
    for figure in (*register.FIGURES, *activity.FIGURES):
        figure(own, street, day)
    return tree, tree.roll_up(own)
