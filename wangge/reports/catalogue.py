"""The figures of a snapshot, in the order and with the names the page shows them
(docs/reports.md says what each counts). A figure missing from a snapshot's JSON is 0."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from wangge.measures.models import MeasureType
from wangge.regions.choices import HouseholdColour, ZoneKind
from wangge.testing.selectors.vaccination import BANDS
from wangge.venues.models.inspections import CardColour


def figure_groups() -> list[tuple[Any, list[tuple[str, Any]]]]:
    categories = MeasureType.Category.choices
    colours = HouseholdColour.choices
    return [
        (
            _("管控"),
            [
                ("measures.active", _("管控中人数")),
                *((f"measures.active.{value}", label) for value, label in categories),
                ("measures.new", _("当日新增")),
                ("measures.released", _("当日解除")),
            ],
        ),
        (
            _("健康打卡"),
            [
                ("checkins.done", _("已打卡")),
                ("checkins.missed", _("未打卡")),
                ("checkins.fevers", _("发热预警")),
            ],
        ),
        (
            _("五色户"),
            [
                *((f"colours.{value}", label) for value, label in colours),
                *(
                    (f"colours.change.{value}", _("%(colour)s当日增减") % {"colour": label})
                    for value, label in colours
                ),
            ],
        ),
        (_("三区"), [(f"zones.{value}", label) for value, label in ZoneKind.choices]),
        (
            _("核酸"),
            [
                ("tests.target", _("应检人数")),
                ("tests.tested", _("已检人数")),
                ("tests.untested", _("未检人数")),
                ("tests.positive", _("阳性")),
            ],
        ),
        (
            _("疫苗接种"),
            [
                item
                for band, _low, _high in BANDS
                for item in (
                    (f"vaccination.{band}", _("%(band)s岁人数") % {"band": band}),
                    (f"vaccination.first.{band}", _("%(band)s岁首针") % {"band": band}),
                    (f"vaccination.complete.{band}", _("%(band)s岁全程") % {"band": band}),
                )
            ],
        ),
        (
            _("卡点"),
            [("checkpoints.scans", _("扫码次数")), ("checkpoints.refused", _("劝返"))],
        ),
        (
            _("事项"),
            [
                ("devices.alerts", _("设备报警")),
                *((f"venues.cards.{value}", label) for value, label in CardColour.choices),
                ("command.tasks_late", _("超时任务")),
                ("command.events_new", _("新事件")),
                ("command.events_late", _("超时未响应事件")),
                ("requests.open", _("未办结居民诉求")),
                ("supplies.places_low", _("低于预警线的库点")),
                ("notify.acknowledged", _("通知已确认")),
            ],
        ),
    ]


TREND_KEYS = (
    "measures.active",
    "checkins.missed",
    "checkins.fevers",
    "tests.untested",
    "checkpoints.scans",
    "command.tasks_late",
)
