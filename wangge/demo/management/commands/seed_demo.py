"""manage.py seed_demo --persons 80000 --seed 1 [--force | --if-empty]"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.demo.seed import DemoRefused, database_is_empty, demo_street_create


class Command(BaseCommand):
    help = (
        "Load the demo street (江南街道): 8 communities, their grids, buildings and households, "
        "exactly --persons residents, one demo account per role, and day 6 of an outbreak around "
        "the first grid (cases, zones, measures, check-ins, checkpoints, scans, a testing round, "
        "tasks, 12345 calls, a verification list). The same --seed gives the same street. "
        "Refuses a database that holds a street or a person unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=80_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--register-only",
            action="store_true",
            help="areas, households, persons and accounts only, without the outbreak",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--force", action="store_true", help="load beside the streets already there"
        )
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing, silently, when the database already holds a street or a person",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not database_is_empty():
            return
        self.stdout.write(
            f"正在生成演示街道 / building the demo street: {options['persons']} 人 persons, "
            f"seed {options['seed']} …"
        )
        started = time.perf_counter()
        try:
            summary = demo_street_create(
                persons=options["persons"],
                seed=options["seed"],
                force=options["force"],
                outbreak=not options["register_only"],
            )
        except DemoRefused as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"演示街道 {summary.street.name}（{summary.street.code}）/ demo street loaded: "
            f"{summary.communities} 社区 communities, {summary.grids} 网格 grids, "
            f"{summary.compounds} 小区 compounds, {summary.buildings} 楼栋 buildings, "
            f"{summary.households} 户 households ({summary.vacant} 空置 vacant, "
            f"{summary.rentals} 出租 rented), {summary.persons} 人 persons "
            f"in {seconds:.1f} s"
        )
