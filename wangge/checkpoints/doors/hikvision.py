"""Hikvision access controllers (DS-K1T…, DS-K2…) over ISAPI: `PUT /ISAPI/AccessControl/
RemoteControl/door/<doorNo>` with `<RemoteControlDoor><cmd>open</cmd></RemoteControlDoor>`, HTTP
digest authentication (the device answers 401 with its challenge first), and a `ResponseStatus`
whose statusCode 1 and subStatusCode "ok" mean the door opened.

Nothing back within the deadline (no route, connection refused, no answer) is UNREACHABLE; an
answer that is not success — a wrong password (401 again), a device error — is REFUSED."""

import base64
import time
from urllib.parse import urlsplit

import urllib3
from defusedxml import ElementTree
from urllib3.exceptions import HTTPError

from wangge.checkpoints.doors import digest
from wangge.checkpoints.doors.base import OPENED, REFUSED, UNREACHABLE, Answer, Target, cut

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
OPEN_BODY = (
    f'<?xml version="1.0" encoding="UTF-8"?><RemoteControlDoor version="2.0" xmlns="{ISAPI_NS}">'
    "<cmd>open</cmd></RemoteControlDoor>"
).encode()
# A device is asked once: a PUT that may have reached it is never repeated.
_POOL = urllib3.PoolManager(num_pools=20, maxsize=4, retries=False)


def door_path(door_no: int) -> str:
    return f"/ISAPI/AccessControl/RemoteControl/door/{door_no}"


def _put(url: str, headers: dict[str, str], deadline: float) -> urllib3.BaseHTTPResponse:
    left = max(deadline - time.monotonic(), 0.05)
    return _POOL.request(
        "PUT",
        url,
        body=OPEN_BODY,
        headers={"Content-Type": "application/xml", **headers},
        timeout=urllib3.Timeout(total=left),
    )


def _credentials(challenge: str, path: str, target: Target) -> dict[str, str]:
    if challenge.lower().startswith("digest"):
        header = digest.authorization(challenge, "PUT", path, target.username, target.password)
        return {"Authorization": header}
    if challenge.lower().startswith("basic"):
        pair = f"{target.username}:{target.password}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    raise ValueError(f"unsupported authentication {challenge[:40]!r}")


def status_of(body: bytes) -> tuple[str, str, str]:
    """(statusCode, subStatusCode, statusString) of a ResponseStatus, blank when absent."""
    root = ElementTree.fromstring(body)
    values = {element.tag.rpartition("}")[2]: (element.text or "").strip() for element in root}
    return (
        values.get("statusCode", ""),
        values.get("subStatusCode", ""),
        values.get("statusString", ""),
    )


def _read(response: urllib3.BaseHTTPResponse) -> Answer:
    if response.status == 401:
        return Answer(REFUSED, "用户名或密码错误 / the device refused the user name or password")
    try:
        code, sub_code, text = status_of(response.data)
    except (ElementTree.ParseError, ValueError):
        return Answer(REFUSED, cut(f"HTTP {response.status}: {response.data[:120]!r}"))
    if response.status == 200 and code == "1" and sub_code.lower() == "ok":
        return Answer(OPENED)
    return Answer(REFUSED, cut(f"HTTP {response.status} {code} {text} {sub_code}".strip()))


def open_door(target: Target, timeout: float) -> Answer:
    base = target.address.rstrip("/")
    path = door_path(target.door_no)
    deadline = time.monotonic() + timeout
    try:
        response = _put(base + path, {}, deadline)
        if response.status == 401:
            challenge = response.headers.get("WWW-Authenticate", "")
            try:
                headers = _credentials(challenge, urlsplit(base + path).path, target)
            except ValueError as error:
                return Answer(REFUSED, cut(str(error)))
            response = _put(base + path, headers, deadline)
    except (HTTPError, OSError) as error:
        return Answer(UNREACHABLE, cut(f"{type(error).__name__}: {error}"))
    return _read(response)
