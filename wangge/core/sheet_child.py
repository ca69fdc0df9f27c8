"""The child process that parses one spreadsheet; `core.sheet_process` starts it and reads its frames.

    python -m wangge.core.sheet_child PATH MODE CONFIG_JSON

It limits its own address space (RLIMIT_AS) first, checks the file against the limits
(`core.sheet_limits`), then parses with python-calamine and writes frames to stdout, each a 4-byte
big-endian length and a pickled tuple:

    ("sheet", name, last_row)    a sheet starts; last_row is its last used row (1-based), 0 if empty
    ("rows", [[value, ...], ...]) the next rows of that sheet, as python-calamine gives the values
    ("error", message)           the file cannot be read; the message is bilingual
    ("end",)                     nothing more

MODE "first" sends the first sheet only, as a grid from A1 (leading empty rows and columns kept, so
row and column numbers are Excel's); MODE "visible" sends every visible sheet, from row 1 and from its
first used column. If the
parser dies (Rust's abort on a failed allocation, a segfault) the parent sees the stream end
without "end" and reports the signal. The child imports no Django and touches no database.
"""

import json
import pickle
import resource
import struct
import sys
from collections.abc import Iterator
from typing import BinaryIO

from wangge.core.sheet_limits import LimitExceeded, Limits, check_workbook

CHUNK_ROWS = 2000
MEMORY_MESSAGE = (
    "读取该文件所需内存超过上限，文件过大或已损坏 / reading this file needs more memory than "
    "allowed: the file is too large or damaged"
)
Frame = tuple[object, ...]


def send(out: BinaryIO, frame: Frame) -> None:
    payload = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack(">I", len(payload)))
    out.write(payload)


def frames(path: str, mode: str) -> Iterator[Frame]:
    """The frames of one file's sheets (see the module's docstring); calamine errors propagate."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(path)
    for index, metadata in enumerate(workbook.sheets_metadata):
        if mode == "first" and index > 0:
            break
        if mode == "visible" and metadata.visible != python_calamine.SheetVisibleEnum.Visible:
            continue
        sheet = workbook.get_sheet_by_index(index)
        end = sheet.end
        yield ("sheet", metadata.name, end[0] + 1 if end else 0)
        yield from _row_frames(sheet, from_a1=mode == "first")


def _row_frames(sheet: object, *, from_a1: bool) -> Iterator[Frame]:
    # iter_rows starts at row 1 but at the first used column: pad the columns for a grid from A1.
    start = sheet.start if from_a1 else None  # type: ignore[attr-defined]
    chunk: list[list[object]] = []
    padding: list[object] = [None] * start[1] if start else []
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        chunk.append(padding + row if padding else row)
        if len(chunk) >= CHUNK_ROWS:
            yield ("rows", chunk)
            chunk = []
    if chunk:
        yield ("rows", chunk)


def main(argv: list[str]) -> int:
    path, mode, config = argv[1], argv[2], json.loads(argv[3])
    memory = int(config["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    try:
        check_workbook(path, Limits(**config["limits"]))
        for frame in frames(path, mode):
            send(out, frame)
        send(out, ("end",))
    except LimitExceeded as error:
        send(out, ("error", str(error)))
    except MemoryError:
        send(out, ("error", MEMORY_MESSAGE))
    except Exception as error:  # the parser's own errors name what it could not read
        send(
            out, ("error", f"无法读取该表格文件（{error}） / cannot read the spreadsheet ({error})")
        )
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
