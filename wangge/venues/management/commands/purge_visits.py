"""`manage.py purge_visits`: run the nightly purge of venue visits now."""

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from wangge.venues.services.retention import visits_purge


class Command(BaseCommand):
    help = "删除超过保存期限的场所到访记录 / delete venue visits past their retention period"

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = visits_purge()
        days = int(settings.WANGGE["RETENTION_VISITS_DAYS"])
        self.stdout.write(json.dumps({"deleted": deleted, "retention_days": days}))
