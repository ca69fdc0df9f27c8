"""Figures about the day's work: checkpoint scans and refusals, device alerts, venue cards, tasks
and events late, residents' requests open, supplies places below their line, notifications
acknowledged."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from wangge.checkpoints.models import Scan
from wangge.checkpoints.rules import Verdict
from wangge.command.models import Event, TaskAssignment
from wangge.devices.models import DeviceAlert
from wangge.notify.models import Recipient
from wangge.regions.models import Street
from wangge.reports.figures import Day
from wangge.reports.figures.register import counted
from wangge.reports.tree import Own
from wangge.residents.models import HelpRequest
from wangge.supplies.models import Place, StockThreshold
from wangge.supplies.selectors.overview import levels
from wangge.venues.models import Card


def not_before(field: str, day: Day) -> Q:
    """The datetime `field` is unset or later than `day.at` (still so at that moment)."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": day.at})


def checkpoints(own: Own, street: Street, day: Day) -> None:
    scans = Scan.objects.filter(checkpoint__community__street=street, **day.within("scanned_at"))
    area = ("checkpoint__grid_id", "checkpoint__community_id")
    counted(own, scans, area, "checkpoints.scans")
    counted(own, scans.filter(verdict=Verdict.DENY), area, "checkpoints.refused")


def devices(own: Own, street: Street, day: Day) -> None:
    alerts = DeviceAlert.objects.filter(
        household__grid__community__street=street, **day.within("raised_at")
    )
    counted(own, alerts, ("household__grid_id", "household__grid__community_id"), "devices.alerts")


def venues(own: Own, street: Street, day: Day) -> None:
    """Cards in force at `day.at` (issued by then, not yet closed), by colour."""
    cards = Card.objects.filter(
        not_before("closed_at", day), venue__grid__community__street=street, issued_at__lte=day.at
    )
    area = ("venue__grid_id", "venue__grid__community_id")
    counted(own, cards, area, "venues.cards", "colour")


def command(own: Own, street: Street, day: Day) -> None:
    """Task assignments past their deadline at `day.at`, neither completed nor cancelled by then;
    events not responded to at `day.at` whose response time (EVENT_RESPONSE_SECONDS) had run out;
    events raised on the day."""
    tasks = TaskAssignment.objects.filter(
        not_before("completed_at", day),
        not_before("cancelled_at", day),
        task__street=street,
        due_at__lt=day.at,
    )
    counted(own, tasks, ("grid_id", "community_id"), "command.tasks_late")
    limit = timedelta(seconds=settings.WANGGE["EVENT_RESPONSE_SECONDS"])
    events = Event.objects.filter(
        not_before("responded_at", day),
        not_before("resolved_at", day),
        not_before("closed_at", day),
        street=street,
        raised_at__lt=day.at - limit,
    )
    counted(own, events, ("grid_id", "community_id"), "command.events_late")
    raised = Event.objects.filter(street=street, **day.within("raised_at"))
    counted(own, raised, ("grid_id", "community_id"), "command.events_new")


def requests(own: Own, street: Street, day: Day) -> None:
    """Residents' requests made by `day.at` and not closed by then."""
    rows = HelpRequest.objects.filter(
        not_before("closed_at", day), grid__community__street=street, created_at__lte=day.at
    )
    counted(own, rows, ("grid_id", "grid__community_id"), "requests.open")


def supplies(own: Own, street: Street, day: Day) -> None:
    """Places with an item whose usable stock is below its low-stock line, as of the run (stock
    has no history of levels to read a past day from)."""
    places = Place.objects.filter(street=street, active=True)
    held = levels(places, day.on)
    low: set[tuple[int, int | None]] = set()
    lines = StockThreshold.objects.filter(place__in=places.values("pk")).values_list(
        "place_id", "item_id", "minimum", "place__community_id"
    )
    for place_id, item_id, minimum, community_id in lines:
        if held.get((place_id, item_id), (0, 0))[0] < minimum:
            low.add((place_id, community_id))
    for _place_id, community_id in low:
        own.add(None, community_id, "supplies.places_low", 1)


def notifications(own: Own, street: Street, day: Day) -> None:
    """Recipients who acknowledged on the day, in their own grid, else their household's."""
    rows = Recipient.objects.filter(message__street=street, **day.within("acknowledged_at"))
    name = "notify.acknowledged"
    counted(own, rows.filter(grid__isnull=False), ("grid_id", "grid__community_id"), name)
    households = rows.filter(grid__isnull=True, household__isnull=False)
    counted(own, households, ("household__grid_id", "household__grid__community_id"), name)
    elsewhere = rows.filter(grid__isnull=True, household__isnull=True).count()
    if elsewhere:
        own.add(None, None, name, elsewhere)


FIGURES = (checkpoints, devices, venues, command, requests, supplies, notifications)
