"""The demo street's home-isolation devices: door sensors (and a camera on every other home) on
households under a stay-home measure, each reading played through the real intake, so the command
centre shows one door-opened alert and the grid worker one low battery."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings

from wangge.accounts.models import User
from wangge.devices.fakes import hikvision_xml, zigbee_payload
from wangge.devices.intake import mqtt_topic, take_camera, take_mqtt
from wangge.devices.models import Device
from wangge.devices.services import DeviceData, device_register
from wangge.measures.models import PersonMeasure
from wangge.regions.models import Household

VENDORS = {Device.Kind.DOOR_SENSOR: "Aqara MCCGQ11LM", Device.Kind.CAMERA: "Hikvision DS-2CD1"}


def _measures(households: Iterable[Household], today: date) -> list[PersonMeasure]:
    """One measure in force per household, of a category that keeps people at home."""
    chosen: dict[int, PersonMeasure] = {}
    measures = (
        PersonMeasure.objects.active(today)
        .filter(
            person__household__in=list(households),
            measure_type__category__in=settings.WANGGE["CHECKPOINT_STAY_HOME_CATEGORIES"],
        )
        .select_related("person")
        .order_by("person__household", "pk")
    )
    for measure in measures:
        chosen.setdefault(measure.person.household_id, measure)
    return list(chosen.values())


def seed_devices(
    *, by: User, households: Iterable[Household], today: date, limit: int = 6
) -> list[tuple[Device, str]]:
    """Register devices on up to `limit` of these households (those with a stay-home measure in
    force on `today`) and play their readings: all report closed doors and a quiet camera, the
    first home's door opens (one intrusion alert), the second's battery is low. Returns each
    device with its token, for `fake_device`."""
    registered: list[tuple[Device, str]] = []
    for number, measure in enumerate(_measures(households, today)[:limit]):
        kinds = [Device.Kind.DOOR_SENSOR] + ([Device.Kind.CAMERA] if number % 2 == 0 else [])
        for kind in kinds:
            serial = f"demo-{'door' if kind == Device.Kind.DOOR_SENSOR else 'cam'}-{measure.pk}"
            data = DeviceData(measure=measure, kind=kind, vendor=VENDORS[kind], serial=serial)
            registered.append(device_register(by=by, data=data))
    for number, (device, token) in enumerate(registered):
        if device.kind == Device.Kind.CAMERA:
            take_camera(device.serial, token, hikvision_xml(event_type="VMD", active=False))
            continue
        battery = 12 if number == 2 else 90 - number
        take_mqtt(mqtt_topic(device.serial, token), zigbee_payload(contact=True, battery=battery))
    if registered:
        door, token = registered[0]
        take_mqtt(mqtt_topic(door.serial, token), zigbee_payload(contact=False, battery=89))
    return registered
