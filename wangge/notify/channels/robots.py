"""What the group robots (DingTalk, WeCom) share: one HTTP call per message (batch_size 1), the
robot looked up by the id in `Outgoing.address`, errcode answers, and the digest that merges what
is due for one group beyond its per-minute budget into one markdown message.

An `Outgoing` with a title goes as markdown (the title is the heading); without one, as text.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from wangge.notify.channels import DELIVERED, FAILED, RETRY, UNKNOWN, Outgoing, Result, transport
from wangge.notify.models import Robot


def digest(items: Sequence[Outgoing]) -> Outgoing:
    """One markdown message for several items due for the same robot: the delivery id of the first,
    every item's title and text in order, mentions united (each once, in order of appearance)."""
    if not items:
        raise ValueError("汇总至少需要一条消息 / a digest needs at least one message")
    if len({item.address for item in items}) > 1:
        raise ValueError("汇总只能发往同一个群 / a digest goes to one group only")
    parts = []
    for number, item in enumerate(items, start=1):
        heading = f"**{number}. {item.title}**" if item.title else f"**{number}.**"
        parts.append(f"{heading}\n\n{item.text.strip()}")
    title = f"通知汇总（{len(items)} 条）"
    text = f"#### {title}\n\n" + "\n\n---\n\n".join(parts)
    mentions = tuple(dict.fromkeys(mobile for item in items for mobile in item.mentions))
    return Outgoing(
        delivery_id=items[0].delivery_id,
        address=items[0].address,
        text=text,
        params={"text": text},
        mentions=mentions,
        title=title,
    )


def robot_of(address: str, kind: str) -> Robot | None:
    if not address.isdigit():
        return None
    return Robot.objects.filter(pk=int(address), kind=kind, active=True).first()


def timeout() -> float:
    """Every gateway call waits as long as an SMS one (SMS_TIMEOUT_SECONDS) for its answer."""
    return float(settings.WANGGE["SMS_TIMEOUT_SECONDS"])


class RobotAdapter:
    """A robot channel: a subclass gives the kind, the URL, the payload and the errcode rules."""

    channel = ""
    batch_size = 1
    receipts = False
    # errcodes meaning "not now" (sent again after a backoff).
    transient: frozenset[int] = frozenset()

    def url(self, robot: Robot) -> str:
        raise NotImplementedError

    def payload(self, item: Outgoing) -> dict[str, Any]:
        raise NotImplementedError

    def throttled(self, robot: Robot, errcode: int) -> None:
        """Called when the robot answered a transient errcode (DingTalk parks the robot)."""

    def send(self, reference: str, batch: Sequence[Outgoing]) -> list[Result]:
        return [self._send_one(item) for item in batch]

    def _send_one(self, item: Outgoing) -> Result:
        robot = robot_of(item.address, self.channel)
        if robot is None:
            reason = "群机器人不存在或已停用 / no active robot"
            return Result(item.delivery_id, FAILED, "no_robot", reason)
        reply = transport.post_json(self.url(robot), self.payload(item), timeout())
        if reply.outcome:
            code = "no_connection" if reply.outcome == RETRY else "timeout"
            return Result(item.delivery_id, reply.outcome, code, reply.detail)
        if reply.status == 429 or reply.status >= 500:
            reason = "群机器人接口暂时不可用 / robot webhook unavailable"
            return Result(item.delivery_id, RETRY, f"http_{reply.status}", reason)
        data = reply.json()
        if not isinstance(data, dict) or not isinstance(data.get("errcode"), int):
            if reply.status == 200:
                reason = "群机器人接口的应答无法识别 / unreadable answer"
                return Result(item.delivery_id, UNKNOWN, "unreadable_answer", reason)
            reason = "群机器人接口拒绝了请求 / robot webhook refused"
            return Result(item.delivery_id, FAILED, f"http_{reply.status}", reason)
        errcode, errmsg = data["errcode"], str(data.get("errmsg", ""))[:200]
        if errcode == 0:
            return Result(item.delivery_id, DELIVERED)
        if errcode in self.transient:
            self.throttled(robot, errcode)
            return Result(item.delivery_id, RETRY, str(errcode), errmsg)
        return Result(item.delivery_id, FAILED, str(errcode), errmsg)
