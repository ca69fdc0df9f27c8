"""The same scan sent at the same moment by two requests (a retry racing the original), and two
gates spending the last exit of one household's pass at once: each is stored and counted once."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from wangge.checkpoints.models import Scan
from wangge.checkpoints.rules import Reason, Verdict
from wangge.checkpoints.services import CheckpointData, checkpoint_create, passes_issue
from wangge.command.models import EventKind
from wangge.core.models import Alert

from .conftest import DAY, code_of, scan

# Kim mans the gate: on its duty roster on the days these tests scan.
pytestmark = pytest.mark.usefixtures("on_duty")


def race(count: int, send: Callable[[int], object]) -> list[object]:
    """Run `send(i)` in `count` threads released together; their results or errors."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = send(index)
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def fever_events(transactional_db) -> None:
    """The preset event kind, which a flush by an earlier transactional test may have removed."""
    EventKind.objects.get_or_create(
        code="checkpoint_fever", defaults={"name": "卡点发热", "builtin": True}
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_scan_sent_concurrently_is_stored_once(fever_events, world, gate):
    text = code_of(world, world.persons["zhang_san"])
    outcomes = race(
        2,
        lambda _: scan(world, gate, code=text, temperature="38.6", client_id="twin-scan-0001"),
    )
    assert sorted(outcome.created for outcome in outcomes) == [False, True], outcomes
    assert {outcome.scan.pk for outcome in outcomes} == {Scan.objects.get().pk}
    assert all(outcome.reasons == (Reason.FEVER,) for outcome in outcomes)
    assert Alert.objects.filter(kind="checkpoint_fever").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_gates_cannot_both_spend_the_last_exit_of_a_pass(transactional_db, world, gate, clock):
    # given: passes required at both gates, one exit per two days for zhang_san's household
    gate.passes_required = True
    gate.save()
    other = checkpoint_create(
        by=world.users["carol"],
        data=CheckpointData(
            name="阳光花园北门",
            kind="compound_gate",
            community=world.east,
            address="北门",
            passes_required=True,
        ),
    )
    passes_issue(
        by=world.users["carol"],
        households=[world.households["a"]],
        valid_from=DAY,
    )
    text = code_of(world, world.persons["zhang_san"])
    gates = [gate, other]
    # when both gates scan at once (Kim at the east gate, Carol at the north gate)
    staff = ["kim", "carol"]
    outcomes = race(2, lambda index: scan(world, gates[index], by=staff[index], code=text))
    # then one lets out, the other turns back with the next exit date
    verdicts = sorted(outcome.scan.verdict for outcome in outcomes)
    assert verdicts == [Verdict.DENY, Verdict.PASS], outcomes
    assert Scan.objects.filter(pass_used__isnull=False).count() == 1
