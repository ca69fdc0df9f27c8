"""五色工作法 (seed 002): setting and ending the risk colour of grids and compounds, with criteria
and the date set; the street command decides. The colours in force are read in
regions/area_colours.py.

Venues will carry the same colours once the venues capability exists; until then an area is a grid
or a compound. Setting a colour ends the area's previous one, so the list of settings is its
history.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wangge.accounts.authority import holds
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.regions.choices import AreaRiskColour
from wangge.regions.models import AreaColour, Compound, Grid, Street


def _street(grid: Grid | None, compound: Compound | None) -> Street:
    if grid is not None:
        return grid.community.street
    if compound is None:
        raise ValueError("an area colour belongs to a grid or a compound")
    return compound.community.street


@transaction.atomic
def area_colour_set(
    *,
    by: Any,
    colour: str,
    criteria: str,
    set_on: date | None = None,
    grid: Grid | None = None,
    compound: Compound | None = None,
    origin: Origin = Origin.SYSTEM,
) -> AreaColour:
    """Give a grid or a compound its risk colour (红橙黄蓝绿): the street command decides, and
    says by which criteria; the area's previous colour ends."""
    if (grid is None) == (compound is None):
        raise ValidationError(
            {"area": "请选择一个网格或一个小区 / choose one grid or one compound"}
        )
    if not holds(by, Action.EDIT, _street(grid, compound)):
        raise PermissionDenied("只有街道指挥部可以判定区域风险颜色 / only the street command may")
    errors = {}
    if colour not in AreaRiskColour.values:
        errors["colour"] = "未知颜色 / unknown colour"
    criteria = (criteria or "").strip()
    if not criteria:
        errors["criteria"] = "请填写判定依据 / the criteria are required"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    current = AreaColour.objects.current().filter(grid=grid, compound=compound)
    before = current.values_list("colour", flat=True).first()
    current.update(ended_at=now, ended_by=by)
    area_colour = AreaColour.objects.create(
        grid=grid,
        compound=compound,
        colour=colour,
        criteria=criteria,
        set_on=set_on or timezone.localdate(now),
        set_by=by,
        set_at=now,
    )
    audit_record(
        actor=by,
        action="create",
        target=area_colour,
        changes={"colour": [before, colour], "set_on": area_colour.set_on.isoformat()},
        reason=criteria,
        origin=origin,
    )
    return area_colour


@transaction.atomic
def area_colour_end(
    *, by: Any, area_colour: AreaColour, origin: Origin = Origin.SYSTEM
) -> AreaColour:
    """The area no longer carries a risk colour (the setting stays in the history)."""
    if not holds(by, Action.EDIT, _street(area_colour.grid, area_colour.compound)):
        raise PermissionDenied("只有街道指挥部可以撤销区域风险颜色 / only the street command may")
    ended_at = timezone.now()
    ended = AreaColour.objects.filter(pk=area_colour.pk, ended_at__isnull=True).update(
        ended_at=ended_at, ended_by=by
    )
    if not ended:
        raise ValidationError("该颜色已撤销 / this colour has ended already")
    area_colour.refresh_from_db()
    audit_record(
        actor=by,
        action="update",
        target=area_colour,
        changes={"ended_at": [None, ended_at.isoformat()]},
        origin=origin,
    )
    return area_colour
