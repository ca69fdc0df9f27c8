"""WeCom (企业微信) group robots: POST {base}/cgi-bin/webhook/send?key=K (the key is the secret).

Text is at most 2,048 bytes and may mention by mobile (mentioned_mobile_list); markdown is at most
4,096 bytes and cannot mention by mobile. So: a message with mentions goes as text, cut to 2,048
bytes with a closing "…" (the mention matters more than the tail); one with a title or longer than
2,048 bytes goes as markdown, cut to 4,096 bytes the same way; the rest as text.

errcode 0 → delivered; 45009 (too frequent) and -1 (busy) → sent again later; others → failed.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from wangge.notify.channels import Outgoing
from wangge.notify.channels.robots import RobotAdapter
from wangge.notify.models import Robot

TEXT_BYTES = 2048
MARKDOWN_BYTES = 4096
ELLIPSIS = "…"


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` UTF-8 bytes, else its longest head that fits with "…"."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return encoded[:room].decode("utf-8", errors="ignore") + ELLIPSIS


class WeComAdapter(RobotAdapter):
    channel = "wecom"
    transient = frozenset({45009, -1})

    def url(self, robot: Robot) -> str:
        base = (robot.base_url or settings.WANGGE["WECOM_URL"]).rstrip("/")
        return f"{base}/cgi-bin/webhook/send?{urlencode({'key': robot.token})}"

    def payload(self, item: Outgoing) -> dict[str, Any]:
        text = f"{item.title}\n{item.text}" if item.title else item.text
        if item.mentions:
            return {
                "msgtype": "text",
                "text": {
                    "content": cut(text, TEXT_BYTES),
                    "mentioned_mobile_list": list(item.mentions),
                },
            }
        if item.title or len(item.text.encode("utf-8")) > TEXT_BYTES:
            markdown = f"**{item.title}**\n{item.text}" if item.title else item.text
            return {"msgtype": "markdown", "markdown": {"content": cut(markdown, MARKDOWN_BYTES)}}
        return {"msgtype": "text", "text": {"content": item.text}}


ADAPTER = WeComAdapter()
