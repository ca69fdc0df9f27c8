"""The demo street's home-isolation devices, played through the real intake."""

from wangge.command.models import Event
from wangge.demo.outbreak.devices import seed_devices
from wangge.devices.models import DeviceAlert


def test_the_demo_seeds_devices_with_one_door_opened_alert(world, isolation):
    # when the demo seeds the households (only 张三's is under home isolation)
    seeded = seed_devices(
        by=world.users["alice"], households=world.households.values(), today=isolation.start
    )

    # then his home has a door sensor and a camera, and the door-opened alert went out
    assert sorted(device.kind for device, _token in seeded) == ["camera", "door_sensor"]
    alert = DeviceAlert.objects.get(kind=DeviceAlert.Kind.INTRUSION)
    assert alert.household == world.households["a"]
    assert Event.objects.filter(kind__code="device_alert").count() == 1
