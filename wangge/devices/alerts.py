"""Who hears of a device: an event on a household whose measure is in force alerts the grid worker
and the police officer of the measure and raises a command-centre event, once for the events that
follow each other within DEVICE_MERGE_SECONDS; a low battery and a silent device alert the grid
worker for maintenance."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wangge.accounts.selectors import grid_workers_of, users_by_id
from wangge.core.services import audit_record, post_alert
from wangge.devices.models import Device, DeviceAlert, DeviceEvent
from wangge.devices.payloads import CAMERA_ALARMS
from wangge.measures.models import PersonMeasure

EVENT_KIND = "device_alert"


def setting(name: str) -> Any:
    return settings.WANGGE[name]


def _grid_workers(device: Device) -> list[Any]:
    grid_id = device.household.grid_id
    return list(users_by_id(grid_workers_of([grid_id]).get(grid_id, ())).values())


def _link(alert: DeviceAlert) -> str:
    return reverse("devices:detail", args=[alert.device_id])


def _what(event: DeviceEvent) -> str:
    if event.device.kind == Device.Kind.DOOR_SENSOR:
        return "门磁报警：房门被打开"
    return f"摄像头报警：{CAMERA_ALARMS.get(event.kind.lower(), event.kind)}"


def measure_in_force(device: Device) -> bool:
    return PersonMeasure.objects.active().filter(pk=device.measure_id).exists()


def _raise_intrusion(event: DeviceEvent) -> DeviceAlert:
    from wangge.command.services.events import event_raise

    device = event.device
    measure = device.measure
    person = measure.person
    at = timezone.localtime(event.occurred_at)
    text = f"{_what(event)}（{person.name}，{device.household}，{at:%H:%M:%S}）"
    alert = DeviceAlert.objects.create(
        household=device.household,
        device=device,
        measure=measure,
        kind=DeviceAlert.Kind.INTRUSION,
        first_event_at=event.occurred_at,
        last_event_at=event.occurred_at,
        raised_at=timezone.now(),
        event_count=1,
    )
    recipients = [*_grid_workers(device), measure.grid_worker, measure.police]
    post_alert(recipients, "device_intrusion", text, _link(alert))
    alert.event = event_raise(
        kind=EVENT_KIND,
        title=text,
        persons=[person],
        household=device.household,
        source="居家设备",
        description=f"{device.get_kind_display()} {device.vendor} {device.serial}",
    )
    alert.raised_at = timezone.now()
    alert.delay = max(alert.raised_at - event.occurred_at, timedelta(0))
    alert.save(update_fields=["event", "raised_at", "delay"])
    return alert


def intrusion_alert(event: DeviceEvent) -> DeviceAlert:
    """The household's alert for this event: the one whose last event lies within the merge window
    (which then grows by this event), else a new one that alerts the team. The caller holds the
    household's row lock, so two events at once never make two alerts."""
    window = timedelta(seconds=setting("DEVICE_MERGE_SECONDS"))
    device = event.device
    alert = (
        DeviceAlert.objects.filter(
            household=device.household_id,
            kind=DeviceAlert.Kind.INTRUSION,
            last_event_at__gte=event.occurred_at - window,
            first_event_at__lte=event.occurred_at + window,
        )
        .order_by("-last_event_at")
        .first()
    )
    if alert is None:
        return _raise_intrusion(event)
    alert.event_count += 1
    alert.last_event_at = max(alert.last_event_at or event.occurred_at, event.occurred_at)
    alert.save(update_fields=["event_count", "last_event_at"])
    return alert


def _maintenance(device: Device, kind: str, text: str) -> DeviceAlert:
    now = timezone.now()
    alert = DeviceAlert.objects.create(
        household=device.household,
        device=device,
        measure=device.measure,
        kind=kind,
        raised_at=now,
    )
    post_alert(
        [*_grid_workers(device), device.measure.grid_worker],
        "device_maintenance",
        text,
        _link(alert),
    )
    return alert


def battery_check(device: Device, battery: int) -> DeviceAlert | None:
    """Alert once when the battery falls below DEVICE_BATTERY_LOW_PERCENT; again only after it has
    been above (a new battery) and falls once more."""
    if battery >= setting("DEVICE_BATTERY_LOW_PERCENT"):
        device.battery_alerted_at = None
        return None
    if device.battery_alerted_at is not None:
        return None
    device.battery_alerted_at = timezone.now()
    text = f"设备电量低（{battery}%）：{device}，{device.household}，请更换电池"
    return _maintenance(device, DeviceAlert.Kind.BATTERY_LOW, text)


@transaction.atomic
def silent_devices_alert(*, now: datetime | None = None) -> int:
    """Alert for each device in service not heard from for DEVICE_SILENT_HOURS (once per silence;
    its next reading ends the silence). Returns how many were alerted."""
    now = now or timezone.now()
    since = now - timedelta(hours=setting("DEVICE_SILENT_HOURS"))
    silent = (
        Device.objects.in_service()
        .filter(silence_alerted_at__isnull=True, registered_at__lt=since)
        .exclude(last_seen_at__gte=since)
        .select_related("household__building__compound", "measure__grid_worker")
        .select_for_update(of=("self",))
    )
    count = 0
    for device in silent:
        seen = (
            f"{timezone.localtime(device.last_seen_at):%m-%d %H:%M}"
            if device.last_seen_at
            else "从未"
        )
        text = f"设备离线：{device}，{device.household}，最近上报{seen}，请检查"
        _maintenance(device, DeviceAlert.Kind.SILENT, text)
        device.silence_alerted_at = now
        device.save(update_fields=["silence_alerted_at"])
        count += 1
    if count:
        audit_record(
            actor=None,
            action="update",
            target_type=Device._meta.label_lower,
            target_label=f"离线设备 {count} 台 / {count} silent devices",
            changes={"silent": count},
        )
    return count
