"""门禁 at the first compound's two gates: a Hikvision controller at the south gate and an MQTT
relay at the north gate, pointing at the fakes `make run` starts beside the web server
(`fake_door hikvision --port 8026`, `fake_door mqtt --topic 'wangge/doors/+'`). Residents whose
codes were printed come in this morning; the doors opened for each, except once, when the north
gate's relay did not answer and the guard opened by hand.

The seed runs before the fakes do, so the controllers' answers are played here (as the devices'
readings are played through their intake); every other step is the real scan service."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from wangge.checkpoints import tokens
from wangge.checkpoints.doors.adapters import ADAPTERS
from wangge.checkpoints.doors.base import OPENED, UNREACHABLE, Answer
from wangge.checkpoints.models import Checkpoint, DoorController, PersonalCode
from wangge.checkpoints.rules import Direction
from wangge.checkpoints.services import DoorData, door_controller_create, personal_codes_issue
from wangge.checkpoints.services.scans import ScanInput, scan_record
from wangge.demo.outbreak.cast import Cast
from wangge.demo.outbreak.clock import moment
from wangge.measures.models import PersonMeasure

DEMO_DOOR_URL = "http://127.0.0.1:8026"
DEMO_DOOR_USER = "admin"
DEMO_DOOR_PASSWORD = "demo-door-2026"
DEMO_RELAY_TOPIC = "wangge/doors/north-gate"
# Who comes in through which gate, and what its controller answers.
PASSAGES = ((0, OPENED), (0, OPENED), (0, OPENED), (1, OPENED), (1, UNREACHABLE))


@contextmanager
def _answering(answer: Answer) -> Iterator[None]:
    saved = dict(ADAPTERS)
    for kind in saved:
        ADAPTERS[kind] = lambda target, timeout: answer
    try:
        yield
    finally:
        ADAPTERS.update(saved)


def _controllers(cast: Cast, south: Checkpoint, north: Checkpoint) -> None:
    by = cast.community_worker
    door_controller_create(
        by=by,
        checkpoint=south,
        data=DoorData(
            kind=DoorController.Kind.HIKVISION,
            name="南门人行门",
            address=DEMO_DOOR_URL,
            username=DEMO_DOOR_USER,
            password=DEMO_DOOR_PASSWORD,
        ),
    )
    door_controller_create(
        by=by,
        checkpoint=north,
        data=DoorData(
            kind=DoorController.Kind.MQTT_RELAY, name="北门电磁锁", address=DEMO_RELAY_TOPIC
        ),
    )


def doors_seed(cast: Cast, checkpoints: list[Checkpoint]) -> None:
    """Controllers at the first two checkpoints (the compound's south and north gates) and this
    morning's passages through them by residents' codes."""
    south, north = checkpoints[0], checkpoints[1]
    calendar = cast.calendar
    with moment(calendar.at(1, 12)):
        _controllers(cast, south, north)
    held = PersonMeasure.objects.filter(status=PersonMeasure.Status.ACTIVE).values("person")
    residents = list(
        cast.residents(household__building__compound=south.compound).exclude(pk__in=held)[
            : len(PASSAGES)
        ]
    )
    personal_codes_issue(by=cast.community_worker, persons=residents)
    sealed = dict(
        PersonalCode.objects.filter(person__in=residents).values_list("person_id", "token_sealed")
    )
    start = calendar.now - timedelta(minutes=len(PASSAGES) * 7)
    for number, (person, (gate, answer)) in enumerate(zip(residents, PASSAGES, strict=False)):
        checkpoint = (south, north)[gate]
        at = start + timedelta(minutes=number * 7)
        with moment(at), _answering(Answer(answer, "" if answer == OPENED else "timed out")):
            scan_record(
                by=cast.checkpoint if checkpoint == south else cast.community_worker,
                checkpoint_id=checkpoint.pk,
                data=ScanInput(
                    client_id=f"demo-door-{number}",
                    direction=Direction.IN,
                    scanned_at=at,
                    code=tokens.payload(tokens.PERSON, sealed[person.pk]),
                ),
            )
