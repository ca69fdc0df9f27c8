"""The escalation ladder: a household not reached `mention_after_minutes` after the freeze is
named once in its grid's group, with the grid workers' mobiles; after `call_after_minutes` it
joins the call list. Reached means acknowledged when the message asks for it, else delivered."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections

from wangge.notify.escalation import escalation_run
from wangge.notify.models import Delivery, Message, Recipient
from wangge.notify.tests.sent import FROZEN, Group, at, delivery_of, recipient_of, sent_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(world):
    """Zhang San (grid A) sent, not delivered; Li Si (A1) delivered and acknowledged; Wang Wu (B) acknowledged
    before any receipt; Zhao Liu (D) with no phone. Gavin, grid A's worker, has a phone."""
    gavin = world.users["gavin"]
    gavin.phone = "138 0013 8000"
    gavin.save()
    message = sent_message(world)
    zhang = recipient_of(message, world.persons["zhang_san"])
    delivery_of(zhang, Delivery.State.SENT)
    li = recipient_of(message, world.persons["li_si"])
    delivery_of(li, Delivery.State.DELIVERED)
    li.acknowledged_at = FROZEN + timedelta(minutes=2)
    li.save()
    wang = recipient_of(message, world.persons["wang_wu"])
    wang.acknowledged_at = FROZEN + timedelta(minutes=1)
    wang.save()
    delivery_of(wang, Delivery.State.SENT)
    recipient_of(message, world.persons["zhao_liu"], reachable=False)
    return message


def test_nothing_happens_before_the_mention_time(ladder):
    group = Group()
    run = escalation_run(now=at(4.9), send_to_grid=group)
    assert group.sent == [] and run.grids_told == 0
    assert not Recipient.objects.exclude(mentioned_at=None).exists()


def test_the_unreached_households_are_named_once_per_grid_with_the_grid_workers(world, ladder):
    # when the ladder runs five minutes after the freeze
    group = Group()
    run = escalation_run(now=at(5), send_to_grid=group)

    # then grid A's group hears of Zhang San's home, mentioning Gavin, and grid D's of Zhao Liu's
    told = {sent["grid"]: sent for sent in group.sent}
    assert set(told) == {world.grid_a, world.grid_d}
    assert str(world.households["a"]) in told[world.grid_a]["text"]
    assert told[world.grid_a]["mentions"] == ["13800138000"]
    assert str(world.households["d"]) in told[world.grid_d]["text"]
    assert told[world.grid_d]["mentions"] == []
    # by address only
    for sent in group.sent:
        assert "张三" not in sent["text"] and "赵六" not in sent["text"]
    assert (run.grids_told, run.households_mentioned, run.households_call_listed) == (2, 2, 0)
    mentioned = Recipient.objects.exclude(mentioned_at=None)
    assert {r.person for r in mentioned} == {world.persons["zhang_san"], world.persons["zhao_liu"]}


def test_a_second_run_mentions_nobody_again(ladder):
    group = Group()
    escalation_run(now=at(5), send_to_grid=group)
    again = escalation_run(now=at(6), send_to_grid=group)
    assert len(group.sent) == 2 and again.grids_told == 0


def test_a_run_that_starts_while_another_sends_tells_no_group_twice(world, ladder):
    # given a group send during which a second worker runs the ladder
    inner = Group()
    outer = Group()

    def send(**kwargs):
        outer(**kwargs)
        if len(outer.sent) == 1:
            escalation_run(now=at(5), send_to_grid=inner)

    # when the first run sends to its first grid, the second run takes the grids left
    escalation_run(now=at(5), send_to_grid=send)

    # then the rows were claimed before each send: every grid was told once, by one of them
    told = [sent["grid"] for sent in outer.sent + inner.sent]
    assert sorted(told, key=lambda grid: grid.pk) == [world.grid_a, world.grid_d]


def test_a_failed_send_leaves_its_grid_for_the_next_run(world, ladder):
    def broken(**kwargs):
        raise ConnectionError("robot down")

    with pytest.raises(ConnectionError):
        escalation_run(now=at(5), send_to_grid=broken)
    assert not Recipient.objects.exclude(mentioned_at=None).exists()
    group = Group()
    escalation_run(now=at(6), send_to_grid=group)
    assert len(group.sent) == 2


def test_after_the_call_time_the_unreached_households_join_the_call_list(world, ladder):
    escalation_run(now=at(5), send_to_grid=Group())
    early = escalation_run(now=at(9), send_to_grid=Group())
    due = escalation_run(now=at(10), send_to_grid=Group())
    again = escalation_run(now=at(11), send_to_grid=Group())

    assert early.households_call_listed == 0
    assert due.households_call_listed == 2 and again.households_call_listed == 0
    listed = Recipient.objects.exclude(call_listed_at=None)
    assert {r.person for r in listed} == {world.persons["zhang_san"], world.persons["zhao_liu"]}
    assert {r.call_listed_at for r in listed} == {at(10)}


def test_a_household_reached_between_the_steps_is_not_call_listed(world, ladder):
    escalation_run(now=at(5), send_to_grid=Group())
    zhang = Recipient.objects.get(person=world.persons["zhang_san"])
    Recipient.objects.filter(pk=zhang.pk).update(acknowledged_at=at(7))

    escalation_run(now=at(10), send_to_grid=Group())

    zhang.refresh_from_db()
    assert zhang.mentioned_at is not None and zhang.call_listed_at is None


def test_a_small_grid_mentions_the_worker_of_the_grid_it_lies_in(world):
    world.users["gavin"].phone = "13800138000"
    world.users["gavin"].save()
    message = sent_message(world)
    delivery_of(recipient_of(message, world.persons["li_si"]), Delivery.State.FAILED)
    group = Group()

    escalation_run(now=at(5), send_to_grid=group)

    assert [(s["grid"], s["mentions"]) for s in group.sent] == [(world.grid_a1, ["13800138000"])]


def test_asking_for_acknowledgement_a_delivered_household_is_not_reached_until_it_acknowledges(
    world,
):
    message = sent_message(world)
    delivery_of(recipient_of(message, world.persons["zhang_san"]), Delivery.State.DELIVERED)
    group = Group()

    escalation_run(now=at(5), send_to_grid=group)

    assert [s["grid"] for s in group.sent] == [world.grid_a]


def test_without_acknowledgement_a_delivered_household_is_reached(world):
    message = sent_message(world, ack=False)
    delivery_of(recipient_of(message, world.persons["zhang_san"]), Delivery.State.DELIVERED)
    delivery_of(recipient_of(message, world.persons["wang_wu"]), Delivery.State.SENT)
    group = Group()

    escalation_run(now=at(5), send_to_grid=group)

    assert [s["grid"] for s in group.sent] == [world.grid_b]


@pytest.mark.parametrize(
    "fields",
    [{"escalate": False}, {"status": Message.Status.CANCELLED}, {"frozen_at": None}],
)
def test_messages_without_escalation_or_not_out_are_left_alone(world, fields):
    message = sent_message(world, **fields)
    recipient_of(message, world.persons["zhang_san"])
    group = Group()
    escalation_run(now=at(60), send_to_grid=group)
    assert group.sent == []


def test_the_steps_follow_the_minutes_set_on_the_message(world):
    message = sent_message(world, mention_after_minutes=1, call_after_minutes=2)
    recipient_of(message, world.persons["zhang_san"])
    group = Group()
    run = escalation_run(now=at(2), send_to_grid=group)
    assert run.households_mentioned == 1 and run.households_call_listed == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="races threads for row locks: PostgreSQL pass only"
)
def test_two_workers_at_once_tell_each_grid_once(transactional_db, world, ladder):
    # given two workers starting the ladder at the same moment, each send taking a while
    start = threading.Barrier(2)
    told: list[object] = []
    failures: list[Exception] = []

    def slow(**kwargs):
        time.sleep(0.2)
        told.append(kwargs["grid"])

    def run() -> None:
        try:
            start.wait(timeout=10)
            escalation_run(now=at(10), send_to_grid=slow)
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then each grid was told once, and each household listed once
    assert failures == []
    assert sorted(told, key=lambda grid: grid.pk) == [world.grid_a, world.grid_d]
    assert Recipient.objects.exclude(call_listed_at=None).count() == 2
