"""The tiles of the commander's home, in the order they appear. Each entry is a function taking
the commander's `Today` and returning its tiles; a new tile is one more entry here (the template
draws every tile the same way)."""

from collections.abc import Callable

from wangge.front import situation
from wangge.front.today import Tile, Today

TileSource = Callable[[Today], list[Tile]]

TILE_SOURCES: list[TileSource] = [
    situation.colour_tiles,
    situation.case_tiles,
    situation.measure_tiles,
    situation.checkin_tiles,
    situation.device_tiles,
    situation.coverage_tiles,
    situation.scan_tiles,
    situation.task_tiles,
    situation.event_tiles,
]


def tiles_for(today: Today) -> list[Tile]:
    return [tile for source in TILE_SOURCES for tile in source(today)]
