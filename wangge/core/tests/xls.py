"""Legacy Excel 97-2003 (.xls) workbooks, written at test time: one sheet of text and numbers as
BIFF8 records in an OLE2 compound file (the layout [MS-XLS] and [MS-CFB] describe), so that the
tests read a real .xls without a binary in the repository or a writer library."""

import struct
from pathlib import Path

SECTOR = 512
END_OF_CHAIN = 0xFFFFFFFE
FAT_SECTOR = 0xFFFFFFFD
FREE = 0xFFFFFFFF
NO_STREAM = 0xFFFFFFFF

Cell = str | int | float | None


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _text(value: str, length_bytes: int = 2) -> bytes:
    """An XLUnicodeString (or, with length_bytes=1, a ShortXLUnicodeString) in UTF-16."""
    size = struct.pack("<H" if length_bytes == 2 else "<B", len(value))
    return size + b"\x01" + value.encode("utf-16-le")


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _globals(sheet_name: str, strings: list[str], sheet_offset: int) -> bytes:
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _text("Arial", 1)
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(_text(s) for s in strings)
    return b"".join(
        [
            _bof(0x0005),
            _record(0x0042, struct.pack("<H", 1200)),  # code page: UTF-16
            *[_record(0x0031, font)] * 5,
            *[_record(0x00E0, xf)] * 15,
            _record(0x00E0, cell_xf),
            _record(0x0085, struct.pack("<IBB", sheet_offset, 0, 0) + _text(sheet_name, 1)),
            _record(0x00FC, sst),
            _record(0x000A, b""),
        ]
    )


def _sheet(rows: list[list[Cell]], strings: dict[str, int]) -> bytes:
    width = max((len(row) for row in rows), default=0)
    parts = [_bof(0x0010), _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                parts.append(_record(0x00FD, struct.pack("<HHHI", r, c, 15, strings[value])))
            else:
                parts.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, float(value))))
    parts.append(_record(0x000A, b""))
    return b"".join(parts)


def _workbook_stream(rows: list[list[Cell]], sheet_name: str) -> bytes:
    strings: dict[str, int] = {}
    for row in rows:
        for value in row:
            if isinstance(value, str) and value and value not in strings:
                strings[value] = len(strings)
    ordered = list(strings)
    offset = len(_globals(sheet_name, ordered, 0))
    stream = _globals(sheet_name, ordered, offset) + _sheet(rows, strings)
    # at least the mini-stream cutoff, so that the stream lives in ordinary sectors
    return stream.ljust(max(4096, -(-len(stream) // SECTOR) * SECTOR), b"\0")


def _directory_entry(
    name: str, kind: int, child: int, start: int, size: int, colour: int = 1
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, colour)
        + struct.pack("<III", NO_STREAM, NO_STREAM, child)
        + bytes(16 + 4 + 8 + 8)
        + struct.pack("<IQ", start, size)
    )


def write_xls(path: Path, rows: list[list[Cell]], sheet_name: str = "Sheet1") -> Path:
    """Write `rows` (text, numbers or None) as the only sheet of an .xls workbook."""
    stream = _workbook_stream(rows, sheet_name)
    stream_sectors = len(stream) // SECTOR
    if stream_sectors + 2 > SECTOR // 4:
        raise ValueError("too large for a workbook with one FAT sector")
    directory_sector = 1 + stream_sectors
    fat = [FAT_SECTOR] + [n + 1 for n in range(1, stream_sectors)] + [END_OF_CHAIN, END_OF_CHAIN]
    fat += [FREE] * (SECTOR // 4 - len(fat))
    directory = (
        _directory_entry("Root Entry", 5, 1, END_OF_CHAIN, 0)
        + _directory_entry("Workbook", 2, NO_STREAM, 1, len(stream))
        + _directory_entry("", 0, NO_STREAM, 0, 0, colour=0) * 2
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack(
            "<IIIIIIIII", 0, 1, directory_sector, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0
        )
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    path.write_bytes(header + struct.pack(f"<{SECTOR // 4}I", *fat) + stream + directory)
    return path
