"""`manage.py listen_devices`: take door-sensor readings from the MQTT broker (WANGGE_MQTT_URL)
until stopped; reconnects by itself when the broker restarts (docs/devices.md)."""

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wangge.devices.mqtt import Listener


class Command(BaseCommand):
    help = "Listen for home-isolation device readings over MQTT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=None, help="broker, e.g. mqtt://127.0.0.1:1883")

    def handle(self, *args: Any, **options: Any) -> None:
        listener = Listener(options["url"])

        def stop(signum: int, frame: Any) -> None:
            # Connected: leave cleanly after the message in hand. Waiting for a broker: leave now.
            if not listener.subscribed:
                raise SystemExit(0)
            listener.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        listener.run()
