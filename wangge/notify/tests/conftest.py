"""Fixtures for the channel tests: the fake gateway in its own process on a free port, a receipt
sink that records what is pushed to it, and a canned server that answers what a test tells it."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningGateway:
    url: str
    log: Path
    process: subprocess.Popen[str]

    def lines(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text("utf-8").splitlines()]


@pytest.fixture
def fake_gateway(tmp_path: Path) -> Iterator[Callable[..., RunningGateway]]:
    """start(*options, env={...}) runs `manage.py fake_gateway` and waits until it listens."""
    started: list[RunningGateway] = []

    def start(*options: str, env: dict[str, str] | None = None) -> RunningGateway:
        port = free_port()
        log = tmp_path / f"gateway-{port}.jsonl"
        process = subprocess.Popen(
            [sys.executable, "manage.py", "fake_gateway", "--port", str(port), "--log", str(log)]
            + list(options),
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening" in line, f"the fake gateway did not start: {line!r}"
        running = RunningGateway(f"http://127.0.0.1:{port}", log, process)
        started.append(running)
        return running

    yield start
    for running in started:
        running.process.terminate()
        running.process.wait(timeout=10)


def wait_for(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@dataclass
class Canned:
    """A local HTTP server: records each request (path, body) and answers `status`, `body`; with
    `hang_up` it closes the connection without answering."""

    url: str = ""
    status: int = 200
    body: bytes = b"{}"
    hang_up: bool = False
    requests: list[tuple[str, bytes]] = field(default_factory=list)

    def answer_json(self, data: Any, status: int = 200) -> None:
        self.status, self.body = status, json.dumps(data).encode()


@contextmanager
def serving() -> Iterator[Canned]:
    state = Canned()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.requests.append((self.path, body))
            if state.hang_up:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(state.status)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def canned() -> Iterator[Canned]:
    with serving() as state:
        yield state


@pytest.fixture
def receipt_sink() -> Iterator[Canned]:
    """Receives receipt pushes; answers as Wangge's webhook does."""
    with serving() as state:
        state.answer_json({"code": 0, "msg": "成功"})
        yield state
