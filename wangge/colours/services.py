"""Writes of the five-colour pages beside the decisions in overrides.py, zones.py and
area_colours.py: the printed plan, audited as an export."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from wangge.colours.floorplan import PUBLIC, build_plan
from wangge.colours.floorplan_svg import print_svg
from wangge.core.origin import Origin
from wangge.core.services import audit_record
from wangge.regions.models import Compound


def plan_print(
    *,
    by: Any,
    compound: Compound,
    buildings: QuerySet,
    version: str,
    paper: str,
    origin: Origin = Origin.SYSTEM,
) -> str:
    """The printable plan (SVG) of `buildings` of a compound, internal or notice-board version,
    on A4 or A3. Each print is audited as an export, with the client's address and browser."""
    plan = build_plan(user=by, compound=compound, buildings=buildings, version=version)
    if version == PUBLIC and plan.per_room:
        note = "公示版：逐户标色（街道指挥部决定，限期公示）"
    elif version == PUBLIC:
        note = "公示版：按楼栋、单元公示各色户数；有事请联系楼栋长（★）、党员（旗）、党小组长"
    else:
        note = "内部版：仅限工作人员使用，请勿张贴或外传"
    with transaction.atomic():
        audit_record(
            actor=by,
            action="export",
            target=compound,
            changes={"plan": version, "paper": paper, "buildings": len(plan.buildings)},
            origin=origin,
        )
    return print_svg(plan, paper, note)
