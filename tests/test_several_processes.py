"""Two app processes behind one address share everything a user's requests touch: the session, the
CSRF token, django-axes' failure count and Django's cache (docs/operations.md, "Where state lives").

The test starts two gunicorn masters (one sync worker each, `wangge.wsgi`) on two loopback ports with
the Redis queue and cache (WANGGE_TASKS=redis) and the test database, and puts a round-robin TCP
proxy in front: each connection goes to the other process than the one before, and gunicorn's sync
worker closes every connection after its answer, so consecutive requests alternate. The processes
run tests/multiprocess_settings.py, which adds `X-Served-By: <pid>` to every answer: the test checks
that the answers really alternate. It starts processes, so it runs in the PostgreSQL pass only.
"""

import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import requests
from axes.models import AccessAttempt
from django.db import connection

from conftest import PASSWORD

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="starts app processes: PostgreSQL only"
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/11"
LOGIN = "/accounts/login/"
SIGNED_IN_PAGE = "/accounts/password/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


class RoundRobin:
    """One address in front of `backends`: connection n goes to backends[n % len(backends)].

    It connects to them from its own loopback address (127.x.y.z), so the address-keyed counters
    this test reads are its own even when another run shares the Redis."""

    def __init__(self, backends: list[int]):
        self.backends = backends
        self.source = (
            f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
        )
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.count = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                backend = self.backends[self.count % len(self.backends)]
                self.count += 1
                upstream = socket.create_connection(
                    ("127.0.0.1", backend), source_address=(self.source, 0)
                )
                for source, target in ((client, upstream), (upstream, client)):
                    threading.Thread(target=_pipe, args=(source, target), daemon=True).start()

    def close(self) -> None:
        self.listener.close()


def _database_url() -> str:
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}{LOGIN}", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def app_processes(tmp_path) -> Iterator[tuple[list[int], list[Path]]]:
    """Two gunicorn masters of one sync worker each: their ports and their standard-error files."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.multiprocess_settings",
        "DATABASE_URL": _database_url(),
        "WANGGE_TASKS": "redis",
        "REDIS_URL": REDIS_URL,
        "WANGGE_LOG_LEVEL": "WARNING",
    }
    ports = [_free_port(), _free_port()]
    logs = [tmp_path / f"gunicorn-{port}.log" for port in ports]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wangge.wsgi:application",
                "--workers",
                "1",
                "--no-control-socket",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(_answers(port) for port in ports):
            assert time.monotonic() < deadline, "the app processes did not answer within 60 s"
            assert all(process.poll() is None for process in processes), logs[0].read_text()
            time.sleep(0.2)
        yield ports, logs
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.wait(timeout=30)


class Browser:
    """One person's browser at the proxy's address: cookies kept, redirects not followed, and the
    process that answered each request noted."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.served_by: list[str] = []

    def get(self, path: str) -> requests.Response:
        return self._note(self.session.get(self.base + path, allow_redirects=False, timeout=10))

    def post(self, path: str, data: dict[str, str], **headers: str) -> requests.Response:
        response = self.session.post(
            self.base + path,
            data=data,
            headers={"Referer": self.base + path, **headers},
            allow_redirects=False,
            timeout=10,
        )
        return self._note(response)

    def post_body(self, path: str, body: bytes, content_type: str) -> requests.Response:
        response = self.session.post(
            self.base + path, data=body, headers={"Content-Type": content_type}, timeout=10
        )
        return self._note(response)

    def token(self, path: str) -> str:
        """The CSRF token of the form on the page at `path`."""
        match = TOKEN.search(self.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str) -> requests.Response:
        token = self.token(LOGIN)
        return self.post(
            LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )

    def _note(self, response: requests.Response) -> requests.Response:
        self.served_by.append(response.headers["X-Served-By"])
        return response


def _wait_for_a_fresh_minute() -> None:
    """The CSP counter is kept per minute: start its requests well inside one."""
    second = datetime.now(UTC).second
    if second > 50:
        time.sleep(61 - second)


def test_two_app_processes_behind_one_address_share_sessions_csrf_lockouts_and_the_cache(
    world, app_processes
):
    ports, logs = app_processes
    proxy = RoundRobin(ports)
    browser = Browser(proxy.port)
    try:
        # when Gavin signs in: the form comes from one process, the POST goes to the other
        assert browser.sign_in("gavin", PASSWORD).status_code == 302
        # then his session, made by that process, is read by both
        assert browser.get(SIGNED_IN_PAGE).status_code == 200
        assert browser.get(SIGNED_IN_PAGE).status_code == 200

        # when he signs out with the token of a page the other process made
        token = browser.token(SIGNED_IN_PAGE)
        assert browser.post("/accounts/logout/", {}).status_code == 403  # without it: refused
        assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
        # then the session is gone for both processes
        assert browser.get(SIGNED_IN_PAGE).status_code == 302
        assert browser.get(SIGNED_IN_PAGE).status_code == 302

        # when someone tries Bella's account five times with a wrong password, on both processes
        token = browser.token(LOGIN)
        wrong = {"username": "bella", "password": "not-her-password", "csrfmiddlewaretoken": token}
        answers = [browser.post(LOGIN, wrong).status_code for _ in range(5)]
        # then the fifth failure locks it, though neither process saw five
        assert answers == [422, 422, 422, 422, 429]
        assert len(set(browser.served_by[-5:])) == 2
        # and her right password is refused by both
        right = {**wrong, "password": PASSWORD}
        assert [browser.post(LOGIN, right).status_code for _ in range(2)] == [429, 429]
        # (the one row of her failures: five, and the two refused tries)
        assert AccessAttempt.objects.get(username="bella").failures_since_start == 7

        # when a browser posts six CSP reports within a minute, three to each process
        _wait_for_a_fresh_minute()
        report = b'{"csp-report": {"blocked-uri": "inline", "effective-directive": "script-src"}}'
        for _ in range(6):
            browser.post_body("/csp-report/", report, "application/csp-report")
    finally:
        proxy.close()

    # then both counted in one counter of the shared cache, and only the first two were logged
    queue = redis.Redis.from_url(REDIS_URL)
    counters = [int(queue.get(key)) for key in queue.scan_iter(f"*csp-report:{proxy.source}:*")]
    assert counters == [6]
    logged = sum(log.read_text().count("CSP violation") for log in logs)
    assert logged == 2

    # and every request went to the other process than the one before
    served_by = browser.served_by
    assert len(set(served_by)) == 2
    assert all(first != second for first, second in zip(served_by, served_by[1:], strict=False))
