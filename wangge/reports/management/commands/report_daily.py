"""python manage.py report_daily --date YYYY-MM-DD [--street NAME] [--rebuild]

Builds the street's daily snapshot of that date (docs/reports.md), as the system, and prints as
its last line {"date": …, "scopes": n, "persons_under_measure": n, "checkins_missed": n,
"untested": n} for the street. A date already snapshotted is printed from its snapshot unchanged;
--rebuild replaces it (audited). --street is required when there is more than one street. Exits 2
for a bad date, an unknown street, a missing --street, and a --rebuild of a day a community has
approved (its figures are locked until the approval is undone).
"""

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.regions.models import Street
from wangge.reports.models import Level
from wangge.reports.services import report_build


def street_named(name: str | None) -> Street:
    if name is None:
        streets = list(Street.objects.order_by("pk")[:2])
        if len(streets) != 1:
            raise CommandError(
                "有多个街道（或没有街道），请用 --street 指定 / "
                "--street is required: the deployment has more than one street (or none)",
                returncode=2,
            )
        return streets[0]
    street = Street.objects.filter(name=name).first()
    if street is None:
        raise CommandError(f"没有名为“{name}”的街道 / no street named {name!r}", returncode=2)
    return street


class Command(BaseCommand):
    help = "Build (or print) a street's daily report snapshot (日报快照) of one date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--street", help="the street's name (required with several streets)")
        parser.add_argument("--rebuild", action="store_true", help="replace an existing snapshot")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["date"])
        except ValueError as error:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD: {options['date']!r}",
                returncode=2,
            ) from error
        street = street_named(options["street"])
        try:
            snapshot = report_build(street=street, on=on, rebuild=options["rebuild"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from error
        areas = snapshot.areas.all()
        figures = areas.get(level=Level.STREET).figures
        line = {
            "date": on.isoformat(),
            "scopes": areas.count(),
            "persons_under_measure": figures.get("measures.active", 0),
            "checkins_missed": figures.get("checkins.missed", 0),
            "untested": figures.get("tests.untested", 0),
        }
        self.stdout.write(json.dumps(line))
