"""The numbers of the commander's home, one function per group of tiles. Each reads only rows
passed through `.restrict(user)` with a few aggregate queries, and links each number to the list
that shows exactly the rows it counted (with that list's own filter)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.command.models import Event
from wangge.command.selectors import open_assignments
from wangge.devices.models import DeviceAlert
from wangge.front.today import Tile, Today
from wangge.measures.models import Case, PersonMeasure
from wangge.measures.selectors import fever_checkins, overdue_slots, visible_measures
from wangge.regions.choices import HouseholdColour
from wangge.testing.models import NucleicRound
from wangge.testing.selectors.coverage import coverage_total, round_coverage

DAY = timedelta(hours=24)


def link(name: str, *args: object, **query: object) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def alarm(value: int) -> str:
    return "danger" if value else ""


def change_note(now: int, before: int) -> str:
    if now == before:
        return _("与昨日持平")
    return _("较昨日 %(change)s") % {"change": f"{now - before:+d}"}


def colour_tiles(today: Today) -> list[Tile]:
    """Households per colour now, and the change since the end of yesterday."""
    tiles = []
    for colour in HouseholdColour:
        series = today.colours[colour.value]
        before = series[-2] if len(series) > 1 else series[-1]
        tiles.append(
            Tile(
                key=f"colour-{colour.value}",
                label=_("%(colour)s户") % {"colour": colour.label},
                value=series[-1],
                url=link("colours:households", colour=colour.value),
                tone=colour.value,
                note=change_note(series[-1], before),
            )
        )
    return tiles


def case_tiles(today: Today) -> list[Tile]:
    """Cases reported today, with those of the last seven days beside them."""
    week = today.day - timedelta(days=6)
    counts = Case.objects.restrict(today.user).aggregate(
        new=Count("pk", filter=Q(reported_on=today.day)),
        week=Count("pk", filter=Q(reported_on__gte=week, reported_on__lte=today.day)),
    )
    return [
        Tile(
            key="cases-new",
            label=_("今日新增病例"),
            value=counts["new"],
            url=link("measures:cases", reported=today.day.isoformat()),
            tone=alarm(counts["new"]),
            note=_("近7日 %(week)s") % {"week": counts["week"]},
        )
    ]


def device_tiles(today: Today) -> list[Tile]:
    """Home-isolation device alarms of the last 24 hours (the device page lists them), with the
    maintenance alerts of the same hours beside them."""
    recent = DeviceAlert.objects.restrict(today.user).filter(raised_at__gt=today.now - DAY)
    counts = recent.aggregate(
        intrusions=Count("pk", filter=Q(kind=DeviceAlert.Kind.INTRUSION)),
        upkeep=Count("pk", filter=~Q(kind=DeviceAlert.Kind.INTRUSION)),
    )
    return [
        Tile(
            key="device-alerts",
            label=_("居家设备报警(24小时)"),
            value=counts["intrusions"],
            url=f"{reverse('devices:index')}#device-alerts",
            tone=alarm(counts["intrusions"]),
            note=_("设备维护 %(upkeep)s") % {"upkeep": counts["upkeep"]},
        )
    ]


def measure_tiles(today: Today) -> list[Tile]:
    """Persons under an active measure, and those whose measure runs out today."""
    active = Q(status=PersonMeasure.Status.ACTIVE)
    counts = PersonMeasure.objects.restrict(today.user).aggregate(
        active=Count("pk", filter=active), ending=Count("pk", filter=active & Q(end=today.day))
    )
    return [
        Tile(
            key="measures-active",
            label=_("管控中"),
            value=counts["active"],
            url=link("measures:list", status="active"),
        ),
        Tile(
            key="measures-ending",
            label=_("今日期满"),
            value=counts["ending"],
            url=link("measures:list", status="active", end=today.day.isoformat()),
            tone="warning" if counts["ending"] else "",
        ),
    ]


def checkin_tiles(today: Today) -> list[Tile]:
    """Today's overdue check-ins and the fever alerts of the last 24 hours (the grid board's own
    definitions: the numbers are the lengths of the board's two lists)."""
    measures = visible_measures(today.user)
    missed = overdue_slots(measures, today.now).count()
    fevers = fever_checkins(measures, today.now).count()
    board = reverse("measures:mine")
    return [
        Tile("checkins-missed", _("逾期未打卡"), missed, f"{board}#overdue", alarm(missed)),
        Tile("checkins-fever", _("发热预警(24小时)"), fevers, f"{board}#fevers", alarm(fevers)),
    ]


def coverage_tiles(today: Today) -> list[Tile]:
    """The coverage of the latest test round running today, and its untested persons."""
    round = (
        NucleicRound.objects.restrict(today.user)
        .filter(starts_at__lt=today.end, ends_at__gt=today.start)
        .order_by("-starts_at", "-id")
        .first()
    )
    if round is None:
        return [
            Tile("coverage", _("今日核酸"), "—", link("testing:index"), note=_("今日无检测轮次"))
        ]
    total = coverage_total(round_coverage(round, today.user, "community"))
    return [
        Tile(
            key="coverage",
            label=_("今日核酸覆盖"),
            value=f"{total.percent}%",
            url=link("testing:round", round.pk),
            note=_("已检 %(tested)s / 应检 %(target)s")
            % {"tested": total.tested, "target": total.target},
        ),
        Tile(
            key="untested",
            label=_("未检人员"),
            value=total.untested,
            url=link("testing:untested", round.pk),
            tone="warning" if total.untested else "",
            note=round.name,
        ),
    ]


def scan_tiles(today: Today) -> list[Tile]:
    """Passages through the checkpoints today, with the denials among them."""
    hourly = today.hourly
    return [
        Tile(
            key="scans",
            label=_("今日卡点扫码"),
            value=sum(hourly["in"]) + sum(hourly["out"]),
            url=link("checkpoints:report", day=today.day.isoformat()),
            note=_("劝返 %(denied)s") % {"denied": sum(hourly["denied"])},
        )
    ]


def task_tiles(today: Today) -> list[Tile]:
    """Task assignments past their next deadline (the command board's late list)."""
    late = open_assignments(today.user).filter(next_due__lt=today.now).count()
    return [Tile("tasks-late", _("超时交办"), late, link("command:board", late=1), alarm(late))]


def event_tiles(today: Today) -> list[Tile]:
    """Events awaiting a response, and events being handled."""
    status = Event.Status
    counts = Event.objects.restrict(today.user).aggregate(
        open=Count("pk", filter=Q(status=status.OPEN)),
        responded=Count("pk", filter=Q(status=status.RESPONDED)),
    )
    return [
        Tile(
            key="events-open",
            label=_("待响应事件"),
            value=counts["open"],
            url=link("command:events", status=status.OPEN),
            tone=alarm(counts["open"]),
        ),
        Tile(
            key="events-responded",
            label=_("处置中事件"),
            value=counts["responded"],
            url=link("command:events", status=status.RESPONDED),
        ),
    ]
