"""Re-inspections due today to the community's inspectors, overdue ones to its community
workers, one digest per community and day; a red card to the street's command at once."""

import time_machine

from wangge.notify.models import Message, Recipient
from wangge.venues.models import CardReminder
from wangge.venues.services.cards import cards_escalate_overdue
from wangge.venues.services.reminders import red_card_announce, reminders_send
from wangge.venues.tests.cards.fixtures import beijing, inspect


def _recipients(title_start):
    message = Message.objects.get(title__startswith=title_start)
    return message, set(
        Recipient.objects.filter(message=message).values_list("user__username", flat=True)
    )


def test_due_and_overdue_go_once_a_day_to_the_communitys_inspectors_and_workers(site, world):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
    with time_machine.travel(beijing(2026, 12, 10, 7, 59), tick=False):
        assert reminders_send() == 0
    with time_machine.travel(beijing(2026, 12, 10, 8, 0), tick=False):
        assert reminders_send() == 1
        assert reminders_send() == 0
    message, users = _recipients("今日到期复查")
    assert users == {"ian", "ivy"} and "老王饭店" in message.text
    with time_machine.travel(beijing(2026, 12, 11, 0, 0), tick=False):
        cards_escalate_overdue()
    with time_machine.travel(beijing(2026, 12, 12, 8, 30), tick=False):
        assert reminders_send() == 1
        assert reminders_send() == 0
    message, users = _recipients("逾期未复查场所")
    assert users == {"carol"} and "红牌" in message.text
    assert CardReminder.objects.filter(kind="overdue").count() == 1


def test_a_red_card_tells_the_streets_command_at_once_and_once(
    site, world, django_capture_on_commit_callbacks
):
    with time_machine.travel(beijing(2026, 12, 7, 9), tick=False):
        inspect(site.ian, site.venue, passed=False)
        with django_capture_on_commit_callbacks(execute=True):
            inspect(site.ivy, site.venue, passed=False)
    message, users = _recipients("红牌")
    assert users == {"alice"} and "停业整顿" in message.text
    assert not red_card_announce(site.venue.cards.get(colour="red").pk)
