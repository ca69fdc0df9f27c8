"""Reading a lab file's rows: the headers labs use, and each row read into a LabRow or the reasons
it is rejected (a filled ID that is invalid; neither an ID nor phone + name; an unreadable sample
time or result). Values are normalised here; the rules run over staged rows in lab.sql.
"""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from wangge.core import crypto
from wangge.core.identity import IdentityError, IdType, normalise_text, parse_phone
from wangge.core.sheet_process import check_upload_size
from wangge.core.spreadsheets import (
    CSV_ENCODINGS,
    HEADER_SEARCH_ROWS,
    Row,
    TableError,
    header_map,
    raw_rows,
)
from wangge.testing.models import Outcome
from wangge.testing.services.identities import clean, read_id_number

SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("姓名", "受检者姓名", "被检人姓名", "name"), "name"),
    **dict.fromkeys(
        ("证件号码", "身份证号", "身份证号码", "证件号", "身份证", "id_number"), "id_number"
    ),
    **dict.fromkeys(("手机号", "联系电话", "手机号码", "电话", "联系方式", "phone"), "phone"),
    **dict.fromkeys(("采样时间", "采样日期", "采集时间", "sampled_at"), "sampled_at"),
    **dict.fromkeys(("采样点", "采样地点", "采样点位", "site"), "site"),
    **dict.fromkeys(("试管编码", "管码", "试管码", "试管条码", "样本编号", "tube_code"), "tube"),
    **dict.fromkeys(("检测结果", "核酸结果", "结果", "result"), "result"),
    **dict.fromkeys(("检测机构", "检测单位", "检测实验室", "lab"), "lab"),
    **dict.fromkeys(("报告时间", "报告日期", "出报告时间", "reported_at"), "reported_at"),
}

_RESULTS: dict[str, str] = {
    **dict.fromkeys(("阴性", "阴", "negative", "neg"), Outcome.NEGATIVE),
    **dict.fromkeys(("阳性", "阳", "positive", "pos"), Outcome.POSITIVE),
    **dict.fromkeys(("待复核", "复核", "可疑", "pending", "review"), Outcome.PENDING),
    **dict.fromkeys(("无效", "invalid"), Outcome.INVALID),
}
_RESULT_NOISE = re.compile(r"[\s()（）+\-]")
_DATETIME = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d+)?秒?)?)?$"
)
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - a naive calendar origin, made aware below
RESIDENT_TYPES = (IdType.RESIDENT, IdType.HMT_RESIDENCE, IdType.FOREIGN_PERMANENT)
OTHER_TYPES = tuple(t for t in IdType.values if t not in (IdType.RESIDENT, IdType.HMT_RESIDENCE))


@dataclass(slots=True)
class LabRow:
    number: int
    name: str
    id_number: str  # normalised, "" when the cell was empty
    id_hash: str
    resident_id: bool  # an 18-character resident-style number (else a passport or permit)
    phone: str
    phone_hash: str
    sampled_at: datetime
    tube: str
    site: str
    result: str
    lab: str
    reported_at: datetime | None

    @property
    def identity_key(self) -> str:
        """Who the row is about, as the lab wrote it: the ID number, else phone + name."""
        if self.id_hash:
            return self.id_hash
        return crypto.blind_index(f"pn:{self.phone}|{self.name}")


def parse_datetime(text: str) -> datetime | None:
    """'2022-04-10 08:15', '2022/4/10 8:15:30', '2022年4月10日', an Excel serial → aware (UTC)."""
    return _parse_datetime(text, settings.TIME_ZONE)


@lru_cache(maxsize=8192)
def _parse_datetime(raw: str, zone: str) -> datetime | None:
    text = clean(raw)
    if not text:
        return None
    local = ZoneInfo(zone)
    match = _DATETIME.match(text)
    try:
        if match:
            year, month, day, hour, minute, second = (
                int(part) if part else 0 for part in match.groups()
            )
            value = datetime(year, month, day, hour, minute, second, tzinfo=local)
        elif _EXCEL_SERIAL.match(text):
            value = (_EXCEL_EPOCH + timedelta(days=float(text))).replace(tzinfo=local)
        else:
            return None
    except ValueError:
        return None
    return value.astimezone(UTC)


@lru_cache(maxsize=256)
def parse_outcome(text: str) -> str | None:
    return _RESULTS.get(_RESULT_NOISE.sub("", normalise_text(text).lower()))


def _identity(values: dict[str, str], today: date) -> tuple[str, bool, str, str, list[str]]:
    """(ID, resident-style?, phone, name, reasons to reject)."""
    raw_id = clean(values.get("id_number", "")).replace(" ", "").upper()
    name = clean(values.get("name", "")).replace(" ", "")
    raw_phone = clean(values.get("phone", ""))
    if raw_id:
        try:
            number, resident = read_id_number(raw_id, today)
        except IdentityError as error:
            return "", False, "", name, [f"证件号码：{error}"]
        phone = ""
        if raw_phone:
            try:
                phone = parse_phone(raw_phone)
            except IdentityError:
                phone = ""
        return number, resident, phone, name, []
    if not raw_phone or not name:
        return (
            "",
            False,
            "",
            name,
            ["既无证件号码也无电话和姓名 / neither an ID number nor phone and name"],
        )
    try:
        return "", False, parse_phone(raw_phone), name, []
    except IdentityError as error:
        return "", False, "", name, [f"电话：{error}"]


def parse_row(row: Row, today: date) -> LabRow | list[str]:
    """The row read, or the reasons why it cannot be (bilingual)."""
    values = row.values
    number, resident, phone, name, reasons = _identity(values, today)
    sampled_at = parse_datetime(values.get("sampled_at", ""))
    if sampled_at is None:
        reasons.append(f"无法识别采样时间“{values.get('sampled_at', '')}” / unreadable sample time")
    result = parse_outcome(values.get("result", ""))
    if result is None:
        reasons.append(f"无法识别检测结果“{values.get('result', '')}” / unreadable result")
    if reasons:
        return reasons
    assert sampled_at is not None and result is not None
    return LabRow(
        number=row.number,
        name=name[:50],
        id_number=number,
        id_hash=crypto.blind_index(number) if number else "",
        resident_id=resident,
        phone=phone,
        phone_hash=crypto.blind_index(phone) if phone else "",
        sampled_at=sampled_at,
        tube=clean(values.get("tube", "")).replace(" ", "")[:40],
        site=clean(values.get("site", ""))[:80],
        result=result,
        lab=clean(values.get("lab", ""))[:100],
        reported_at=parse_datetime(values.get("reported_at", "")),
    )


def lab_cells(
    path: Path | str, original_name: str = ""
) -> tuple[dict[int, str], Iterator[tuple[int, list[str]]]]:
    """The recognised columns of a lab file and its data rows as (row number, cells), streamed.

    The header row is found as core.spreadsheets.read_table finds it; the file must have a sample
    time, a result, and an ID number or a phone and a name column. A CSV file is streamed; a
    spreadsheet is read by core.spreadsheets.raw_rows.
    """
    suffix = Path(original_name or str(path)).suffix.lower()
    rows = _csv_cells(Path(path)) if suffix == ".csv" else raw_rows(path, original_name, "lab")
    canonical: dict[int, str] = {}
    number = 0
    for cells in rows:
        number += 1
        canonical = header_map(cells, SYNONYMS)
        if len(canonical) >= 2 or number >= HEADER_SEARCH_ROWS:
            break
    names = set(canonical.values())
    missing = [
        label
        for label, present in (
            ("采样时间 / sample time", "sampled_at" in names),
            ("检测结果 / result", "result" in names),
            (
                "证件号码，或手机号和姓名 / ID number, or phone and name",
                "id_number" in names or {"phone", "name"} <= names,
            ),
        )
        if not present
    ]
    if len(canonical) < 2 or missing:
        raise TableError(f"缺少列 / missing columns: {'；'.join(missing) or '表头'}")
    return canonical, enumerate(rows, start=number + 1)


def open_lab_file(path: Path | str, original_name: str = "") -> Iterator[Row]:
    """The non-blank data rows of a lab file, one at a time (a file may hold a million rows)."""
    canonical, numbered = lab_cells(path, original_name)
    columns = list(canonical.items())
    for number, cells in numbered:
        row = row_of(number, cells, columns)
        if row is not None:
            yield row


def row_of(number: int, cells: list[str], columns: list[tuple[int, str]]) -> Row | None:
    width = len(cells)
    values = {name: (cells[index] if index < width else "") for index, name in columns}
    return Row(number=number, values=values) if any(v.strip() for v in values.values()) else None


def _csv_cells(path: Path) -> Iterator[list[str]]:
    """A CSV file's cells row by row, in the first of core.spreadsheets' encodings that decodes
    the whole file (checked in blocks first, so nothing is held in memory)."""
    check_upload_size(path, "lab")
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return _csv_reader(path, encoding)
    raise TableError(
        "无法识别文件编码（应为UTF-8或GB18030） / cannot decode the file: use UTF-8 or GB18030"
    )


def _csv_reader(path: Path, encoding: str) -> Iterator[list[str]]:
    """Cells as they are: every value is normalised (NFKC, stripped) when the row is read."""
    with path.open(encoding=encoding, newline="") as handle:
        try:
            yield from csv.reader(handle)
        except csv.Error as error:
            raise TableError(
                f"CSV文件格式错误（{error}） / the CSV file is malformed ({error})"
            ) from error
