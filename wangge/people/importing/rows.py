"""One data row → a ParsedRow, or a Rejection naming the row, the columns and what is wrong.

Only what the row says is checked here (ID, name, phone, dates, words); what depends on the
database or on other rows (known IDs, duplicates, areas) is the planner's business.

A blank cell, or a column the file lacks, leaves the stored value alone (None below): an import adds
and corrects, it never erases. 是否党员 adds or removes the 党员 tag; a non-blank 标签 cell is the
person's whole list of tags. 与户主关系 = 房东 makes the person the household's head and its
landlord (a landlord living in the house they let, as in village self-built houses); a 房东身份证号
column names the landlord of the row's dwelling by ID number instead.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, TypeVar

from wangge.core import crypto
from wangge.core.identity import (
    IdentityError,
    IdNumber,
    IdType,
    Phones,
    normalise_text,
    parse_id_number,
    parse_phones,
)
from wangge.people.addresses import floor_from_room, parse_address
from wangge.people.importing import values
from wangge.people.importing.headers import HeaderRow

PlaceKey = tuple[str, str, str, str, str]  # community, compound, building, unit, room
IdKey = tuple[str, str]  # id type, blind index of the number
Fail = Callable[[str, str], None]
T = TypeVar("T")

_PLACE_FIELDS = ("community", "grid", "compound", "building", "unit", "room")
_MAX_LENGTH = {"community": 50, "grid": 50, "compound": 80, "building": 50, "unit": 20, "room": 30}


@dataclass(slots=True)
class ParsedRow:
    row: int
    name: str
    id_key: IdKey
    id_number: str
    sex: str
    birth_date: date | None
    phone: str | None
    phone_hash: str | None
    second_phone: str | None
    second_phone_hash: str | None
    ethnicity: str | None
    residence_type: str | None
    relation: str | None
    is_landlord: bool
    native_place: str | None
    note: str | None
    tags: frozenset[str] | None
    party_member: bool | None
    grid: str
    place: PlaceKey
    floor: int | None
    landlord_key: IdKey | None
    # (column header as in the file, bilingual note): imported all the same, listed in the report
    warnings: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class Rejection:
    row: int
    problems: list[tuple[str, str]]  # (column header as in the file, bilingual reason)
    id_key: IdKey | None = None
    name: str = ""
    place: PlaceKey | None = None

    @property
    def reason(self) -> str:
        return "；".join(f"{column}：{reason}" for column, reason in self.problems)


@dataclass(slots=True)
class RowWarning:
    """A row imported all the same, with what the importer should know (listed in the report)."""

    row: int
    problems: tuple[tuple[str, str], ...]

    @property
    def reason(self) -> str:
        return "；".join(f"{column}：{reason}" for column, reason in self.problems)


def _landlord_key(raw: str) -> IdKey:
    identity = parse_id_number(raw)
    return identity.id_type, crypto.blind_index(identity.number)


@dataclass
class RowParser:
    header: HeaderRow
    tag_codes: dict[str, str]  # tag name → code
    today: date
    area_code: str = ""  # the street's, for landlines written without one
    _positions: dict[str, int] = field(init=False)
    _pool: dict[Any, Any] = field(init=False, default_factory=dict)
    _cleaned: dict[str, str] = field(init=False, default_factory=dict)
    _words: dict[tuple[str, str], tuple[Any, str | None]] = field(init=False, default_factory=dict)
    _birth_date: Callable[[str], date] = field(init=False)
    _phones: Callable[[str], Phones] = field(init=False)

    def __post_init__(self) -> None:
        self._positions = dict(self.header.columns)
        self._birth_date = partial(values.birth_date, today=self.today)
        self._phones = partial(parse_phones, area_code=self.area_code)

    def _shared(self, value: T) -> T:
        """One object for equal values (places, grids, tag sets): 100,000 rows share a few thousand."""
        return self._pool.setdefault(value, value)

    def _clean(self, raw: str) -> str:
        """normalise_text, remembered: the words of a roster repeat (东社区, 第一网格, 户主, 汉族)."""
        if raw.isascii():
            return raw.strip()
        cleaned = self._cleaned.get(raw)
        if cleaned is None:
            cleaned = self._cleaned[raw] = normalise_text(raw)
        return cleaned

    def cell(self, cells: list[str], name: str) -> str:
        position = self._positions.get(name)
        if position is None or position >= len(cells):
            return ""
        return cells[position]

    def parse(self, row: int, cells: list[str]) -> ParsedRow | Rejection:
        problems: list[tuple[str, str]] = []
        label = self.header.label

        def fail(name: str, reason: str) -> None:
            problems.append((label(name), reason))

        name = self._shared(values.person_name(self.cell(cells, "name")))
        if not name:
            fail("name", "缺少姓名 / name missing")
        elif len(name) > 50:
            fail("name", "姓名过长 / name too long")
        identity = self._identity(cells, fail)
        id_key = (identity.id_type, crypto.blind_index(identity.number)) if identity else None
        sex = self._word(cells, "sex", fail, values.sex)
        if identity and identity.sex and sex and sex != identity.sex:
            fail("sex", "性别与证件号码不符 / sex contradicts the ID number")
        born = self._optional(cells, "birth_date", fail, self._birth_date)
        if identity and identity.birth_date and born and born != identity.birth_date:
            fail("birth_date", "出生日期与证件号码不符 / birth date contradicts the ID number")
        phones = self._optional(cells, "phone", fail, self._phones)
        phone = phones.first if phones else None
        second_phone = phones.second if phones else None
        warnings: tuple[tuple[str, str], ...] = ()
        if second_phone:
            warnings = (
                (
                    label("phone"),
                    f"一格有两个号码，第二个“{second_phone}”存为备用电话 / two numbers in one cell: "
                    f"the second, {second_phone}, was kept as the second phone",
                ),
            )
        place, grid, floor = self._place(cells, fail)
        relation = self._word(cells, "relation", fail, values.relation)
        residence_type = self._word(cells, "residence_type", fail, values.residence_type)
        party = self._word(cells, "party_member", fail, values.yes_no)
        tags = self._word(cells, "tags", fail, self._tags)
        landlord = self._optional(cells, "landlord", fail, _landlord_key)
        if problems or identity is None or id_key is None or place is None:
            return Rejection(row, problems, id_key, name, place)
        return ParsedRow(
            row=row,
            name=name,
            id_key=id_key,
            id_number=identity.number,
            sex=identity.sex or sex or "",
            birth_date=self._shared(identity.birth_date or born),
            phone=phone,
            phone_hash=crypto.blind_index(phone) if phone else None,
            second_phone=second_phone,
            second_phone_hash=(
                None if phones is None else crypto.blind_index(second_phone) if second_phone else ""
            ),
            ethnicity=self._text(cells, "ethnicity", 20),
            residence_type=residence_type,
            relation=None if relation == values.LANDLORD else relation,
            is_landlord=relation == values.LANDLORD,
            native_place=self._text(cells, "native_place", 200),
            note=self._text(cells, "note", 500),
            tags=tags,
            party_member=party,
            grid=grid,
            place=place,
            floor=floor,
            landlord_key=landlord,
            warnings=warnings,
        )

    def _identity(self, cells: list[str], fail: Fail) -> IdNumber | None:
        kind = self._word(cells, "id_type", fail, values.id_type)
        if kind is None and self._clean(self.cell(cells, "id_type")):
            return None
        try:
            return parse_id_number(
                self.cell(cells, "id_number"), kind or IdType.RESIDENT, today=self.today
            )
        except IdentityError as error:
            fail("id_number", str(error))
            return None

    def _optional(
        self, cells: list[str], name: str, fail: Fail, read: Callable[[str], T]
    ) -> T | None:
        raw = self._clean(self.cell(cells, name))
        if not raw:
            return None
        try:
            return read(raw)
        except ValueError as error:  # IdentityError is a ValueError
            fail(name, str(error))
            return None

    def _word(self, cells: list[str], name: str, fail: Fail, read: Callable[[str], T]) -> T | None:
        """_optional for columns of a few words (性别, 与户主关系, 标签 …): each read once."""
        raw = self._clean(self.cell(cells, name))
        if not raw:
            return None
        known = self._words.get((name, raw))
        if known is None:
            try:
                known = (read(raw), None)
            except ValueError as error:
                known = (None, str(error))
            self._words[(name, raw)] = known
        value, problem = known
        if problem is not None:
            fail(name, problem)
        return value

    def _text(self, cells: list[str], name: str, length: int) -> str | None:
        raw = self.cell(cells, name).strip()
        return self._shared(raw[:length]) if raw else None

    def _tags(self, raw: str) -> frozenset[str]:
        names = values.tag_names(raw)
        unknown = [name for name in names if name not in self.tag_codes]
        if unknown:
            listed = "、".join(unknown)
            raise ValueError(
                f"未知标签“{listed}”，请管理员先添加该标签 / unknown tag '{listed}': "
                "an administrator must add it first"
            )
        return self._shared(frozenset(self.tag_codes[name] for name in names))

    def _place(self, cells: list[str], fail: Fail) -> tuple[PlaceKey | None, str, int | None]:
        parts = {name: self._clean(self.cell(cells, name)) for name in _PLACE_FIELDS}
        address = self._clean(self.cell(cells, "address"))
        if address and not (parts["building"] and parts["room"]):
            parsed = parse_address(address)
            if parsed is None or not parsed.room:
                fail(
                    "address",
                    f"无法识别的地址“{address}”，请写成“3幢2单元301室” / cannot read the address "
                    f"'{address}': write it like 3幢2单元301室",
                )
                return None, "", None
            parts["compound"] = parts["compound"] or parsed.compound
            parts["building"] = parts["building"] or parsed.building
            parts["unit"] = parts["unit"] or parsed.unit
            parts["room"] = parts["room"] or parsed.room
        missing = [name for name in ("community", "grid", "building", "room") if not parts[name]]
        for name in missing:
            column = "address" if name in {"building", "room"} and address else name
            fail(column, "缺少住址信息 / part of the address is missing")
        floor = self._word(cells, "floor", fail, values.floor)
        if missing:
            return None, "", None
        parts["building"] = values.building_name(parts["building"])
        parts["unit"] = values.unit_name(parts["unit"])
        parts["room"] = values.room_name(parts["room"])
        parts["compound"] = parts["compound"] or parts["community"]
        too_long = [name for name, length in _MAX_LENGTH.items() if len(parts[name]) > length]
        for name in too_long:
            length = _MAX_LENGTH[name]
            fail(name, f"内容过长（最多{length}字） / too long (at most {length} characters)")
        if too_long:
            return None, "", None
        place = self._shared(
            (parts["community"], parts["compound"], parts["building"], parts["unit"], parts["room"])
        )
        if floor is None:
            floor = floor_from_room(parts["room"])
        return place, self._shared(parts["grid"]), floor
