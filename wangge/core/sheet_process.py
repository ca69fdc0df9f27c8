"""Spreadsheets are parsed in a child process, so that whatever a hostile file makes the parser do
fails that one import and never the server.

`read_sheets` starts `python -m wangge.core.sheet_child` (a fresh interpreter through
`subprocess`: no fork of a process holding database connections and threads, no re-import of the
server's main module as multiprocessing's "spawn" does), which limits its own memory (RLIMIT_AS,
`SHEET_PARSER_MEMORY_BYTES`), checks the file against the limits of `core.sheet_limits` and streams
the rows back through a pipe in pickled chunks, while the caller consumes them. A limit exceeded, a
parser error, or the child dying by a signal (SIGABRT from Rust's failed allocation, SIGSEGV) all
end as one TableError with a bilingual message. Closing the iterator (or dropping it) kills the
child. Every upload's size is checked first, per kind (`UPLOAD_MAX_BYTES`).
"""

import json
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

import wangge
from wangge.core.sheet_limits import human_size

CHILD_MODULE = "wangge.core.sheet_child"
logger = logging.getLogger(__name__)


class TableError(ValueError):
    """The file cannot be read at all; the message says why, in Chinese and English."""


@dataclass
class Sheet:
    name: str
    last_row: int  # the sheet's last used row, 1-based; 0 when empty
    rows: Iterator[list[object]]  # cell values as python-calamine reads them


def check_upload_size(path: Path | str, kind: str) -> None:
    """TableError if the file is larger than UPLOAD_MAX_BYTES allows for this kind of import."""
    limits = settings.WANGGE["UPLOAD_MAX_BYTES"]
    limit = int(limits.get(kind, limits["default"]))
    size = Path(path).stat().st_size
    if size > limit:
        raise TableError(
            f"文件有{human_size(size)}，超过此类导入的上限{human_size(limit)} / the file is "
            f"{human_size(size)}, more than the {human_size(limit)} allowed for this import"
        )


def read_sheets(path: Path | str, *, first_only: bool, kind: str) -> Generator[Sheet, None, None]:
    """The sheets of a spreadsheet file, parsed in a child process: the first (as a grid from A1)
    when `first_only`, else every visible sheet (from its first used cell). Moving on to the next
    sheet skips what is left of the current one. TableError if the file cannot be read."""
    check_upload_size(path, kind)
    child = _Child(Path(path), "first" if first_only else "visible", kind)
    try:
        while True:
            frame = child.next()
            if frame[0] == "end":
                return
            rows = child.rows()
            yield Sheet(name=str(frame[1]), last_row=int(frame[2]), rows=rows)  # type: ignore[call-overload]
            for _ in rows:
                pass
    finally:
        child.stop()


def _config(kind: str) -> str:
    wangge_settings = settings.WANGGE
    max_cells = wangge_settings["SHEET_MAX_CELLS"]
    max_cells = min(max_cells, wangge_settings["SHEET_MAX_CELLS_BY_KIND"].get(kind, max_cells))
    return json.dumps(
        {
            "memory_bytes": wangge_settings["SHEET_PARSER_MEMORY_BYTES"],
            "limits": {
                "max_rows": wangge_settings["SHEET_MAX_ROWS"],
                "max_columns": wangge_settings["SHEET_MAX_COLUMNS"],
                "max_cells": max_cells,
                "max_member_bytes": wangge_settings["SHEET_MAX_MEMBER_BYTES"],
            },
        }
    )


class _Child:
    """One parsing child and the frames it writes."""

    def __init__(self, path: Path, mode: str, kind: str) -> None:
        root = str(Path(wangge.__file__).resolve().parent.parent)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", CHILD_MODULE, str(path), mode, _config(kind)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env=env,
            close_fds=True,
        )
        self.pending: tuple[object, ...] | None = None

    def next(self) -> tuple[object, ...]:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            return pending
        stdout = self.process.stdout
        assert stdout is not None
        head = stdout.read(4)
        if len(head) < 4:
            raise self._died()
        payload = stdout.read(struct.unpack(">I", head)[0])
        frame: tuple[object, ...] = pickle.loads(payload)  # noqa: S301 (our own child's frames)
        if frame[0] == "error":
            raise TableError(str(frame[1]))
        return frame

    def rows(self) -> Iterator[list[object]]:
        while True:
            frame = self.next()
            if frame[0] != "rows":
                self.pending = frame
                return
            yield from frame[1]  # type: ignore[misc]

    def _died(self) -> TableError:
        code = self.process.wait()
        self.stderr.seek(0)
        said = self.stderr.read()[-2000:].decode(errors="replace")
        logger.warning("spreadsheet parser exited with %s: %s", code, said)
        cause = f"信号{signal.Signals(-code).name}" if code < 0 else f"退出码{code}"
        reason = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"
        return TableError(
            f"读取文件的进程异常终止（{cause}），文件可能已损坏或过大，未导入任何数据 / the process "
            f"reading this file stopped ({reason}): the file may be damaged or too large; nothing "
            f"was imported"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.stderr.close()
