"""One data row → a VenueRow, or a Rejection naming the row, the columns and what is wrong.

Only what the row says is checked here; what depends on the register or on other rows (the areas,
the same venue stored or twice in the file) is the planner's business. A blank cell, or a column
the file lacks, keeps the stored value (None below): an import adds and corrects, it never erases.
A USCC failing its check (GB 32100-2015) and a responsible person's phone that cannot be read are
left out of the row, which is imported all the same with a warning naming the value.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models

from wangge.core.identity import IdentityError, normalise_text, parse_phone, parse_uscc
from wangge.venues.importing.reader import VenueSheet
from wangge.venues.models import Venue

MAX_STAFF = 1_000_000
_COUNT = re.compile(r"(\d+)(?:\.0*)?人?")
_PLACES = Decimal("0.000001")
_LIMITS = {"latitude": Decimal(90), "longitude": Decimal(180)}
Problems = list[tuple[str, str]]


def _max_length(name: str) -> int:
    field = Venue._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return int(field.max_length or 0)


@dataclass(slots=True)
class VenueRow:
    row: int
    name: str
    kind_id: int
    community: str
    grid: str
    address: str | None
    uscc: str  # "" when the cell is blank or its value was left out
    responsible_name: str | None
    phone: str | None  # normalised; None keeps the stored phone
    staff_count: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    cells: list[str]  # as the file has them, for the error report
    left_out: tuple[str, ...] = ()  # the values left out (USCC, phone), as the cells had them
    # (column header as in the file, bilingual note): imported all the same, listed in the report
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def values(self) -> tuple[Any, ...]:
        """What the row says: two rows of a file with equal values repeat each other exactly."""
        return (
            self.name,
            self.kind_id,
            self.community,
            self.grid,
            self.address,
            self.uscc,
            self.responsible_name,
            self.phone,
            self.staff_count,
            self.latitude,
            self.longitude,
            self.left_out,
        )


@dataclass(slots=True)
class Rejection:
    row: int
    problems: Problems  # (column header as in the file, bilingual reason)
    cells: list[str]  # as the file has them, for the error report

    @property
    def reason(self) -> str:
        return "；".join(f"{column}：{reason}" for column, reason in self.problems)


def notes(warnings: tuple[tuple[str, str], ...]) -> str:
    return "；".join(f"{column}：{reason}" for column, reason in warnings)


def kind_lookup(kinds: list[tuple[int, str, list[str]]]) -> dict[str, int]:
    """Each kind's name and synonyms (normalised, blanks dropped) → its id; a name wins over
    another kind's synonym."""
    lookup: dict[str, int] = {}
    for pk, _name, synonyms in kinds:
        for synonym in synonyms:
            lookup.setdefault(_key(synonym), pk)
    for pk, name, _synonyms in kinds:
        lookup[_key(name)] = pk
    return lookup


def _key(text: str) -> str:
    return re.sub(r"\s", "", normalise_text(text))


@dataclass
class RowParser:
    sheet: VenueSheet
    kinds: dict[str, int]  # kind_lookup
    area_code: str = ""  # the street's, for landlines written without one
    _lengths: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self._lengths = {
            name: _max_length(name) for name in ("name", "address", "responsible_name")
        }
        self._lengths["community"] = self._lengths["grid"] = 50

    def cell(self, cells: list[str], name: str) -> str:
        position = self.sheet.columns.get(name)
        if position is None or position >= len(cells):
            return ""
        return normalise_text(cells[position])

    def parse(self, number: int, cells: list[str]) -> VenueRow | Rejection:
        label = self.sheet.label
        problems: Problems = []

        def text(name: str, required: bool = False) -> str:
            value = self.cell(cells, name)
            if required and not value:
                problems.append((label(name), f"缺少{label(name)} / {name} missing"))
            elif len(value) > self._lengths[name]:
                problems.append(
                    (
                        label(name),
                        f"超过{self._lengths[name]}个字 / longer than {self._lengths[name]} "
                        "characters",
                    )
                )
            return value

        name = text("name", required=True)
        community = text("community", required=True)
        grid = text("grid", required=True)
        address = text("address")
        responsible_name = text("responsible_name")
        kind_text = self.cell(cells, "kind")
        kind_id = self.kinds.get(_key(kind_text))
        if kind_id is None:
            problems.append(
                (
                    label("kind"),
                    f"未知的场所类别“{kind_text}” / unknown kind of venue '{kind_text}'"
                    if kind_text
                    else "缺少类别 / kind missing",
                )
            )
        staff_count = self._staff_count(cells, problems)
        latitude = self._coordinate(cells, "latitude", problems)
        longitude = self._coordinate(cells, "longitude", problems)
        if (latitude is None) != (longitude is None) and not problems:
            problems.append(
                (label("latitude"), "经度和纬度须同时填写 / give both longitude and latitude")
            )
        if problems or kind_id is None:
            return Rejection(number, problems, cells)
        left_out: list[str] = []
        warnings: list[tuple[str, str]] = []
        uscc = self._uscc(cells, left_out, warnings)
        phone = self._phone(cells, left_out, warnings)
        return VenueRow(
            row=number,
            name=name,
            kind_id=kind_id,
            community=community,
            grid=grid,
            address=address or None,
            uscc=uscc,
            responsible_name=responsible_name or None,
            phone=phone,
            staff_count=staff_count,
            latitude=latitude,
            longitude=longitude,
            cells=cells,
            left_out=tuple(left_out),
            warnings=tuple(warnings),
        )

    def _uscc(self, cells: list[str], left_out: list[str], warnings: list) -> str:
        raw = self.cell(cells, "uscc")
        try:
            return parse_uscc(raw)
        except IdentityError as error:
            left_out.append(raw)
            warnings.append(
                (
                    self.sheet.label("uscc"),
                    f"{error}；已略去“{raw}”，按名称和网格导入 / '{raw}' was left out and the "
                    "venue matched by name and grid",
                )
            )
            return ""

    def _phone(self, cells: list[str], left_out: list[str], warnings: list) -> str | None:
        raw = self.cell(cells, "responsible_phone")
        if not raw:
            return None
        try:
            return parse_phone(raw, self.area_code)
        except IdentityError as error:
            left_out.append(raw)
            warnings.append(
                (
                    self.sheet.label("responsible_phone"),
                    f"{error}；已略去“{raw}” / '{raw}' was left out",
                )
            )
            return None

    def _staff_count(self, cells: list[str], problems: Problems) -> int | None:
        raw = self.cell(cells, "staff_count").replace(",", "")
        if not raw:
            return None
        match = _COUNT.fullmatch(raw)
        if match is None or int(match.group(1)) > MAX_STAFF:
            problems.append(
                (
                    self.sheet.label("staff_count"),
                    f"“{raw}”不是人数 / '{raw}' is not a number of people",
                )
            )
            return None
        return int(match.group(1))

    def _coordinate(self, cells: list[str], name: str, problems: Problems) -> Decimal | None:
        raw = self.cell(cells, name)
        if not raw:
            return None
        limit = _LIMITS[name]
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or abs(value) > limit:
            problems.append(
                (
                    self.sheet.label(name),
                    f"“{raw}”不是有效的{self.sheet.label(name)}（-{limit}至{limit}） / '{raw}' is "
                    f"not a {name} between -{limit} and {limit}",
                )
            )
            return None
        return value.quantize(_PLACES, rounding=ROUND_HALF_UP)
