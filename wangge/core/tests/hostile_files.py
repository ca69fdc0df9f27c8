"""Hostile spreadsheets for the tests, built on the fly: a sparse sheet reaching XFD1048576 and a zip
bomb (an .xlsx whose sheet XML inflates far beyond its compressed size)."""

import re
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook

# Headers that every importer recognises some of, so that only the limits can refuse the file.
HEADER = ["姓名", "身份证号", "证件号码", "手机号", "采样时间", "检测结果", "用户名", "角色"]
SHEET = "xl/worksheets/sheet1.xml"


def sparse_xlsx(path: Path, *, dimension: bool = True) -> Path:
    """A tiny .xlsx with a header row and one cell at XFD1048576: its used range is the whole grid.
    Without `dimension`, the sheet XML declares no range and only the real extent tells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.cell(row=1_048_576, column=16_384, value="x")
    workbook.save(path)
    if not dimension:
        _rewrite_sheet(path, lambda xml: re.sub(rb"<dimension [^>]*>", b"", xml))
    return path


def bomb_xlsx(path: Path, inflated_bytes: int) -> Path:
    """A small .xlsx whose sheet XML inflates to more than `inflated_bytes` (padding of spaces,
    which deflate squeezes a thousandfold)."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    head, tail = members[SHEET].rsplit(b"</worksheet>", 1)
    block = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            if name != SHEET:
                target.writestr(name, data)
        with target.open(SHEET, "w") as stream:
            stream.write(head)
            written = 0
            while written <= inflated_bytes:
                stream.write(block)
                written += len(block)
            stream.write(b"</worksheet>" + tail)
    return path


def _rewrite_sheet(path: Path, change: object) -> None:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[SHEET] = change(members[SHEET])  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)


def declare_size(path: Path, size: int, member: str = SHEET) -> Path:
    """Rewrite the uncompressed size the archive declares for `member` (local header and central
    directory), leaving its data as it is: an archive that lies about its size."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, local + 22, size)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + length]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path
