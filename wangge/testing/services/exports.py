"""未检人员 as .xlsx: the list a grid worker chases, with full phones — an audited export job.

The first row says who exported it, when and why (a watermark the people importer skips); the
persons are those the owner may export when the job runs.
"""

from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.authority import user_can
from wangge.accounts.models import User
from wangge.core.cells import append_row
from wangge.core.exports import Exported, Stamp, export_kind, export_start, param_row
from wangge.core.jobs.models import Job
from wangge.core.jobs.runner import Beat
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.people.models import Person
from wangge.regions.models import Grid
from wangge.testing.models import NucleicRound, RoundMark
from wangge.testing.selectors.coverage import untested

HEADERS = ("网格", "小区", "楼栋", "单元", "房号", "姓名", "证件号码", "联系电话", "标记", "说明")
CHUNK = 2000


def _persons(owner: User, params: dict[str, Any]) -> tuple[NucleicRound, QuerySet]:
    round = NucleicRound.objects.get(pk=params["round"])
    grid = param_row(Grid, params, "grid")
    exportable = Person.objects.restrict(owner, Action.EXPORT).values("pk")
    return round, untested(round, owner, grid).filter(pk__in=exportable)


def _size(owner: User, params: dict[str, Any]) -> int:
    return _persons(owner, params)[1].count()


@export_kind("testing.untested", size=_size)
def untested_workbook(owner: User, params: dict[str, Any], beat: Beat, stamp: Stamp) -> Exported:
    round, persons = _persons(owner, params)
    total = persons.count()
    marks = dict(RoundMark.Kind.choices)
    book = Workbook(write_only=True)
    stamp.book(book)
    sheet = stamp.sheet(book, "未检人员")
    append_row(sheet, list(HEADERS))
    count = 0
    for person in persons.iterator(chunk_size=CHUNK):
        household = person.household
        assert household is not None  # the round's targets live in its grids' households
        append_row(
            sheet,
            [
                household.grid.name,
                household.building.compound.name,
                household.building.name,
                household.unit,
                household.room,
                person.name,
                person.id_number_masked,
                person.phone,
                marks.get(person.mark_kind, ""),
                person.mark_note or "",
            ],
        )
        count += 1
        if count % CHUNK == 0:
            beat(count, total)
    output = BytesIO()
    book.save(output)
    name = f"{round.name}-未检人员-{timezone.localtime(stamp.at):%Y%m%d%H%M}.xlsx"
    return Exported(output.getvalue(), name, count)


def untested_export(
    *,
    round: NucleicRound,
    by: User,
    reason: str,
    reason_text: str = "",
    grid: Grid | None = None,
    origin: Origin = Origin.SYSTEM,
) -> Job:
    """Ask for the round's untested persons (in one grid or all) as a job; audited now."""
    if not user_can(by, Action.EXPORT):
        raise PermissionDenied("您无权导出 / you may not export")
    return export_start(
        by=by,
        kind="testing.untested",
        params={"list": "untested", "round": round.pk, "grid": grid.pk if grid else None},
        reason=reason,
        reason_text=reason_text,
        origin=origin,
        label=f"{round.name} 未检人员",
    )
