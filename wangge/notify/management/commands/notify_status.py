"""`manage.py notify_status ID`: how far a message got. The last line is
`{"recipients": n, "sent": n, "delivered": n, "failed": n, "acknowledged": n, "pending": n}`,
each recipient counted once by its latest state (recipients = pending + sent + delivered + failed;
unreachable counts as failed); acknowledged counts those who acknowledged, whatever their state.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wangge.notify.models import Message
from wangge.notify.selectors import message_status


class Command(BaseCommand):
    help = "Print a message's delivery counts as one JSON line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        message = Message.objects.filter(pk=options["id"]).first()
        if message is None:
            raise CommandError(f"没有这条通知 / no such message: {options['id']}", returncode=2)
        status = message_status(message)
        self.stdout.write(json.dumps(status.as_dict()))
