"""A one-column address ("3幢2单元301室", "5号楼1单元1202", "12栋301") read into its parts."""

import re
from dataclasses import dataclass

from wangge.core.identity import normalise_text

_ADDRESS = re.compile(
    r"^(?P<compound>.*?)"
    r"(?P<building>[0-9A-Za-z一二三四五六七八九十]+(?:号楼|幢|栋|座|组|楼|号(?=.)))"
    r"(?:(?P<unit>[0-9A-Za-z一二三四五六七八九十]+)单元)?"
    r"(?:(?P<room>[0-9A-Za-z\-]+)(?:室|号)?)?$"
)


@dataclass(frozen=True)
class ParsedAddress:
    compound: str
    building: str
    unit: str
    floor: int | None
    room: str


def floor_from_room(room: str) -> int | None:
    """1202 → 12, 301 → 3; a room number that does not encode a floor gives None."""
    digits = re.sub(r"\D", "", room)
    if len(digits) >= 3:
        return int(digits[:-2]) or None
    return None


def parse_address(text: str) -> ParsedAddress | None:
    address = normalise_text(text).replace(" ", "")
    match = _ADDRESS.match(address)
    if match is None:
        return None
    building = match.group("building")
    if building.endswith("号楼"):
        building = building[:-2] + "幢"
    elif building[-1] in "栋号座楼":  # 组 (a village group) keeps its name
        building = building[:-1] + "幢"
    room = match.group("room") or ""
    return ParsedAddress(
        compound=match.group("compound").strip(),
        building=building,
        unit=match.group("unit") or "",
        floor=floor_from_room(room),
        room=room,
    )
