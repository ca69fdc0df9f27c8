"""Fixtures of the notify tests: the fake gateway in its own process on a free port, a receipt
sink that records what is pushed to it, a canned server that answers what a test tells it; and
what audiences need beside the world: a second 第一网格 (in 西社区), a red building there whose
households test the one-person-per-household rule, a resident who moved out, a DingTalk robot for
grid A, and a clock pinned near midnight in Shanghai."""

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
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import World, _person
from wangge.notify.models import Robot
from wangge.people.models import Person
from wangge.regions.models import Building, Grid, Household

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


SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 7, 23, 50, tzinfo=SHANGHAI)


@dataclass
class Places:
    world: World
    grid_w1: Grid
    red: dict[str, Household] = field(default_factory=dict)
    robot: Robot | None = None


def resident(
    household, name, serial, phone="", *, sex="M", born=date(1980, 5, 17), relation="head"
):
    person = _person(household, name, serial, phone or "13800138000")
    if not phone:
        person.phone_sealed = person.phone_hash = person.phone_masked = ""
    person.sex, person.birth_date, person.relation = sex, born, relation
    person.save()
    return person


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def places(world, clock) -> Places:
    grid_w1 = Grid.objects.create(community=world.west, name="第一网格")
    compound = world.households["d"].building.compound
    building = Building.objects.create(compound=compound, name="2幢", grid=grid_w1, units=2)
    p = Places(world, grid_w1)
    for key, room in [("adult", "302"), ("child", "303"), ("refused", "304"), ("empty", "305")]:
        p.red[key] = Household.objects.create(building=building, grid=grid_w1, unit="2", room=room)
    Household.objects.filter(pk__in=[h.pk for h in p.red.values()]).update(colour="red")
    # 302: the head has no phone; a child (registered first) and an adult do.
    resident(p.red["adult"], "欧阳明", 11)
    resident(
        p.red["adult"],
        "林小雨",
        12,
        "13311113333",
        sex="F",
        born=date(2014, 3, 1),
        relation="child",
    )
    resident(
        p.red["adult"], "林芳", 13, "13911112222", sex="F", born=date(1985, 2, 2), relation="spouse"
    )
    # 303: only a child without a phone lives there.
    resident(p.red["child"], "陈小宝", 14, born=date(2018, 1, 1), relation="child")
    # 304: the head has the only phone.
    p.world.persons["refuser"] = resident(p.red["refused"], "周强", 15, "13722223333")
    # 305: nobody lives there any more.
    gone = resident(p.red["empty"], "吴迁", 16, "13655556666")
    Person.objects.filter(pk=gone.pk).update(status=Person.Status.MOVED_OUT)
    moved = resident(world.households["a"], "郑离", 17, "13544445555", relation="tenant")
    Person.objects.filter(pk=moved.pk).update(status=Person.Status.MOVED_OUT)
    robot = Robot(grid=world.grid_a, kind=Robot.Kind.DINGTALK, name="第一网格工作群")
    robot.set_token("token-a")
    robot.save()
    p.robot = robot
    return p
