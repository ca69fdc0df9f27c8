"""`make run` keeps the site up: a task worker, device listener or fake gateway that dies is started
again, and the web server goes on answering; stopping the script stops them all.

This test starts the real `scripts/run.sh` on an embedded database of its own and kills processes,
so it runs in the PostgreSQL pass only (the SQLite pass runs the browser tests instead).
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="kills processes: PostgreSQL pass only"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _pids_running(root: int, needle: str) -> list[int]:
    return [pid for pid in _descendants(root) if needle in _command_line(pid) and _alive(pid)]


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_a_killed_worker_listener_or_gateway_is_started_again_and_the_web_server_stays_up(
    tmp_path,
):
    # given the run script on an embedded database of its own, with a small demo street
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"} and not key.startswith("PYTEST")
    }
    env |= {
        "WANGGE_VAR_DIR": str(tmp_path),
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "DEMO_PERSONS": "300",
        "RESTART_DELAY": "0.2",
        "GATEWAY_PORT": str(_free_port()),
        "DOOR_PORT": str(_free_port()),
        # a port where no broker listens: the listener keeps retrying, never the machine's broker
        "WANGGE_MQTT_URL": f"mqtt://127.0.0.1:{_free_port()}",
    }
    log = (tmp_path / "run.log").open("w")
    script = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    login = f"http://127.0.0.1:{port}/accounts/login/"
    try:
        _wait_for(lambda: _answers(login), 480, "the web server")
        worker = _wait_for(lambda: _pids_running(script.pid, "run_huey"), 30, "the worker")[0]
        listener = _wait_for(
            lambda: _pids_running(script.pid, "listen_devices"), 30, "the listener"
        )[0]
        gateway = _wait_for(lambda: _pids_running(script.pid, "fake_gateway"), 30, "the gateway")[0]
        # the banner ends with where the messages sent from the site are logged
        banner = f"log {tmp_path}/fake_gateway.jsonl"
        _wait_for(lambda: banner in (tmp_path / "run.log").read_text(), 60, "the banner")

        # when the worker, the listener and the gateway are killed outright
        os.kill(worker, signal.SIGKILL)
        os.kill(listener, signal.SIGKILL)
        os.kill(gateway, signal.SIGKILL)

        # then new ones start, and the web server answered all along
        _wait_for(
            lambda: [p for p in _pids_running(script.pid, "run_huey") if p != worker],
            30,
            "a new worker",
        )
        _wait_for(
            lambda: [p for p in _pids_running(script.pid, "listen_devices") if p != listener],
            30,
            "a new listener",
        )
        _wait_for(
            lambda: [p for p in _pids_running(script.pid, "fake_gateway") if p != gateway],
            30,
            "a new gateway",
        )
        assert _answers(login)
        assert script.poll() is None

        # and stopping the script stops every process it started
        children = _descendants(script.pid)
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
        _wait_for(
            lambda: not [pid for pid in children if _alive(pid)],
            30,
            "every child to stop",
        )
    finally:
        if script.poll() is None:
            leftovers = _descendants(script.pid)
            script.kill()
            for pid in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        log.close()
    log_text = (tmp_path / "run.log").read_text()
    assert "task worker stopped" in log_text
    assert "device listener stopped" in log_text
    assert "fake gateway stopped" in log_text
