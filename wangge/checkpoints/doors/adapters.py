"""The adapter of each kind of controller, and opening several side by side so that the deadline
holds however many doors one scan opens."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from wangge.checkpoints.doors import hikvision, mqtt_relay
from wangge.checkpoints.doors.base import Answer, Target

Adapter = Callable[[Target, float], Answer]

# DoorController.Kind → its adapter; tests and the demo put stand-ins here.
ADAPTERS: dict[str, Adapter] = {
    "hikvision_isapi": hikvision.open_door,
    "mqtt_relay": mqtt_relay.open_door,
}


def _timed(target: Target, timeout: float) -> tuple[Answer, int]:
    started = time.monotonic()
    answer = ADAPTERS[target.kind](target, timeout)
    return answer, round((time.monotonic() - started) * 1000)


def open_each(targets: list[Target], timeout: float) -> list[tuple[Answer, int]]:
    """Each target's answer and how long it took (ms), in order; all asked at once."""
    if len(targets) == 1:
        return [_timed(targets[0], timeout)]
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        return list(pool.map(lambda target: _timed(target, timeout), targets))
