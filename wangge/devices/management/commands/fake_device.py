"""`manage.py fake_device`: send what a real device sends, for tests and the demo.

    fake_device door SERIAL TOKEN [--closed] [--battery 87] [--url mqtt://127.0.0.1:1883]
    fake_device camera SERIAL TOKEN --url http://127.0.0.1:8000 [--event VMD] [--inactive]
                [--picture]

`door` publishes Zigbee2MQTT's JSON to <DEVICE_MQTT_TOPIC>/<serial>/<token>; `camera` POSTs a
Hikvision EventNotificationAlert to /devices/hook/<serial>/<token>/ (multipart with a picture
when --picture is given, as cameras do when they attach snapshots).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.devices import fakes
from wangge.devices.alerts import setting
from wangge.devices.intake import mqtt_topic


class Command(BaseCommand):
    help = "Publish a door-sensor reading over MQTT or post a camera event over HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("shape", choices=["door", "camera"])
        parser.add_argument("serial")
        parser.add_argument("token")
        parser.add_argument("--url", default=None, help="MQTT broker (door) or web server (camera)")
        parser.add_argument("--closed", action="store_true", help="door: report it closed")
        parser.add_argument("--battery", type=int, default=87, help="door: battery %%")
        parser.add_argument("--event", default="VMD", help="camera: eventType")
        parser.add_argument("--inactive", action="store_true", help="camera: eventState inactive")
        parser.add_argument("--picture", action="store_true", help="camera: multipart with a JPEG")

    def handle(self, *args: Any, **options: Any) -> None:
        serial, token = options["serial"], options["token"]
        try:
            if options["shape"] == "door":
                payload = fakes.zigbee_payload(
                    contact=options["closed"], battery=options["battery"]
                )
                fakes.publish(
                    options["url"] or setting("MQTT_URL"), mqtt_topic(serial, token), payload
                )
                self.stdout.write(f"published {payload.decode()}")
                return
            if not options["url"]:
                raise CommandError("camera: --url of the web server is required")
            xml = fakes.hikvision_xml(event_type=options["event"], active=not options["inactive"])
            status, body = fakes.post_camera(
                options["url"], serial, token, xml, picture=options["picture"]
            )
        except OSError as error:
            raise CommandError(f"could not reach {options['url']}: {error}") from error
        self.stdout.write(f"HTTP {status} {body}")
        if status >= 400:
            raise CommandError(f"refused: HTTP {status}")
