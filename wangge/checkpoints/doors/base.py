"""What an adapter is given (`Target`, no model) and what it answers (`Answer`)."""

from dataclasses import dataclass

OPENED = "opened"
UNREACHABLE = "unreachable"
REFUSED = "refused_by_device"


@dataclass(frozen=True)
class Target:
    kind: str
    address: str
    door_no: int = 1
    username: str = ""
    password: str = ""


@dataclass(frozen=True)
class Answer:
    """`outcome`: OPENED; UNREACHABLE (nothing came back in time: the network, the device or the
    broker); REFUSED (the controller answered no: a wrong password, a device error)."""

    outcome: str
    detail: str = ""


def cut(text: str) -> str:
    return text[:300]
