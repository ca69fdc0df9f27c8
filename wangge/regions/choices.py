"""The vocabularies of 四级五色 and 三区: household colours, area risk colours, zones, markers.

Kept apart from the models so that the models of every concept (registry, colours, zones) and the
services can share them without importing one another.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class HouseholdColour(models.TextChoices):
    """五色 of a household (seed 003), most severe first."""

    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    GREEN = "green", _("绿色")
    WHITE = "white", _("白色")


# What each colour means on a plan's legend (seed 003's five kinds of households).
HOUSEHOLD_COLOUR_MEANING: dict[str, str | Promise] = {
    HouseholdColour.RED: _("重点关注户（确诊、疑似、密接）"),
    HouseholdColour.ORANGE: _("疫区返回居家隔离户"),
    HouseholdColour.YELLOW: _("非疫区返回居家隔离户"),
    HouseholdColour.GREEN: _("在住无管控户"),
    HouseholdColour.WHITE: _("空户"),
}

# Fill colours shared by the pages, the printable plans and the charts.
HOUSEHOLD_COLOUR_HEX: dict[str, str] = {
    HouseholdColour.RED: "#e02424",
    HouseholdColour.ORANGE: "#f08c00",
    HouseholdColour.YELLOW: "#f5c400",
    HouseholdColour.GREEN: "#2f9e44",
    HouseholdColour.WHITE: "#ffffff",
}

# The colour a measure implies → its rank; the highest rank among a household's members wins.
MEASURE_COLOUR_RANK: dict[str, int] = {
    HouseholdColour.RED: 3,
    HouseholdColour.ORANGE: 2,
    HouseholdColour.YELLOW: 1,
}


class ColourReason(models.TextChoices):
    """Why a household's stored colour changed (the colour history)."""

    MEASURE = "measure", _("管控措施变化")
    MEASURE_STARTED = "measure_started", _("管控措施开始生效")
    PERSON = "person", _("人员变动")
    IMPORT = "import", _("花名册导入")
    OVERRIDE = "override", _("人工设定户色")
    OVERRIDE_LIFTED = "override_lifted", _("撤销人工户色")
    OVERRIDE_EXPIRED = "override_expired", _("人工户色到期")
    RECOMPUTE = "recompute", _("全量重算校正")


class AreaRiskColour(models.TextChoices):
    """五色工作法 (seed 002): an area's risk level, most severe first."""

    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    BLUE = "blue", _("蓝色")
    GREEN = "green", _("绿色")


AREA_COLOUR_HEX: dict[str, str] = {
    AreaRiskColour.RED: "#e02424",
    AreaRiskColour.ORANGE: "#f08c00",
    AreaRiskColour.YELLOW: "#f5c400",
    AreaRiskColour.BLUE: "#1c7ed6",
    AreaRiskColour.GREEN: "#2f9e44",
}


class ZoneKind(models.TextChoices):
    """三区 (seed 001), most severe first."""

    LOCKDOWN = "lockdown", _("封控区")
    CONTROL = "control", _("管控区")
    PREVENTION = "prevention", _("防范区")


ZONE_RANK: dict[str, int] = {ZoneKind.LOCKDOWN: 3, ZoneKind.CONTROL: 2, ZoneKind.PREVENTION: 1}


class Marker(models.TextChoices):
    """The signs a plan draws beside a room number (seed 003: 党旗、星星、红心)."""

    FLAG = "flag", _("党旗")
    STAR = "star", _("星星")
    GROUP_LEADER = "group_leader", _("党小组长标")
    HEART = "heart", _("红心")
