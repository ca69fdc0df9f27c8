"""Schedules of the supplies app (huey's crontabs are in UTC): the need loop's late-step sweep,
which alerts each late step once, and the stock sweep, which tells each low-stock crossing once and
each person's expiring batches once a day. Both remember what they told, so running them often is
cheap and a missed run is caught up by the next."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.supplies.services.alerts import stock_alerts_send
from wangge.supplies.services.need_alerts import late_needs_alert


@db_periodic_task(crontab(minute=f"*/{settings.WANGGE['NEED_SWEEP_MINUTES']}"))
def alert_late_needs() -> int:
    return late_needs_alert()


@db_periodic_task(crontab(minute=f"*/{settings.WANGGE['STOCK_SWEEP_MINUTES']}"))
def sweep_stock() -> dict[str, int]:
    return stock_alerts_send()
