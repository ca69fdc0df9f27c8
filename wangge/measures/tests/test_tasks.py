"""The schedules run the set-based services; run here synchronously (huey's call_local)."""

from datetime import date

from huey.contrib.djhuey import HUEY

from wangge.core.models import Alert
from wangge.measures import tasks
from wangge.measures.services import measure_assign

from .conftest import at

DAY = date(2022, 7, 1)


def test_the_three_sweeps_are_periodic_tasks():
    periodic = {task.__name__ for task in HUEY._registry._periodic_tasks}
    assert {"sweep_missed_checkins", "release_due_measures", "send_health_code_digest"} <= periodic


def test_the_tasks_run_the_sweeps(world, drill, clock):
    measure_assign(
        by=world.users["carol"],
        persons=[world.persons["zhang_san"]],
        measure_type=drill["home"],
        start=DAY,
        reason="返乡",
    )
    clock.move_to(at(DAY, 10, 30))
    assert tasks.sweep_missed_checkins.call_local() == {"missed": 1, "alerts": 1}
    assert tasks.sweep_missed_checkins.call_local() == {"missed": 0, "alerts": 0}
    assert tasks.release_due_measures.call_local() == {"released": 0, "followed_on": 0}
    assert tasks.send_health_code_digest.call_local() == 0
    assert Alert.objects.count() == 1
