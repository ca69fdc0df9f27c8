"""The outbreak's calendar: day 1 is five days before today, so today is day 6. Services read the
clock, so what happened on a past day is written with the clock set to that moment."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

DAYS = 6


@dataclass(frozen=True)
class Calendar:
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def day(self, number: int) -> date:
        """The date of outbreak day `number` (1 … 6; 6 is today)."""
        return self.today - timedelta(days=DAYS - number)

    def at(self, number: int, hour: int, minute: int = 0) -> datetime:
        """A moment of outbreak day `number`, never later than now."""
        moment = timezone.make_aware(datetime.combine(self.day(number), time(hour, minute)))
        return min(moment, self.now)


@contextmanager
def moment(at: datetime) -> Iterator[None]:
    """Run the services as of `at` (the clock stands still there)."""
    with time_machine.travel(at, tick=False):
        yield
