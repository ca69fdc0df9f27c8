"""未检人员 as .xlsx: the list a grid worker chases, with full phones — an audited export.

The first row says who exported it and when (a watermark the people importer skips); the persons
are those the user may export.
"""

from io import BytesIO
from urllib.parse import quote

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from wangge.accounts.models import User
from wangge.core.cells import append_row
from wangge.core.origin import Origin
from wangge.core.roles import Action
from wangge.core.services import audit_record
from wangge.people.models import Person
from wangge.regions.models import Grid
from wangge.testing.models import NucleicRound, RoundMark
from wangge.testing.selectors.coverage import untested

HEADERS = ("网格", "小区", "楼栋", "单元", "房号", "姓名", "证件号码", "联系电话", "标记", "说明")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@transaction.atomic
def untested_export(
    *, round: NucleicRound, by: User, grid: Grid | None = None, request: HttpRequest | None = None
) -> HttpResponse:
    exportable = Person.objects.restrict(by, Action.EXPORT).values("pk")
    persons = untested(round, by, grid).filter(pk__in=exportable)
    marks = dict(RoundMark.Kind.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("未检人员")
    now = timezone.localtime()
    append_row(
        sheet, [f"{round.name} 未检人员 — 导出：{by} {now:%Y-%m-%d %H:%M}，仅限本次排查使用"]
    )
    append_row(sheet, list(HEADERS))
    count = 0
    for person in persons.iterator(chunk_size=2000):
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
                marks.get(person.mark_kind, ""),  # type: ignore[attr-defined]  # annotated by untested()
                person.mark_note or "",  # type: ignore[attr-defined]  # annotated by untested()
            ],
        )
        count += 1
    output = BytesIO()
    book.save(output)
    audit_record(
        actor=by,
        action="export",
        target=round,
        changes={"list": "untested", "grid": grid.pk if grid else None, "rows": count},
        origin=Origin.from_request(request),
    )
    name = f"{round.name}-未检人员-{now:%Y%m%d%H%M}.xlsx"
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
