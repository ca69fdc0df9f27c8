"""python manage.py trace_case --id-number ID [--window-minutes 30] [--hops 2]

Traces the most recent case of the person with that ID number, as the system, and prints as its
last line {"case": id, "co_residents": n, "co_located": n, "second_hop": n, "candidates": n}.
Exits 2 when the ID number is invalid or its person has no case.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core import crypto
from wangge.core.identity import IdentityError, parse_id_number
from wangge.measures.models import Case
from wangge.tracing.services.trace import trace_run


class Command(BaseCommand):
    help = "Trace the most recent case of a person (流调): co-residents, co-located, second hop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id-number", required=True, help="the case person's ID number")
        parser.add_argument(
            "--window-minutes",
            type=int,
            default=None,
            help="for every kind of place; default each kind's own, WANGGE['TRACE_WINDOW_MINUTES'] "
            "(30 for checkpoints and venues)",
        )
        parser.add_argument("--hops", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            number = parse_id_number(options["id_number"]).number
        except IdentityError as error:
            raise CommandError(str(error), returncode=2) from error
        case = (
            Case.objects.filter(person__id_number_hash=crypto.blind_index(number))
            .select_related("person__household__grid__community")
            .order_by("-reported_on", "-pk")
            .first()
        )
        if case is None:
            raise CommandError(
                "该证件号码的人员没有病例 / no case for a person with this ID number", returncode=2
            )
        try:
            trace = trace_run(
                by=None,
                case=case,
                window_minutes=options["window_minutes"],
                hops=options["hops"],
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages), returncode=2) from error
        counts = trace.counts
        line = {
            "case": case.pk,
            "co_residents": counts["co_residents"],
            "co_located": counts["co_located"],
            "second_hop": counts["second_hop"],
            "candidates": counts["candidates"],
        }
        self.stdout.write(json.dumps(line))
