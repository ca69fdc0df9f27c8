"""The big screen's data (docs/reports.md, "The big screen"): one street's counts for the wall of
the command centre, JSON-ready, without one personal field.

Everything but three counts is read from the daily snapshots: the street's row of the latest day
(the key figures, and the day before for their change), its grids' rows (the tile map) and the
street's rows of 14 days (the trends). The three live counts — events awaiting a response, device
alarms whose event is still in hand, task assignments past their deadline — are grouped counts
over the command centre's open rows (indexed by status and state), never over persons, households
or check-ins; so the answer costs the same few small queries for a street of any size.
"""

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from math import ceil
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wangge.command.lifecycle import ACTIVE_STATES
from wangge.command.models import Event, TaskAssignment
from wangge.core.natural import natural_sort_key
from wangge.devices.alerts import EVENT_KIND as DEVICE_EVENT_KIND
from wangge.regions.choices import HOUSEHOLD_COLOUR_HEX, HouseholdColour
from wangge.regions.models import Street
from wangge.reports.models import AreaFigures, Level, Snapshot
from wangge.reports.selectors import Choice, series
from wangge.reports.tree import Tree

SCREEN_DAYS = 14
MAP_KEY = "measures.active"
MAP_LEVELS = 4  # colour steps above zero on the tile map

# (key, label, snapshot figures shown side by side)
KEY_FIGURES = (
    ("measures", gettext_lazy("管控中人数"), ("measures.active",)),
    ("new", gettext_lazy("当日新增管控"), ("measures.new",)),
    ("colours", gettext_lazy("红/橙码户"), ("colours.red", "colours.orange")),
    ("missed", gettext_lazy("未打卡"), ("checkins.missed",)),
    ("scans", gettext_lazy("卡点扫码"), ("checkpoints.scans",)),
)
# (chart key, title, ((figure, label, ECharts series type), ...))
TRENDS = (
    (
        "measures",
        gettext_lazy("管控人数"),
        (
            ("measures.active", gettext_lazy("管控中"), "line"),
            ("measures.new", gettext_lazy("新增"), "bar"),
            ("measures.released", pgettext_lazy("screen", "解除"), "bar"),
        ),
    ),
    (
        "risk",
        gettext_lazy("风险与异常"),
        (
            ("colours.red", gettext_lazy("红码户"), "line"),
            ("colours.orange", gettext_lazy("橙码户"), "line"),
            ("checkins.missed", gettext_lazy("未打卡"), "line"),
            ("command.events_new", gettext_lazy("新事件"), "line"),
        ),
    ),
)
LIVE_COLUMNS = (
    ("events_open", gettext_lazy("待响应事件")),
    ("events_late", gettext_lazy("超时未响应")),
    ("device_alerts", gettext_lazy("设备报警")),
    ("tasks_late", gettext_lazy("超时任务")),
)
SERIES_COLOURS = {
    "colours.red": HOUSEHOLD_COLOUR_HEX[HouseholdColour.RED],
    "colours.orange": HOUSEHOLD_COLOUR_HEX[HouseholdColour.ORANGE],
}


def screen_data(street: Street, now: datetime) -> dict[str, Any]:
    """Everything the wall shows for `street` at `now`: counts and area names only."""
    today = timezone.localdate(now)
    snapshot = Snapshot.objects.filter(street=street, day__lte=today).order_by("-day").first()
    last = snapshot.day if snapshot is not None else today - timedelta(days=1)
    keys = {key for _k, _l, keys in KEY_FIGURES for key in keys}
    keys |= {key for _k, _t, lines in TRENDS for key, _l, _s in lines}
    days = series(Choice(Level.STREET, street.pk, street.name), last, SCREEN_DAYS, tuple(keys))
    as_of = f"{last:%m-%d}" if snapshot is not None else ""
    live = live_counts(street, now)
    tree = Tree.of(street)
    return {
        "street": {"id": street.pk, "name": street.name},
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "snapshot": None
        if snapshot is None
        else {
            "day": snapshot.day.isoformat(),
            "built_at": timezone.localtime(snapshot.built_at).isoformat(timespec="seconds"),
        },
        "figures": key_figures(days, as_of, live),
        "map": tile_map(tree, snapshot, as_of),
        "trends": trends(days, as_of),
        "areas": live_areas(tree, live),
    }


def key_figures(days: dict[str, list], as_of: str, live: dict) -> list[dict[str, Any]]:
    """The snapshot's street figures with their change from the day before, then the one live
    figure: events past their response time."""
    figures = []
    for key, label, names in KEY_FIGURES:
        values = [days[name][-1] for name in names]
        before = [days[name][-2] for name in names]
        figures.append(
            {
                "key": key,
                "label": str(label),
                "values": values,
                "changes": [
                    None if now is None or then is None else now - then
                    for now, then in zip(values, before, strict=True)
                ],
                "as_of": as_of,
                "live": False,
                "alarm": False,
            }
        )
    late = sum(counts["events_late"] for counts in live.values())
    figures.append(
        {
            "key": "events_late",
            "label": _("超时未响应事件"),
            "values": [late],
            "changes": [None],
            "as_of": _("实时"),
            "live": True,
            "alarm": late > 0,
        }
    )
    return figures


def short_name(name: str) -> str:
    """A grid's name as its tile shows it: 第十二网格 → 12, 阳光网格 → 阳光."""
    core = name.removesuffix("网格").removeprefix("第") or name
    key = natural_sort_key(core)
    if len(key) == 11 and key.startswith("0"):  # one number and nothing else
        return str(int(key[1:]))
    return core[:4]


def legend(top: int) -> tuple[int, list[dict[str, Any]]]:
    """The step of the map's colours for a largest value `top`, and the legend's entries."""
    step = max(1, ceil(top / MAP_LEVELS))
    entries = [{"level": 0, "text": "0"}]
    for level in range(1, min(MAP_LEVELS, ceil(top / step)) + 1):
        low, high = (level - 1) * step + 1, level * step
        text = f"{low}–{high}" if high > low else str(low)
        entries.append({"level": level, "text": f"≥{low}" if level == MAP_LEVELS else text})
    return step, entries


def tile_map(tree: Tree, snapshot: Snapshot | None, as_of: str) -> dict[str, Any]:
    """The street's top grids as tiles, grouped by community, each coloured by its persons under
    measure on the snapshot's day and outlined when it has red households."""
    rows: dict[int, dict] = {}
    if snapshot is not None:
        rows = dict(
            AreaFigures.objects.filter(snapshot=snapshot, level=Level.GRID).values_list(
                "area_id", "figures"
            )
        )
    values = [rows[pk].get(MAP_KEY, 0) for pk in rows]
    step, entries = legend(max(values, default=0))
    grids: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, (name, community, parent) in tree.grids.items():
        if parent is not None:
            continue
        figures = rows.get(pk)
        value = figures.get(MAP_KEY, 0) if figures is not None else None
        grids[community].append(
            {
                "id": pk,
                "name": name,
                "short": short_name(name),
                "value": value,
                "level": None if value is None else min(MAP_LEVELS, ceil(value / step)),
                "red": bool(figures and figures.get("colours.red", 0)),
            }
        )
    return {
        "label": _("各网格管控中人数"),
        "as_of": as_of,
        "legend": entries,
        "communities": [
            {
                "id": pk,
                "name": name,
                "grids": sorted(grids[pk], key=lambda grid: natural_sort_key(grid["name"])),
            }
            for pk, name in tree.communities.items()
        ],
    }


def trends(days: dict[str, list], as_of: str) -> dict[str, Any]:
    """The street's figures over the SCREEN_DAYS days ending on the snapshot's day (None for a
    day without a snapshot)."""
    return {
        "days": days["days"],
        "as_of": as_of,
        "charts": [
            {
                "key": key,
                "title": str(title),
                "series": [
                    {
                        "key": name,
                        "name": str(label),
                        "type": kind,
                        "colour": SERIES_COLOURS.get(name, ""),
                        "data": days[name],
                    }
                    for name, label, kind in lines
                ],
            }
            for key, title, lines in TRENDS
        ],
    }


def live_counts(street: Street, now: datetime) -> dict[int | None, Counter]:
    """{community id (None: the street's own): Counter of LIVE_COLUMNS} now: events awaiting a
    response and those of them past EVENT_RESPONSE_SECONDS, device alarms whose event is awaiting
    a response or in hand, task assignments neither done nor cancelled past their deadline."""
    found: dict[int | None, Counter] = defaultdict(Counter)
    limit = now - timedelta(seconds=settings.WANGGE["EVENT_RESPONSE_SECONDS"])
    status = Event.Status
    events = (
        Event.objects.filter(street=street, status__in=(status.OPEN, status.RESPONDED))
        .values("community_id")
        .annotate(
            events_open=Count("pk", filter=Q(status=status.OPEN)),
            events_late=Count("pk", filter=Q(status=status.OPEN, raised_at__lt=limit)),
            device_alerts=Count("pk", filter=Q(kind__code=DEVICE_EVENT_KIND)),
        )
        .order_by()
    )
    for row in events:
        found[row.pop("community_id")].update(row)
    tasks = (
        TaskAssignment.objects.filter(task__street=street, state__in=ACTIVE_STATES, due_at__lt=now)
        .values("community_id", "grid__community_id")
        .annotate(late=Count("pk"))
        .order_by()
    )
    for row in tasks:
        found[row["community_id"] or row["grid__community_id"]]["tasks_late"] += row["late"]
    return found


def live_areas(tree: Tree, live: dict[int | None, Counter]) -> dict[str, Any]:
    """The live counts per community, most urgent first (late events and device alarms, then
    events awaiting a response and late tasks), the street's own row when it has any, and their
    total."""
    columns = [key for key, _label in LIVE_COLUMNS]
    rows: list[dict[str, Any]] = [
        {"id": pk, "name": name, "values": {key: live[pk][key] for key in columns}}
        for pk, name in tree.communities.items()
    ]
    own = live.get(None, Counter())
    if any(own.values()):
        rows.append({"id": 0, "name": _("街道本级"), "values": {k: own[k] for k in columns}})
    total = {key: sum(row["values"][key] for row in rows) for key in columns}

    def urgency(row: dict[str, Any]) -> tuple[int, int]:
        values = row["values"]
        return (
            -(values["events_late"] + values["device_alerts"]),
            -(values["events_open"] + values["tasks_late"]),
        )

    return {
        "as_of": _("实时"),
        "columns": [{"key": key, "label": str(label)} for key, label in LIVE_COLUMNS],
        "rows": sorted(rows, key=urgency),
        "total": total,
    }
