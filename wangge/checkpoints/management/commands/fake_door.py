"""python manage.py fake_door hikvision --port PORT [--user U] [--password P] [--log FILE]
[--fail-rate R] | fake_door mqtt --topic TOPIC [--url mqtt://127.0.0.1:1883] [--log FILE]
[--fail-rate R]: a door controller of either kind for tests and the demo
(wangge/checkpoints/doors/fakes.py)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.checkpoints.doors.fakes import HikvisionFake, RelayFake


class Command(BaseCommand):
    help = "Fake door controller: Hikvision ISAPI over HTTP (digest auth), or an MQTT relay."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        hikvision = kinds.add_parser("hikvision", help="ISAPI remote door control on 127.0.0.1")
        hikvision.add_argument("--port", type=int, required=True)
        hikvision.add_argument("--user", default="admin")
        hikvision.add_argument("--password", default="")
        relay = kinds.add_parser("mqtt", help="a Zigbee2MQTT relay answering on the broker")
        relay.add_argument("--topic", required=True, help="the relay's topic; + and # allowed")
        relay.add_argument("--url", default="", help="the broker (default: WANGGE_MQTT_URL)")
        for kind in (hikvision, relay):
            kind.add_argument("--log", default="", help="one JSON line per command")
            kind.add_argument("--fail-rate", type=float, default=0.0, help="0 to 1")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 <= options["fail_rate"] <= 1:
            raise CommandError("--fail-rate 应在 0 与 1 之间 / must lie between 0 and 1")
        if options["kind"] == "hikvision":
            HikvisionFake(
                port=options["port"],
                username=options["user"],
                password=options["password"],
                log=options["log"],
                fail_rate=options["fail_rate"],
            ).serve()
            return
        RelayFake(
            url=options["url"] or settings.WANGGE["MQTT_URL"],
            topic=options["topic"],
            log=options["log"],
            fail_rate=options["fail_rate"],
        ).serve()
