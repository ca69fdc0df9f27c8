"""Schedule of the devices capability (huey): the sweep for silent devices."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from wangge.devices.alerts import setting, silent_devices_alert


@db_periodic_task(crontab(minute=f"*/{setting('DEVICE_SWEEP_MINUTES')}"))
def alert_silent_devices() -> int:
    return silent_devices_alert()
