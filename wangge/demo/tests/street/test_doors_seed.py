"""The demo's door controllers: one of each kind at the first compound's gates, pointing at the
fakes `make run` starts, with residents let in by code and one relay that did not answer."""

from wangge.checkpoints.models import DoorController, DoorOpening
from wangge.demo.outbreak.doors import DEMO_DOOR_URL, DEMO_RELAY_TOPIC


def test_two_gates_have_a_controller_each_with_openings_and_one_unreachable(street_db):
    kinds = dict(DoorController.objects.values_list("kind", "address"))
    assert kinds == {"hikvision_isapi": DEMO_DOOR_URL, "mqtt_relay": DEMO_RELAY_TOPIC}
    outcomes = list(DoorOpening.objects.values_list("outcome", flat=True))
    assert outcomes.count("unreachable") == 1
    assert outcomes.count("opened") >= 3
    assert all(opening.scan.method == "code" for opening in DoorOpening.objects.all())
