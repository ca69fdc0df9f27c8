"""`manage.py notify_send --audience KIND:VALUE --channel CHANNEL --text TEXT [--ack] [--street NAME]`

Sends one message as the system and prints as its last line
`{"message": id, "recipients": n, "unreachable": n}` (recipients includes unreachable). The
deliveries go out through the workers; `notify_status ID` follows them. An audience VALUE that
matches nothing or several areas exits 2 with the candidates on stderr.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.core.origin import Origin
from wangge.notify.audience import AudienceError, audience_parse
from wangge.notify.models import Channel, MessageKind
from wangge.notify.services import NotifyError, message_create, message_send


class Command(BaseCommand):
    help = "Send a message to an audience over one channel, as the system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--audience",
            required=True,
            help="KIND:VALUE, e.g. grid:春江社区/第一网格, colour:red, tag:党员",
        )
        parser.add_argument("--channel", required=True, choices=Channel.values)
        parser.add_argument("--text", required=True)
        parser.add_argument("--ack", action="store_true", help="ask residents to acknowledge")
        parser.add_argument("--street", help="the street, when the deployment has several")
        parser.add_argument(
            "--kind",
            default=MessageKind.NOTICE,
            choices=[MessageKind.EMERGENCY, MessageKind.NOTICE, MessageKind.REMINDER],
        )
        parser.add_argument("--title", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, _, value = options["audience"].partition(":")
        if not value:
            raise CommandError(
                "对象应写作 类型:值，例如 grid:春江社区/第一网格 / the audience is KIND:VALUE, "
                "e.g. grid:春江社区/第一网格",
                returncode=2,
            )
        try:
            audience = audience_parse(
                kind.strip(), value.strip(), by=None, street=options["street"]
            )
        except AudienceError as error:
            for candidate in error.candidates:
                self.stderr.write(candidate)
            raise CommandError(str(error), returncode=2) from error
        try:
            message = message_create(
                by=None,
                origin=Origin.SYSTEM,
                audience=audience,
                channels=[options["channel"]],
                text=options["text"],
                kind=options["kind"],
                title=options["title"],
                ack=options["ack"],
            )
            message = message_send(message, by=None, origin=Origin.SYSTEM)
        except NotifyError as error:
            raise CommandError(str(error)) from error
        result = {
            "message": message.pk,
            "recipients": message.recipients_count,
            "unreachable": message.unreachable_count,
        }
        self.stdout.write(json.dumps(result))
