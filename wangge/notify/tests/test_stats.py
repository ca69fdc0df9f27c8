"""A message's figures and its households' states."""

from datetime import timedelta

import pytest

from wangge.notify.households import household_counts, household_states
from wangge.notify.models import Delivery, Message
from wangge.notify.stats import message_stats
from wangge.notify.tests.sent import FROZEN, at, delivery_of, everyone, recipient_of, sent_message
from wangge.people.models import Person

pytestmark = pytest.mark.django_db


def test_each_household_takes_the_first_state_its_recipients_reach(world):
    # given one household per state: acknowledged before its receipt, delivered, all failed,
    # without a phone, and one still waiting for its receipt
    message = sent_message(world)
    zhang = recipient_of(message, world.persons["zhang_san"])
    delivery_of(zhang, Delivery.State.SENT)
    zhang.acknowledged_at = at(2)
    zhang.save()
    delivery_of(recipient_of(message, world.persons["li_si"]), Delivery.State.DELIVERED)
    wang = recipient_of(message, world.persons["wang_wu"])
    delivery_of(wang, Delivery.State.FAILED)
    recipient_of(message, world.persons["zhao_liu"], reachable=False)
    # and Zhao Liu's housemate, whose SMS is still out
    housemate = Person(household=world.households["d"], name="钱七")
    housemate.set_phone("13500005555")
    housemate.save()
    delivery_of(recipient_of(message, housemate), Delivery.State.SENT)
    other = sent_message(world)
    delivery_of(recipient_of(other, world.persons["wang_wu"]), Delivery.State.DELIVERED)

    states = household_states(message)

    h = world.households
    assert states == {
        h["a"].pk: "acknowledged",
        h["a1"].pk: "delivered_not_acknowledged",
        h["b"].pk: "failed",
        h["d"].pk: "pending",
    }
    assert household_counts(message)["unreachable"] == 0


def test_a_household_none_of_whose_recipients_has_an_address_is_unreachable(world):
    message = sent_message(world)
    recipient_of(message, world.persons["zhao_liu"], reachable=False)
    assert household_states(message) == {world.households["d"].pk: "unreachable"}


def test_a_household_with_one_failed_and_one_delivered_delivery_is_delivered(world):
    message = sent_message(world)
    zhang = recipient_of(message, world.persons["zhang_san"])
    delivery_of(zhang, Delivery.State.FAILED)
    Delivery.objects.create(
        message=message, recipient=zhang, channel="inapp", state="delivered", due_at=FROZEN
    )
    assert household_states(message) == {world.households["a"].pk: "delivered_not_acknowledged"}


def test_the_figures_of_a_message(world):
    # given four recipients: three delivered, one failed; the last delivery left at 2 minutes;
    # two acknowledged, one at 14 and one at 16 minutes; one household reached by phone
    message = sent_message(world)
    found = everyone(world, message, Delivery.State.DELIVERED)
    Delivery.objects.filter(recipient=found["zhao_liu"]).update(state="failed", sent_at=at(2))
    for key, minutes in (("zhang_san", 14), ("li_si", 16)):
        found[key].acknowledged_at = at(minutes)
        found[key].save()
    found["zhao_liu"].call_listed_at = at(10)
    found["zhao_liu"].reached_by_phone = True
    found["zhao_liu"].save()
    found["wang_wu"].call_listed_at = at(10)
    found["wang_wu"].save()

    stats = message_stats(message)

    assert stats.recipients == 4
    assert stats.seconds_to_all_sent == 120
    assert stats.delivered_share == 0.75
    assert stats.acknowledged_share == 0.25
    assert (stats.calls.listed, stats.calls.reached) == (2, 1)


def test_the_time_to_all_sent_waits_for_the_last_delivery_and_prefers_the_recorded_time(world):
    message = sent_message(world)
    everyone(world, message, Delivery.State.QUEUED)
    assert message_stats(message).seconds_to_all_sent is None

    Message.objects.filter(pk=message.pk).update(all_sent_at=FROZEN + timedelta(seconds=45))
    message.refresh_from_db()
    assert message_stats(message).seconds_to_all_sent == 45


def test_a_message_without_acknowledgement_has_no_acknowledged_share(world):
    message = sent_message(world, ack=False)
    everyone(world, message)
    assert message_stats(message).acknowledged_share is None
    assert message_stats(sent_message(world)).delivered_share is None
