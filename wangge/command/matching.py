"""Matching the rows of a verification list to the register, set-based.

Priority, decided: a valid ID number; else phone + name; else name + address (when an address is
given). Each stage is a few chunked `IN` queries on indexed columns — the ID's blind index with
its type, the phone's blind index, the households at the given buildings and rooms and then their
residents — never one lookup per row; the join with the rows happens in memory. A person counts only when registered in the list's
street; a row whose valid ID belongs to someone else is never matched to that person by phone or
address.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from wangge.core import crypto
from wangge.core.identity import IdentityError, IdType, normalise_text, parse_id_number, parse_phone
from wangge.people.addresses import ParsedAddress, parse_address
from wangge.people.models import Person
from wangge.regions.models import Household

CHUNK = 5000

# Headers of upstream lists (synonym → canonical). 序号 is deliberately absent: a template row
# holding only its serial number is a blank row.
SYNONYMS = {
    "姓名": "name",
    "名字": "name",
    "证件号码": "id_number",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "身份证": "id_number",
    "公民身份号码": "id_number",
    "证件号": "id_number",
    "证件类型": "id_type",
    "手机号": "phone",
    "手机号码": "phone",
    "手机": "phone",
    "联系电话": "phone",
    "电话": "phone",
    "联系方式": "phone",
    "地址": "address",
    "住址": "address",
    "现住址": "address",
    "居住地址": "address",
    "现居住地址": "address",
    "核查原因": "reason",
    "协查原因": "reason",
    "推送原因": "reason",
    "来源": "source",
    "数据来源": "source",
    "推送来源": "source",
    "反馈时限": "deadline",
    "反馈时间要求": "deadline",
    "完成时限": "deadline",
}
ID_TYPE_LABELS = {str(label): value for value, label in IdType.choices} | {
    "身份证": IdType.RESIDENT
}
_RESIDENT_LIKE = re.compile(r"^[\d０-９]{15,18}[\dXx]?$|^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)

REJECTED = "缺少证件号码、手机号和姓名 / no ID number, phone or name"
NOT_FOUND = "登记库中未找到 / not found in the register"
OUTSIDE = "登记在本街道以外 / registered outside this street"
AMBIGUOUS = "多人符合，无法确定 / several persons match"
NO_NAME = "缺少姓名，无法按手机号或地址匹配 / no name to match a phone or address with"
NAME_ONLY = (
    "只有姓名，没有证件号码、手机号或可识别的地址 / only a name: no ID, phone or readable address"
)


@dataclass
class Candidate:
    """One data row of the list, as read and as matched."""

    position: int
    number: int
    name: str
    id_raw: str
    phone_raw: str
    address: str
    reason: str
    source: str
    deadline_text: str
    id_types: tuple[str, ...] = ()
    id_number: str = ""
    id_hash: str = ""
    id_problem: str = ""
    phone: str = ""
    phone_hash: str = ""
    parsed: ParsedAddress | None = None
    person_id: int | None = None
    grid_id: int | None = None
    method: str = ""
    problems: list[str] = field(default_factory=list)
    outside: bool = False

    @property
    def rejected(self) -> bool:
        return not (self.id_raw or self.phone_raw or self.name)


def candidate_from(
    values: dict[str, str], position: int, number: int, today: date | None = None
) -> Candidate:
    """Parse one row's cells; what cannot be read is noted, never guessed."""
    row = Candidate(
        position=position,
        number=number,
        name=normalise_text(values.get("name", "")).replace(" ", "")[:50],
        id_raw=normalise_text(values.get("id_number", "")),
        phone_raw=normalise_text(values.get("phone", "")),
        address=normalise_text(values.get("address", ""))[:200],
        reason=values.get("reason", "")[:300],
        source=values.get("source", "")[:100],
        deadline_text=normalise_text(values.get("deadline", "")),
    )
    if row.id_raw:
        declared = ID_TYPE_LABELS.get(normalise_text(values.get("id_type", "")))
        types: tuple[str, ...]
        if declared:
            types = (declared,)
        elif _RESIDENT_LIKE.match(row.id_raw.replace(" ", "")):
            types = (IdType.RESIDENT, IdType.HMT_RESIDENCE)
        else:
            types = tuple(
                t for t in IdType.values if t not in (IdType.RESIDENT, IdType.HMT_RESIDENCE)
            )
        try:
            row.id_number = parse_id_number(row.id_raw, types[0], today).number
            row.id_types = types
            row.id_hash = crypto.blind_index(row.id_number)
        except IdentityError as error:
            row.id_problem = f"证件号码无效 / invalid ID: {error}"
    if row.phone_raw:
        try:
            row.phone = parse_phone(row.phone_raw)
            row.phone_hash = crypto.blind_index(row.phone)
        except IdentityError as error:
            row.problems.append(str(error))
    if row.address:
        row.parsed = parse_address(row.address)
    return row


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _conflicts(row: Candidate, id_type: str, id_hash: str) -> bool:
    """A person whose ID of the row's type differs from the row's valid ID is someone else."""
    return bool(row.id_hash) and id_type in row.id_types and id_hash != row.id_hash


def _settle(row: Candidate, found: list[tuple[int, int | None]], method: str) -> None:
    """Match the row when exactly one person of the street fits."""
    inside = [(pk, grid) for pk, grid in found if grid is not None]
    if len(inside) == 1:
        row.person_id, row.grid_id = inside[0]
        row.method = method
    elif len(inside) > 1:
        row.problems.append(AMBIGUOUS)


def match_by_id(rows: list[Candidate], street_grids: dict[int, int]) -> None:
    by_types: dict[tuple[str, ...], dict[str, list[Candidate]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        if row.id_hash:
            by_types[row.id_types][row.id_hash].append(row)
    for types, by_hash in by_types.items():
        for batch in chunks(by_hash):
            found = (
                Person.objects.filter(id_type__in=types, id_number_hash__in=batch)
                .order_by()
                .values_list("id_number_hash", "pk", "household__grid_id")
            )
            for id_hash, pk, grid_id in found:
                for row in by_hash[id_hash]:
                    if row.person_id:
                        continue
                    if grid_id in street_grids:
                        row.person_id, row.grid_id, row.method = pk, grid_id, "id"
                    else:
                        row.outside = True


def match_by_phone_and_name(rows: list[Candidate], street_grids: dict[int, int]) -> None:
    waiting: dict[str, list[Candidate]] = defaultdict(list)
    for row in rows:
        if not row.person_id and not row.outside and row.phone_hash and row.name:
            waiting[row.phone_hash].append(row)
    for batch in chunks(waiting):
        found: dict[tuple[str, str], list] = defaultdict(list)
        for phone_hash, name, pk, grid_id, id_type, id_hash in (
            Person.objects.filter(phone_hash__in=batch)
            .order_by()
            .values_list(
                "phone_hash", "name", "pk", "household__grid_id", "id_type", "id_number_hash"
            )
        ):
            found[(phone_hash, name)].append((pk, grid_id, id_type, id_hash))
        for phone_hash in batch:
            for row in waiting[phone_hash]:
                people = [
                    (pk, grid if grid in street_grids else None)
                    for pk, grid, id_type, id_hash in found.get((phone_hash, row.name), [])
                    if not _conflicts(row, id_type, id_hash)
                ]
                _settle(row, people, "phone_name")


def _unit(value: str) -> str:
    return value.removesuffix("单元")


def _address_fits(
    parsed: ParsedAddress, compound: str, building: str, unit: str, room: str
) -> bool:
    if parsed.building != building or parsed.room != room:
        return False
    if parsed.unit and _unit(parsed.unit) != _unit(unit):
        return False
    return not parsed.compound or compound in parsed.compound or parsed.compound in compound


def _households_at(
    places: set[tuple[str, str]], street_id: int
) -> dict[int, tuple[str, str, str, str]]:
    """Household id → (compound, building, unit, room) for the street's households at `places`
    ((building, room) pairs): through the building and room, not a scan of the persons."""
    rooms = sorted({room for _building, room in places})
    found = {}
    for batch in chunks(sorted({building for building, _room in places})):
        households = Household.objects.filter(
            grid__community__street_id=street_id, building__name__in=batch
        )
        if len(rooms) <= CHUNK:
            households = households.filter(room__in=rooms)
        for pk, compound, building, unit, room in households.order_by().values_list(
            "pk", "building__compound__name", "building__name", "unit", "room"
        ):
            if (building, room) in places:
                found[pk] = (compound, building, unit, room)
    return found


def match_by_name_and_address(rows: list[Candidate], street_id: int) -> None:
    waiting = [
        (row, row.parsed)
        for row in rows
        if not row.person_id and not row.outside and row.name and row.parsed and row.parsed.room
    ]
    if not waiting:
        return
    households = _households_at({(p.building, p.room) for _, p in waiting}, street_id)
    residents: dict[tuple[str, str, str], list] = defaultdict(list)
    for batch in chunks(households):
        for household_id, name, pk, grid_id, id_type, id_hash in (
            Person.objects.filter(household_id__in=batch)
            .order_by()
            .values_list(
                "household_id", "name", "pk", "household__grid_id", "id_type", "id_number_hash"
            )
        ):
            place = households[household_id]
            residents[(place[1], place[3], name)].append((place, pk, grid_id, id_type, id_hash))
    for row, parsed in waiting:
        found = residents.get((parsed.building, parsed.room, row.name), [])
        people = [
            (pk, grid)
            for place, pk, grid, id_type, id_hash in found
            if _address_fits(parsed, *place) and not _conflicts(row, id_type, id_hash)
        ]
        _settle(row, people, "name_address")


def match_rows(rows: list[Candidate], street_id: int, street_grids: dict[int, int]) -> None:
    """Match every row in place; `street_grids` maps the street's grid ids to their communities."""
    live = [row for row in rows if not row.rejected]
    match_by_id(live, street_grids)
    match_by_phone_and_name(live, street_grids)
    match_by_name_and_address(live, street_id)


def unmatched_reason(row: Candidate) -> str:
    if row.id_problem:
        return row.id_problem
    if row.outside:
        return OUTSIDE
    if not row.name and not row.id_hash:
        return NO_NAME
    if not (row.id_hash or row.phone_hash or row.parsed):
        return NAME_ONLY
    return next((p for p in row.problems if p == AMBIGUOUS), NOT_FOUND)


_RELATIVE = re.compile(r"^(\d+)\s*(小时|个小时|h|天|日|分钟)内?$", re.IGNORECASE)
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H时",
    "%Y年%m月%d日%H时%M分",
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d")


def parse_deadline(text: str, now: datetime) -> datetime | None:
    """反馈时限 as upstream writes it: a date and time, a date (end of that day), or "24小时"."""
    text = text.replace("\u00a0", " ").strip()
    if not text:
        return None
    relative = _RELATIVE.match(text.replace(" ", ""))
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        if unit in {"天", "日"}:
            return now + timedelta(days=amount)
        if unit == "分钟":
            return now + timedelta(minutes=amount)
        return now + timedelta(hours=amount)
    compact = re.sub(r"\s+", " ", text).replace("年 ", "年")
    local = timezone.get_current_timezone()
    for pattern in _FORMATS:
        try:
            return datetime.strptime(compact, pattern).replace(tzinfo=local)
        except ValueError:
            continue
    for pattern in _DATE_FORMATS:
        try:
            day = datetime.strptime(compact, pattern).replace(tzinfo=local)
        except ValueError:
            continue
        return datetime.combine(day.date(), time(23, 59, 59), tzinfo=local)
    try:
        parsed = datetime.fromisoformat(compact)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=local)
