"""Schedules of the five-colour capability (huey). The sweep is set-based and idempotent: a
missed run is caught up by the next, and running it twice changes nothing the second time."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.regions.colours import household_colours_refresh_started
from wangge.regions.overrides import colour_overrides_expire

EVERY = crontab(minute=f"*/{settings.WANGGE['COLOUR_SWEEP_MINUTES']}")


@db_periodic_task(EVERY)
def colour_sweep() -> dict[str, int]:
    """Expire manual colours past their expiry; apply measures whose start day has come."""
    return {
        "overrides_expired": colour_overrides_expire(),
        "started": household_colours_refresh_started(),
    }
