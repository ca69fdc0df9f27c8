"""The venue import reads .xlsx, .xls and .csv (UTF-8 and GB18030) with header synonyms; Excel's
floats, full-width digits and grouped phone numbers are read as people meant them; the command's
output, exits and job record."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wangge.core.jobs.models import Job
from wangge.venues.models import Venue, VenueImport
from wangge.venues.tests.venue_files import VALID_USCC, venue_row, write_venues


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    out = StringIO()
    call_command("import_venues", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("v.xlsx", ""), ("v.xls", ""), ("v.csv", "utf-8-sig"), ("v.csv", "gb18030")],
)
def test_each_format_is_read_with_header_synonyms(world, tmp_path, name, encoding):
    rows = [
        {
            "店名": "老王饭店",
            "行业": "饭店",
            "所属社区": "东社区",
            "网格名称": "第一网格",
            "信用代码": VALID_USCC.lower(),
            "联系电话": "178-3401-9904",
            "员工数": 12,
        }
    ]
    path = write_venues(
        tmp_path / name, rows, title="江南街道场所登记表", encoding=encoding or "utf-8"
    )

    result = json.loads(run(str(path), "--street", "江南街道")[-1])

    assert (result["created"], result["rejected"], result["warnings"]) == (1, 0, 0)
    venue = Venue.objects.get()
    assert (venue.name, venue.kind.name, venue.grid, venue.uscc) == (
        "老王饭店",
        "餐饮店",
        world.grid_a,
        VALID_USCC,
    )
    assert (venue.responsible_phone, venue.staff_count) == ("17834019904", 12)


def test_excel_floats_and_full_width_digits_are_read_as_meant(world, tmp_path):
    rows = [
        venue_row("甲", 负责人电话=17834019904.0, 从业人数=12.0, 经度=120.1234567, 纬度=30.25),
        venue_row(
            "乙",
            负责人电话="１７８３４０１９９０５",
            从业人数="１５",
            统一社会信用代码="９１３５０１００Ｍ０００１００Ｙ４３",
        ),
    ]
    path = write_venues(tmp_path / "v.xlsx", rows)

    result = json.loads(run(str(path), "--street", "江南街道")[-1])

    assert (result["created"], result["rejected"], result["warnings"]) == (2, 0, 0)
    first, second = Venue.objects.get(name="甲"), Venue.objects.get(name="乙")
    assert (first.responsible_phone, first.staff_count) == ("17834019904", 12)
    assert (first.longitude, first.latitude) == (Decimal("120.123457"), Decimal("30.25"))
    assert (second.responsible_phone, second.staff_count, second.uscc) == (
        "17834019905",
        15,
        VALID_USCC,
    )


def test_a_bad_staff_count_or_coordinate_rejects_the_row_naming_the_column(world, tmp_path):
    rows = [venue_row("甲", 从业人数="很多"), venue_row("乙", 经度="200", 纬度="30")]
    path = write_venues(tmp_path / "v.csv", rows)

    lines = run(str(path), "--street", "江南街道")

    assert json.loads(lines[-1])["rejected"] == 2
    assert any("从业人数" in line for line in lines) and any("经度" in line for line in lines)


def test_the_last_line_has_exactly_the_decided_keys_and_the_import_is_a_job(world, tmp_path):
    path = write_venues(tmp_path / "v.csv", [venue_row("甲")])

    result = json.loads(run(str(path), "--street", "江南街道")[-1])

    assert list(result) == ["created", "updated", "unchanged", "rejected", "warnings", "report"]
    assert result["report"] is None
    job = Job.objects.get(kind="venues.import")
    assert (job.status, job.command, job.counts["created"]) == ("done", "import_venues", 1)
    assert VenueImport.objects.get().status == "done"


def test_an_unknown_street_exits_2(world, tmp_path):
    path = write_venues(tmp_path / "v.csv", [venue_row("甲")])

    with pytest.raises(CommandError) as raised:
        run(str(path), "--street", "无此街道")

    assert raised.value.returncode == 2


def test_an_unreadable_file_exits_1_and_writes_nothing(world, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("姓名,电话\n张三,1\n", encoding="utf-8")

    with pytest.raises(CommandError, match="未找到表头|缺少必需的列") as raised:
        run(str(path), "--street", "江南街道")

    assert raised.value.returncode == 1
    assert not Venue.objects.exists()
